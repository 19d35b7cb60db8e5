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

// The offset of the first character that forces the direction text is shown
// in (U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates), or npos:
// a name holding one shows a reader other text than it holds, and no text a
// person writes here needs one.
std::size_t first_direction_override(std::string_view s);

// "U+202E": how an error names the direction override at `at` in `s`.
std::string direction_override_name(std::string_view s, std::size_t at);

// "U+0000": how an error names the character `c`.
std::string code_point_name(char c);

}  // namespace motcua::text
