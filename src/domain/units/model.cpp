#include "domain/units/model.hpp"

namespace motcua::units {

const char* level_name(Level level) {
  switch (level) {
    case Level::kProvince:
      return "province";
    case Level::kDistrict:
      return "district";
    case Level::kCommune:
      return "commune";
  }
  return "commune";
}

}  // namespace motcua::units
