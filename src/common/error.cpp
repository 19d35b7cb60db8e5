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
    case ErrorKind::kOutcomeUnknown:
      return "write-outcome-unknown";
    case ErrorKind::kInternal: return "internal";
  }
  return "internal";
}

Error outcome_unknown(const std::string& what_vi, const std::string& what_en) {
  // A client told only "try again" would file a second dossier.
  return make_error(ErrorKind::kOutcomeUnknown,
                    what_vi +
                        " Yêu cầu có thể đã được thực hiện, hoặc vẫn đang được thực hiện. Trước "
                        "khi gửi lại, hãy kiểm tra xem yêu cầu đã được thực hiện chưa (hồ sơ, "
                        "trạng thái); gửi lại với cùng Idempotency-Key sẽ không tạo hồ sơ thứ hai.",
                    what_en +
                        " It may have been, or may still be, carried out. Before sending it again, "
                        "check whether it was (the dossier, its state); a submission sent again "
                        "with the same Idempotency-Key never makes a second dossier.");
}

}  // namespace motcua
