// Whether text a person sent says anything at all.
#pragma once

#include <string_view>

namespace motcua::text {

// True when `s` holds nothing a reader would see: only spaces of any kind
// (U+0020, U+00A0, U+3000, line and paragraph separators...), tab and line
// breaks, and invisible format characters (U+200B, U+202E, U+FEFF...). A
// required name or reason made of these is missing, as an empty one is.
// Bytes that are not UTF-8 count as something.
bool blank(std::string_view s);

}  // namespace motcua::text
