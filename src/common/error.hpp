// The error type shared by every layer. Domain and services return these as
// values; src/http/error_table.cpp maps each kind to one HTTP status.
#pragma once

#include <string>

namespace motcua {

enum class ErrorKind {
  kBadRequest,            // malformed input: a parameter or field is wrong
  kNotFound,              // the thing named does not exist
  kConflict,              // not allowed in the current state
  kPreconditionFailed,    // stale version (If-Match)
  kPreconditionRequired,  // a write that must name the version read did not
  kUnprocessable,         // well-formed but refers to something unknown
  kPayloadTooLarge,       // body over the limit
  kUnsupportedMediaType,  // a file of a type not taken
  kUnauthorized,
  kForbidden,
  kTooManyRequests,
  kUnavailable,  // storage or a dependency is down
  // A write that may or may not have been carried out (the database went
  // away at its commit, or its answer was not waited for): 504.
  kOutcomeUnknown,
  kInternal,  // a bug: logged, never shown in detail
};

// A message a person can act on, in Vietnamese and English. `param` names the
// offending parameter or field when there is one.
struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string message_vi;
  std::string message_en;
  std::string param;
  // For the operator only: logged with the answer, never shown to a client
  // (a database's host, socket or port; a server path). Commands print it.
  std::string log_detail;
};

inline Error make_error(ErrorKind kind, std::string vi, std::string en, std::string param = {},
                        std::string log_detail = {}) {
  return Error{kind, std::move(vi), std::move(en), std::move(param), std::move(log_detail)};
}

// The same, with what only the operator's log may read.
inline Error with_log_detail(Error e, std::string detail) {
  e.log_detail = std::move(detail);
  return e;
}

// kOutcomeUnknown: `what` happened, then how to find out and retry safely.
Error outcome_unknown(const std::string& what_vi, const std::string& what_en);

// Short stable name of a kind, used in problem types and logs.
const char* error_kind_name(ErrorKind kind);

}  // namespace motcua
