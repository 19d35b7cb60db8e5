// Small writers of JSON text with a fixed key order and no whitespace. The
// domain may not use Boost.JSON, yet the event log needs one deterministic
// spelling of each event (its hash covers the bytes) and a payload as JSON
// text; the dossier's body and the operations centre's tables are answered
// on every read, where building a tree of values first cost more than the
// answer.
//
// Strings are written as UTF-8 with only '"', '\\' and control characters
// escaped (\u00XX), so the same text always gives the same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace motcua {

// "text" with the escapes above.
std::string json_quote(std::string_view text);
// The same, appended to `out`.
void append_json_quoted(std::string& out, std::string_view text);

// Values and members written straight into one string, nested as opened and
// closed: w.begin_object().member("a", 1).key("b").begin_array().str("x")...
class JsonWriter {
 public:
  // `capacity`: the bytes the text is expected to reach, made room for at once.
  explicit JsonWriter(std::size_t capacity = 0) : out_(capacity, '\0') {}
  const std::string& text() const {
    out_.resize(len_);
    return out_;
  }
  std::string take() {
    out_.resize(len_);
    len_ = 0;
    return std::move(out_);
  }

  JsonWriter& begin_object() { return open('{'); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('['); }
  JsonWriter& end_array() { return close(']'); }
  JsonWriter& key(std::string_view k);
  JsonWriter& str(std::string_view v);
  JsonWriter& num(std::int64_t v);
  JsonWriter& boolean(bool v) { return raw(v ? "true" : "false"); }
  // The shortest text that reads back as `v`; null when it is not finite.
  JsonWriter& real(double v);
  // `json` must be one valid JSON value.
  JsonWriter& raw(std::string_view json);

  // key(k), then the value by its type: a bool, a whole number, a real
  // number, text, or optional text or real (null when absent).
  template <class T>
  JsonWriter& member(std::string_view k, const T& v) {
    key(k);
    if constexpr (std::is_same_v<T, bool>) {
      return boolean(v);
    } else if constexpr (std::is_integral_v<T>) {
      return num(v);
    } else if constexpr (std::is_floating_point_v<T>) {
      return real(v);
    } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
      return v ? str(*v) : raw("null");
    } else if constexpr (std::is_same_v<T, std::optional<double>>) {
      return v ? real(*v) : raw("null");
    } else {
      return str(v);
    }
  }

 private:
  JsonWriter& open(char c);
  JsonWriter& close(char c);
  // `before` (unless 0), `text` quoted, then `after` (unless 0).
  void quoted(std::string_view text, char before, char after);
  // Where the next `n` bytes go; end_at(p) then keeps those up to p. The
  // text is written straight into out_, whose size is the room made so far
  // (len_ bytes are text): one check per piece, not one per appended part.
  char* room(std::size_t n) {
    if (out_.size() - len_ < n) grow(n);
    return out_.data() + len_;
  }
  void grow(std::size_t n);
  void end_at(const char* p) { len_ = static_cast<std::size_t>(p - out_.data()); }

  mutable std::string out_;  // text() trims it to len_
  std::size_t len_ = 0;
  bool need_comma_ = false;
};

// {"a":1,"b":"x"} in the order the members are added.
class JsonObjectText {
 public:
  JsonObjectText() : w_(256) { w_.begin_object(); }
  JsonObjectText& add(std::string_view key, std::string_view value) {
    w_.member(key, value);
    return *this;
  }
  JsonObjectText& add(std::string_view key, const char* value) {
    return add(key, std::string_view(value));
  }
  JsonObjectText& add(std::string_view key, std::int64_t value) {
    w_.member(key, value);
    return *this;
  }
  JsonObjectText& add(std::string_view key, int value) {
    return add(key, static_cast<std::int64_t>(value));
  }
  JsonObjectText& add(std::string_view key, bool value) {
    w_.member(key, value);
    return *this;
  }
  JsonObjectText& add(std::string_view key, const std::vector<std::string>& values);
  // `json` must already be valid JSON text.
  JsonObjectText& add_raw(std::string_view key, std::string_view json) {
    w_.key(key).raw(json);
    return *this;
  }

  std::string str() const { return w_.text() + "}"; }
  // The text without a copy; the object is spent.
  std::string take() { return w_.end_object().take(); }

 private:
  JsonWriter w_;
};

}  // namespace motcua
