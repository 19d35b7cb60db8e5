// The rule for text in request bodies, shared by every API that takes some.
#pragma once

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::services {

// Text with a control character the API refuses, or a direction override
// (text/control_chars.hpp), is a 400 naming the field `where`, the character
// and its byte.
Result<void> plain_text(std::string_view s, const std::string& where);

// Text as it is kept: plain_text()'s check, then composed (NFC), so that a
// name typed on a system that sends it decomposed is the same name.
Result<std::string> request_text(std::string_view s, const std::string& where);

// plain_text() over every key and string of `v`, naming the first refused one
// by its path from `where` ("steps[2]", "channels[0].note"). For bodies read
// whole by a reader that also decodes stored rows (the catalog's), which must
// keep reading what older versions stored.
Result<void> plain_texts(const boost::json::value& v, const std::string& where = {});

}  // namespace motcua::services
