#include "common/error.hpp"

namespace motcua {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest: return "bad-request";
    case ErrorKind::kNotFound: return "not-found";
    case ErrorKind::kConflict: return "conflict";
    case ErrorKind::kPreconditionFailed: return "precondition-failed";
    case ErrorKind::kPreconditionRequired:
      return "precondition-required";
    case ErrorKind::kUnprocessable: return "unprocessable";
    case ErrorKind::kPayloadTooLarge: return "payload-too-large";
    case ErrorKind::kUnsupportedMediaType: return "unsupported-media-type";
    case ErrorKind::kUnauthorized: return "unauthorized";
    case ErrorKind::kForbidden: return "forbidden";
    case ErrorKind::kTooManyRequests: return "too-many-requests";
    case ErrorKind::kUnavailable: return "unavailable";
    case ErrorKind::kInternal: return "internal";
  }
  return "internal";
}

}  // namespace motcua
