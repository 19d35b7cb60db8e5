#include "domain/dossier/json_text.hpp"

namespace motcua::dossier {

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

void JsonObjectText::key(std::string_view k) {
  if (text_.size() > 1) text_ += ',';
  append_json_quoted(text_, k);
  text_ += ':';
}

JsonObjectText& JsonObjectText::add(std::string_view k, std::string_view value) {
  key(k);
  append_json_quoted(text_, value);
  return *this;
}

JsonObjectText& JsonObjectText::add(std::string_view k, std::int64_t value) {
  key(k);
  text_ += std::to_string(value);
  return *this;
}

JsonObjectText& JsonObjectText::add(std::string_view k, bool value) {
  key(k);
  text_ += value ? "true" : "false";
  return *this;
}

JsonObjectText& JsonObjectText::add(std::string_view k, const std::vector<std::string>& values) {
  key(k);
  text_ += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) text_ += ',';
    append_json_quoted(text_, values[i]);
  }
  text_ += ']';
  return *this;
}

JsonObjectText& JsonObjectText::add_raw(std::string_view k, std::string_view json) {
  key(k);
  text_ += json;
  return *this;
}

}  // namespace motcua::dossier
