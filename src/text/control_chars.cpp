#include "text/control_chars.hpp"

#include <cstdio>

namespace motcua::text {
namespace {

bool refused(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f;
}

bool blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

std::size_t first_control_char(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (refused(s[i])) return i;
  }
  return std::string_view::npos;
}

std::string without_control_chars(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (!refused(s[i])) {
      out += s[i++];
      continue;
    }
    // A run of them stands for one space, unless text ends or is spaced there.
    while (i < s.size() && refused(s[i])) ++i;
    if (!out.empty() && i < s.size() && !blank(out.back()) && !blank(s[i])) out += ' ';
  }
  return out;
}

std::size_t first_direction_override(std::string_view s) {
  // In UTF-8: E2 80 AA-AE and E2 81 A6-A9.
  for (std::size_t i = 0; i + 2 < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) != 0xE2) continue;
    const auto b = static_cast<unsigned char>(s[i + 1]), c = static_cast<unsigned char>(s[i + 2]);
    if ((b == 0x80 && c >= 0xAA && c <= 0xAE) || (b == 0x81 && c >= 0xA6 && c <= 0xA9)) return i;
  }
  return std::string_view::npos;
}

std::string direction_override_name(std::string_view s, std::size_t at) {
  const unsigned cp = ((static_cast<unsigned char>(s[at]) & 0x0Fu) << 12) |
                      ((static_cast<unsigned char>(s[at + 1]) & 0x3Fu) << 6) |
                      (static_cast<unsigned char>(s[at + 2]) & 0x3Fu);
  char out[8];
  std::snprintf(out, sizeof out, "U+%04X", cp);
  return out;
}

std::string code_point_name(char c) {
  char out[8];
  std::snprintf(out, sizeof out, "U+%04X", static_cast<unsigned>(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace motcua::text
