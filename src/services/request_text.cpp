#include "services/request_text.hpp"

#include "text/control_chars.hpp"

namespace motcua::services {

Result<void> plain_text(std::string_view s, const std::string& where) {
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

}  // namespace motcua::services
