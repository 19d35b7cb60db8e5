// A list of codes (units, states) as one parameter, for
// `= ANY (string_to_array($n, ','))`: one statement whatever the list's length.
#pragma once

#include <string>
#include <vector>

namespace motcua::store::postgres {

// Codes are digits, letters and '_': none holds a comma.
inline std::string comma_list(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) out += (out.empty() ? "" : ",") + c;
  return out;
}

}  // namespace motcua::store::postgres
