// Reading query parameters and request bodies: each failure is a 400 problem
// naming the parameter (or "body"), with a message in Vietnamese and English.
#pragma once

#include <boost/json/object.hpp>
#include <cstddef>
#include <optional>
#include <string>

#include "common/result.hpp"
#include "http/message.hpp"

namespace motcua::api {

// `name` as an ISO date; absent: today in Vietnam.
Result<std::string> date_param(const http::Request& req, const char* name);

// `name` as a whole number in [min, max]; absent: fallback.
Result<std::size_t> size_param(const http::Request& req, const char* name, std::size_t fallback,
                               std::size_t min, std::size_t max);

// `name` as a code of `digits` decimal digits (e.g. a province: 2); absent: "".
Result<std::string> code_param(const http::Request& req, const char* name, std::size_t digits);

// `name` as text (valid UTF-8: http::parse_target refuses any other) of at most
// max_bytes, optionally required not blank (text/blank.hpp).
Result<std::string> text_param(const http::Request& req, const char* name, std::size_t max_bytes,
                               bool required);

Error bad_param(const char* name, std::string vi, std::string en);

// A body, when there is one, sent as JSON: Content-Type application/json or
// application/<x>+json, with any parameters (charset=utf-8). Else a 415 naming
// Content-Type. A request with no body passes whatever its headers say.
Result<void> json_content_type(const http::Request& req);

// The request's body as a JSON object, sent as JSON (json_content_type).
Result<boost::json::object> body_object(const http::Request& req);

// The same, and sent as JSON even when empty: for the routes anyone may call
// with a browser's cookies (sign-in), where a cross-site HTML form could post
// its text/plain look-alike without the browser asking first.
Result<boost::json::object> json_body_object(const http::Request& req);

}  // namespace motcua::api
