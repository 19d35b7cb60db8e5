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

std::string without_control_chars(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const auto at = first_control_char(s.substr(i));
    if (at == std::string_view::npos) {
      out.append(s.substr(i));
      break;
    }
    out.append(s.substr(i, at));
    i += at + 1;
    const bool spaced = (!out.empty() && blank(out.back())) || (i < s.size() && blank(s[i]));
    if (!spaced && !out.empty() && i < s.size() && first_control_char(s.substr(i, 1)) != 0) {
      out += ' ';
    }
  }
  return out;
}

std::string code_point_name(char c) {
  char out[8];
  std::snprintf(out, sizeof out, "U+%04X", static_cast<unsigned>(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace motcua::text
