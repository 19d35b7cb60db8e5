// The rule for text in request bodies, shared by every API that takes some.
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::services {

// Text with a control character the API refuses (text/control_chars.hpp) is a
// 400 naming the field `where`, the character and its byte.
Result<void> plain_text(std::string_view s, const std::string& where);

}  // namespace motcua::services
