#include "text/blank.hpp"

#include <utf8proc.h>

namespace motcua::text {

bool blank(std::string_view s) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  auto left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(p, left, &cp);
    if (n <= 0) return false;
    switch (utf8proc_category(cp)) {
      case UTF8PROC_CATEGORY_ZS:  // space separators
      case UTF8PROC_CATEGORY_ZL:  // U+2028
      case UTF8PROC_CATEGORY_ZP:  // U+2029
      case UTF8PROC_CATEGORY_CC:  // tab, line breaks (others are refused before)
      case UTF8PROC_CATEGORY_CF:  // invisible format characters
        break;
      default:
        return false;
    }
    p += n;
    left -= n;
  }
  return true;
}

}  // namespace motcua::text
