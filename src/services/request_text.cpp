#include "services/request_text.hpp"

#include "text/control_chars.hpp"
#include "text/fold.hpp"

namespace motcua::services {

Result<void> plain_text(std::string_view s, const std::string& where) {
  if (const auto d = text::first_direction_override(s); d != std::string_view::npos) {
    const auto name = text::direction_override_name(s, d);
    const auto byte = std::to_string(d);
    return make_error(ErrorKind::kBadRequest,
                      "Trường '" + where + "' chứa ký tự ép hướng chữ " + name + " ở byte " + byte +
                          ": hãy xoá ký tự này.",
                      "Field '" + where + "' holds the direction override " + name + " at byte " +
                          byte + ": remove it.",
                      where);
  }
  const auto at = text::first_control_char(s);
  if (at == std::string_view::npos) return ok();
  const auto name = text::code_point_name(s[at]);
  const auto byte = std::to_string(at);
  return make_error(ErrorKind::kBadRequest,
                    "Trường '" + where + "' chứa ký tự điều khiển " + name + " ở byte " + byte +
                        ": hãy xoá ký tự này.",
                    "Field '" + where + "' holds the control character " + name + " at byte " +
                        byte + ": remove it.",
                    where);
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
