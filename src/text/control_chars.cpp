#include "text/control_chars.hpp"

#include <cstdio>

namespace motcua::text {

std::size_t first_control_char(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return i;
  }
  return std::string_view::npos;
}

std::string code_point_name(char c) {
  char out[8];
  std::snprintf(out, sizeof out, "U+%04X", static_cast<unsigned>(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace motcua::text
