#include "http/error_table.hpp"

#include <atomic>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>

#include "text/fold.hpp"

namespace motcua::http {
namespace {

struct Title {
  const char* en;
  const char* vi;
};

std::string note_of(const char* kind, const Error& e) {
  std::string note = std::string(kind) + ": " + e.message_en;
  if (!e.log_detail.empty()) note += " (" + e.log_detail + ")";
  return note;
}

}  // namespace

// How many were left out is said with the next line written.
void log_operator_note(std::string_view request_id, std::string_view path,
                       const std::string& note) {
  constexpr long kPerSecond = 5;
  static std::atomic<long> second{0}, written{0}, left_out{0};
  const long now = static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(
                                         std::chrono::steady_clock::now().time_since_epoch())
                                         .count());
  long seen = second.load(std::memory_order_relaxed);
  if (seen != now && second.compare_exchange_strong(seen, now)) written.store(0);
  if (written.fetch_add(1, std::memory_order_relaxed) >= kPerSecond) {
    left_out.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  const long skipped = left_out.exchange(0, std::memory_order_relaxed);
  std::fprintf(stderr, "%s (request %.*s, %.*s)\n", note.c_str(),
               static_cast<int>(request_id.size()), request_id.data(),
               static_cast<int>(path.size()), path.data());
  if (skipped > 0) std::fprintf(stderr, "(%ld similar lines left out)\n", skipped);
}

namespace {

Title title_for(int status) {
  switch (status) {
    case 400:
      return {"Bad request", "Yêu cầu không hợp lệ"};
    case 401:
      return {"Unauthorized", "Chưa xác thực"};
    case 403:
      return {"Forbidden", "Không có quyền"};
    case 404:
      return {"Not found", "Không tìm thấy"};
    case 405:
      return {"Method not allowed", "Phương thức không được hỗ trợ"};
    case 409:
      return {"Conflict", "Xung đột trạng thái"};
    case 412:
      return {"Precondition failed", "Điều kiện tiên quyết không được thoả mãn"};
    case 413:
      return {"Payload too large", "Dữ liệu gửi lên quá lớn"};
    case 415:
      return {"Unsupported media type", "Kiểu nội dung không được hỗ trợ"};
    case 422:
      return {"Unprocessable content", "Không thể xử lý nội dung"};
    case 428:
      return {"Precondition required", "Thiếu điều kiện tiên quyết (If-Match)"};
    case 429:
      return {"Too many requests", "Quá nhiều yêu cầu"};
    case 431:
      return {"Request header fields too large", "Phần đầu yêu cầu quá lớn"};
    case 503:
      return {"Service unavailable", "Dịch vụ tạm thời không khả dụng"};
    case 504:
      return {"Gateway timeout", "Hết thời gian chờ xử lý"};
    default:
      return {"Internal server error", "Lỗi máy chủ"};
  }
}

}  // namespace

int status_for(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kBadRequest:
      return 400;
    case ErrorKind::kNotFound:
      return 404;
    case ErrorKind::kConflict:
      return 409;
    case ErrorKind::kPreconditionFailed:
      return 412;
    case ErrorKind::kPreconditionRequired:
      return 428;
    case ErrorKind::kUnprocessable:
      return 422;
    case ErrorKind::kPayloadTooLarge:
      return 413;
    case ErrorKind::kUnsupportedMediaType:
      return 415;
    case ErrorKind::kUnauthorized:
      return 401;
    case ErrorKind::kForbidden:
      return 403;
    case ErrorKind::kTooManyRequests:
      return 429;
    case ErrorKind::kUnavailable:
      return 503;
    case ErrorKind::kOutcomeUnknown:
      return 504;
    case ErrorKind::kInternal:
      return 500;
  }
  return 500;
}

Response problem(int status, std::string_view type_name, const Error& e,
                 std::string_view instance) {
  const Title title = title_for(status);
  boost::json::object o;
  std::string type(kProblemTypeBase);
  type += type_name;
  o["type"] = type;
  o["title"] = title.en;
  o["title_vi"] = title.vi;
  o["status"] = status;
  // A problem may quote what a client sent (a path, a code from a CSV row)
  // and must be UTF-8 all the same.
  o["detail"] = text::well_formed(e.message_en);
  o["detail_vi"] = text::well_formed(e.message_vi);
  o["instance"] = text::well_formed(instance);
  if (!e.param.empty()) o["param"] = text::well_formed(e.param);
  Response r;
  r.status = status;
  r.content_type = kProblemContentType;
  r.body = boost::json::serialize(o);
  return r;
}

Response problem(const Error& e, std::string_view instance) {
  if (e.kind != ErrorKind::kInternal) {
    Response r = problem(status_for(e.kind), error_kind_name(e.kind), e, instance);
    if (!e.log_detail.empty()) r.operator_note = note_of(error_kind_name(e.kind), e);
    return r;
  }
  // A bug: keep the detail for the operator, show the person a generic message.
  const Error shown = make_error(
      ErrorKind::kInternal,
      "Đã xảy ra lỗi nội bộ. Vui lòng thử lại sau hoặc liên hệ quản trị viên.",
      "An internal error occurred. Please try again later or contact the administrator.");
  Response r = problem(500, error_kind_name(ErrorKind::kInternal), shown, instance);
  r.operator_note = note_of("internal error", e);
  return r;
}

Response json_response(int status, std::string body) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace motcua::http
