#include "api/params.hpp"

#include <boost/json/parse.hpp>
#include <charconv>

#include "common/dates.hpp"
#include "text/blank.hpp"

namespace motcua::api {

namespace {

// application/json or application/<x>+json (RFC 6839), any case, any parameters.
bool is_json_media_type(std::optional<std::string_view> type) {
  if (!type) return false;
  std::string_view media = type->substr(0, type->find(';'));
  while (!media.empty() && (media.back() == ' ' || media.back() == '\t')) media.remove_suffix(1);
  while (!media.empty() && (media.front() == ' ' || media.front() == '\t')) media.remove_prefix(1);
  constexpr std::string_view kApplication = "application/";
  constexpr std::string_view kSuffix = "+json";
  if (media.size() < kApplication.size() ||
      !http::iequals(media.substr(0, kApplication.size()), kApplication)) {
    return false;
  }
  const std::string_view subtype = media.substr(kApplication.size());
  if (http::iequals(subtype, "json")) return true;
  return subtype.size() > kSuffix.size() &&
         http::iequals(subtype.substr(subtype.size() - kSuffix.size()), kSuffix);
}

Error not_json_media_type() {
  return make_error(ErrorKind::kUnsupportedMediaType,
                    "Nội dung phải được gửi dưới dạng JSON (Content-Type: application/json).",
                    "The body must be sent as JSON (Content-Type: application/json).",
                    "Content-Type");
}

}  // namespace

Result<void> json_content_type(const http::Request& req) {
  // A body sent as something else was read as JSON all the same, so the
  // client's type and the server's reading could disagree; no body, no type.
  if (req.body.empty() || is_json_media_type(req.header("content-type"))) return ok();
  return not_json_media_type();
}

Result<boost::json::object> body_object(const http::Request& req) {
  if (auto r = json_content_type(req); !r) return r.error();
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(req.body, ec);
  if (ec || !v.is_object()) {
    return bad_param("body", "Nội dung phải là một đối tượng JSON hợp lệ.",
                     "The body must be a valid JSON object.");
  }
  return std::move(v.get_object());
}

Result<boost::json::object> json_body_object(const http::Request& req) {
  if (!is_json_media_type(req.header("content-type"))) return not_json_media_type();
  return body_object(req);
}

Error bad_param(const char* name, std::string vi, std::string en) {
  return make_error(ErrorKind::kBadRequest, std::move(vi), std::move(en), name);
}

Result<std::string> date_param(const http::Request& req, const char* name) {
  auto v = req.query_param(name);
  if (!v) return vn_today();
  if (!is_iso_date(*v))
    return bad_param(name,
                     std::string("Tham số '") + name +
                         "' phải là một ngày có thật dạng YYYY-MM-DD, ví dụ 2025-07-01.",
                     std::string("Parameter '") + name +
                         "' must be a real date written YYYY-MM-DD, for example 2025-07-01.");
  return std::string(*v);
}

Result<std::size_t> size_param(const http::Request& req, const char* name, std::size_t fallback,
                               std::size_t min, std::size_t max) {
  auto v = req.query_param(name);
  if (!v) return fallback;
  std::size_t out = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size() || out < min || out > max) {
    auto range = std::to_string(min) + ".." + std::to_string(max);
    return bad_param(
        name, std::string("Tham số '") + name + "' phải là số nguyên từ " + range + ".",
        std::string("Parameter '") + name + "' must be a whole number in " + range + ".");
  }
  return out;
}

Result<std::string> code_param(const http::Request& req, const char* name, std::size_t digits) {
  auto v = req.query_param(name);
  if (!v) return std::string();
  bool ok = v->size() == digits;
  for (char c : *v) ok = ok && c >= '0' && c <= '9';
  if (!ok) {
    auto d = std::to_string(digits);
    return bad_param(
        name, std::string("Tham số '") + name + "' phải là mã gồm " + d + " chữ số, ví dụ 01.",
        std::string("Parameter '") + name + "' must be a code of " + d +
            " digits, for example 01.");
  }
  return std::string(*v);
}

Result<std::string> text_param(const http::Request& req, const char* name, std::size_t max_bytes,
                               bool required) {
  auto v = req.query_param(name);
  std::string_view s = v ? *v : std::string_view();
  if (s.size() > max_bytes)
    return bad_param(name,
                     std::string("Tham số '") + name + "' quá dài (tối đa " +
                         std::to_string(max_bytes) + " byte).",
                     std::string("Parameter '") + name + "' is too long (at most " +
                         std::to_string(max_bytes) + " bytes).");
  if (required && text::blank(s))
    return bad_param(name,
                     std::string("Thiếu tham số '") + name + "': hãy nhập nội dung cần tra cứu.",
                     std::string("Parameter '") + name + "' is missing: give the text to look up.");
  return std::string(s);
}

}  // namespace motcua::api
