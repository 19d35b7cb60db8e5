// A list of codes as a JSON array text, for `IN (SELECT value FROM
// json_each(?))`: one parameter whatever the list's length, and one index
// range per code.
#pragma once

#include <string>
#include <vector>

namespace motcua::store::sqlite {

// Codes are digits and letters (units, states): nothing to escape.
inline std::string json_list(const std::vector<std::string>& codes) {
  std::string out = "[";
  for (std::size_t i = 0; i < codes.size(); ++i) {
    if (i) out += ",";
    out += "\"" + codes[i] + "\"";
  }
  return out + "]";
}

}  // namespace motcua::store::sqlite
