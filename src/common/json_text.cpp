#include "common/json_text.hpp"

#include <charconv>
#include <cmath>

namespace motcua {

void append_json_quoted(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  // Runs of characters that need no escape go in whole (event hashing and
  // the simulator write many of these).
  std::size_t run = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c != '"' && c != '\\' && c >= 0x20) continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += '\\';
      out += static_cast<char>(c);
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_quoted(out, text);
  return out;
}

JsonWriter& JsonWriter::open(char c) {
  comma();
  out_ += c;
  return *this;
}

JsonWriter& JsonWriter::close(char c) {
  out_ += c;
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  comma();
  append_json_quoted(out_, k);
  out_ += ':';
  return *this;
}

JsonWriter& JsonWriter::str(std::string_view v) {
  comma();
  append_json_quoted(out_, v);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::num(std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return raw(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  comma();
  out_ += json;
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::real(double v) {
  if (!std::isfinite(v)) return raw("null");
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return raw(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

JsonObjectText& JsonObjectText::add(std::string_view k, const std::vector<std::string>& values) {
  w_.key(k).begin_array();
  for (const auto& v : values) w_.str(v);
  w_.end_array();
  return *this;
}

}  // namespace motcua
