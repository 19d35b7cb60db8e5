// Control characters in text a person sends: the API refuses any but tab,
// line feed and carriage return. None is anything a person meant to write,
// and a NUL cannot even be stored alike: PostgreSQL refuses it in text, and
// libpq ends a text parameter at it, so an event's note would be kept
// shorter than its hash was taken over.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace motcua::text {

// The offset of the first refused control character (U+0000-U+001F but tab,
// line feed and carriage return, and U+007F), or npos.
std::size_t first_control_char(std::string_view s);

// `s` with each refused control character made a space, or dropped where a
// space or line break already stands beside it: what text extracted from a
// PDF needs (the procedures' NUL where a space was, "Thông tư \0226/2016").
std::string without_control_chars(std::string_view s);

// "U+0000": how an error names the character `c`.
std::string code_point_name(char c);

}  // namespace motcua::text
