// A small writer of JSON text with a fixed key order and no whitespace. The
// domain may not use Boost.JSON, yet the event log needs one deterministic
// spelling of each event (its hash covers the bytes) and a payload as JSON text.
//
// Strings are written as UTF-8 with only '"', '\\' and control characters
// escaped (\u00XX), so the same text always gives the same bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::dossier {

// "text" with the escapes above.
std::string json_quote(std::string_view text);
// The same, appended to `out`.
void append_json_quoted(std::string& out, std::string_view text);

// {"a":1,"b":"x"} in the order the members are added.
class JsonObjectText {
 public:
  JsonObjectText& add(std::string_view key, std::string_view value);
  JsonObjectText& add(std::string_view key, const char* value) {
    return add(key, std::string_view(value));
  }
  JsonObjectText& add(std::string_view key, std::int64_t value);
  JsonObjectText& add(std::string_view key, int value) {
    return add(key, static_cast<std::int64_t>(value));
  }
  JsonObjectText& add(std::string_view key, bool value);
  JsonObjectText& add(std::string_view key, const std::vector<std::string>& values);
  // `json` must already be valid JSON text.
  JsonObjectText& add_raw(std::string_view key, std::string_view json);

  std::string str() const { return text_ + "}"; }

 private:
  void key(std::string_view k);

  std::string text_ = "{";
};

}  // namespace motcua::dossier
