#include "http/request_target.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "text/control_chars.hpp"
#include "text/fold.hpp"

namespace motcua::http {
namespace {

Error bad_target(const std::string& why_vi, const std::string& why_en) {
  return make_error(ErrorKind::kBadRequest, "Đường dẫn yêu cầu không hợp lệ: " + why_vi,
                    "The request target is not valid: " + why_en, "target");
}

}  // namespace

Result<void> parse_target(std::string_view target, Request& req) {
  // Origin form ("/path?query") is what clients send; absolute form comes
  // through proxies. Anything else ("*", authority form) has no path to route.
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) {
    parsed = boost::urls::parse_absolute_uri(target);
    if (!parsed) return bad_target("không phân tích được", "it does not parse");
  }
  const boost::urls::url_view& url = *parsed;

  req.path.clear();
  url.encoded_path().decode({}, boost::urls::string_token::append_to(req.path));
  if (req.path.empty()) req.path = "/";
  if (req.path.front() != '/')
    return bad_target("đường dẫn phải bắt đầu bằng '/'", "the path must start with '/'");
  if (const auto at = text::first_control_char(req.path); at != std::string::npos) {
    const auto name = text::code_point_name(req.path[at]);
    return bad_target("đường dẫn chứa ký tự điều khiển " + name,
                      "the path holds the control character " + name);
  }
  if (!text::valid_utf8(req.path))
    return bad_target("đường dẫn không phải UTF-8 hợp lệ", "the path is not valid UTF-8");

  req.query.clear();
  if (url.has_query()) {
    for (const auto& param : url.params()) {  // decodes, '+' as space
      // A value goes on to the stores, where PostgreSQL would cut it at a NUL
      // and refuses bytes that are not UTF-8 (a server error, not the
      // client's 400). A key that is not UTF-8 is not repeated in the answer.
      const std::string key = text::valid_utf8(param.key) ? param.key : "?";
      for (const std::string* part : {&param.key, &param.value}) {
        if (!text::valid_utf8(*part)) {
          return make_error(ErrorKind::kBadRequest,
                            "Tham số '" + key + "' không phải văn bản UTF-8 hợp lệ.",
                            "Parameter '" + key + "' is not valid UTF-8 text.", key);
        }
        const auto at = text::first_control_char(*part);
        if (at == std::string::npos) continue;
        const auto name = text::code_point_name((*part)[at]);
        return make_error(
            ErrorKind::kBadRequest,
            "Tham số '" + key + "' chứa ký tự điều khiển " + name + ": hãy xoá ký tự này.",
            "Parameter '" + key + "' holds the control character " + name + ": remove it.", key);
      }
      // An empty segment ("?a=1&&b=2", a trailing '&') names no parameter.
      if (param.key.empty() && !param.has_value) continue;
      // A repeated key has no one meaning for the API (a proxy or cache in
      // front may take the last value where a handler takes the first, and a
      // client sending a list would be answered for one item of it). The web
      // application's pages read their query in the browser: a link to one
      // is served whatever it carries.
      const bool added =
          req.query.emplace(param.key, param.has_value ? param.value : std::string()).second;
      if (!added && req.path.starts_with("/api/")) {
        return make_error(ErrorKind::kBadRequest,
                          "Tham số '" + key + "' được gửi nhiều lần: hãy gửi một lần.",
                          "Parameter '" + key + "' is sent more than once: send it once.", key);
      }
    }
  }
  return ok();
}

}  // namespace motcua::http
