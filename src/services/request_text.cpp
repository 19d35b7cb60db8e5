#include "services/request_text.hpp"

#include "text/control_chars.hpp"
#include "text/fold.hpp"

namespace motcua::services {

namespace {

// The 400 for a refused character: `what` names its kind, in both languages.
Error refused(const std::string& where, const char* what_vi, const char* what_en,
              const std::string& name, std::size_t at) {
  const auto byte = std::to_string(at);
  return make_error(ErrorKind::kBadRequest,
                    "Trường '" + where + "' chứa " + what_vi + " " + name + " ở byte " + byte +
                        ": hãy xoá ký tự này.",
                    "Field '" + where + "' holds the " + what_en + " " + name + " at byte " + byte +
                        ": remove it.",
                    where);
}

}  // namespace

Result<void> plain_text(std::string_view s, const std::string& where) {
  if (const auto at = text::first_direction_override(s); at != std::string_view::npos) {
    return refused(where, "ký tự ép hướng chữ", "direction override",
                   text::direction_override_name(s, at), at);
  }
  if (const auto at = text::first_control_char(s); at != std::string_view::npos) {
    return refused(where, "ký tự điều khiển", "control character", text::code_point_name(s[at]),
                   at);
  }
  return ok();
}

Result<std::string> request_text(std::string_view s, const std::string& where) {
  if (auto r = plain_text(s, where); !r) return r.error();
  return text::nfc(s);
}

Result<void> plain_texts(const boost::json::value& v, const std::string& where) {
  if (v.is_string()) return plain_text(v.get_string(), where);
  if (v.is_array()) {
    const auto& a = v.get_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (auto r = plain_texts(a[i], where + "[" + std::to_string(i) + "]"); !r) return r;
    }
  } else if (v.is_object()) {
    for (const auto& kv : v.get_object()) {
      const std::string at =
          where.empty() ? std::string(kv.key()) : where + "." + std::string(kv.key());
      if (auto r = plain_text(kv.key(), at); !r) return r;
      if (auto r = plain_texts(kv.value(), at); !r) return r;
    }
  }
  return ok();
}

}  // namespace motcua::services
