// Turns a raw request-target into Request::path and Request::query with
// Boost.URL (kept out of server.cpp so it can be tested without a socket).
#pragma once

#include <string_view>

#include "common/result.hpp"
#include "http/message.hpp"

namespace motcua::http {

// Fills req.path (percent-decoded) and req.query (percent-decoded, '+' as a
// space). A target that does not parse, a path or parameter with a control
// character (text/control_chars.hpp) or that is not valid UTF-8, or a
// parameter given twice to the API (/api/...), is a kBadRequest: handlers see
// only well-formed text and one value a parameter.
Result<void> parse_target(std::string_view target, Request& req);

}  // namespace motcua::http
