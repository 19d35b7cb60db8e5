#include "store/migrations/migration.hpp"

namespace motcua::store::migrations {

int latest_version(std::span<const Migration> list) {
  return list.empty() ? 0 : list.back().version;
}

}  // namespace motcua::store::migrations
