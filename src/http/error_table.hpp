// The one table from ErrorKind to HTTP status, and RFC 9457 problem+json
// bodies built from an Error:
//   {"type":"https://motcua.vn/problems/<kind-name>","title":...,"title_vi":...,
//    "status":...,"detail":message_en,"detail_vi":message_vi,
//    "instance":<request path>,"param":... (when set)}
#pragma once

#include <string>
#include <string_view>

#include "common/error.hpp"
#include "http/message.hpp"

namespace motcua::http {

inline constexpr std::string_view kProblemContentType = "application/problem+json";
inline constexpr std::string_view kProblemTypeBase = "https://motcua.vn/problems/";

int status_for(ErrorKind kind);

// A problem response for e, with the status from the table. For kInternal the
// detail is replaced by a generic message (the real one is the response's
// operator_note, as is an error's log_detail).
Response problem(const Error& e, std::string_view instance);

// Writes a response's operator_note to stderr with the request's id and path,
// at most a few lines a second (in an outage every request fails alike, and
// a stderr that blocks would hold the request threads).
void log_operator_note(std::string_view request_id, std::string_view path, const std::string& note);

// For the few answers that have no ErrorKind (405, 431): an explicit status
// and problem type name ("method-not-allowed").
Response problem(int status, std::string_view type_name, const Error& e, std::string_view instance);

// A JSON response with the given status and already serialised body.
Response json_response(int status, std::string body);

}  // namespace motcua::http
