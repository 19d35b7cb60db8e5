#include "common/json_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace motcua {

namespace {

// Whether a byte must be escaped: '"', '\\' or a control character.
constexpr bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// The bytes of `text` before its first byte that needs an escape. Eight
// bytes are tested at once: in (x - 0x01..01 * n) & ~x the high bit of some
// byte is set exactly when x has a byte below n (n <= 0x80); a byte equal to
// c is a byte of x ^ (0x01..01 * c) below 1. A word that may hold one is
// then walked a byte at a time.
std::size_t plain_prefix(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  const char* p = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x;
    std::memcpy(&x, p + i, 8);
    const std::uint64_t q = x ^ (kOnes * '"');
    const std::uint64_t b = x ^ (kOnes * '\\');
    if ((((x - kOnes * 0x20) & ~x) | ((q - kOnes) & ~q) | ((b - kOnes) & ~b)) & kHigh) break;
  }
  while (i < n && !needs_escape(static_cast<unsigned char>(p[i]))) ++i;
  return i;
}

// Grows `out` by `n` bytes and returns where they start: one length check
// for a whole piece instead of one per character appended.
char* grow(std::string& out, std::size_t n) {
  const std::size_t at = out.size();
  out.resize(at + n);
  return out.data() + at;
}

// `before` (unless 0), `text` quoted and escaped, then `after` (unless 0).
void append_quoted(std::string& out, std::string_view text, char before, char after) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t i = plain_prefix(text);
  if (i == text.size()) {  // nearly always: nothing to escape, one copy
    char* p = grow(out, text.size() + 2 + (before != 0) + (after != 0));
    if (before) *p++ = before;
    *p++ = '"';
    if (!text.empty()) std::memcpy(p, text.data(), text.size());
    p += text.size();
    *p++ = '"';
    if (after) *p = after;
    return;
  }
  if (before) out += before;
  out += '"';
  out.append(text.data(), i);
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i++]);
    if (c < 0x20) {
      const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      out.append(escaped, sizeof escaped);
    } else {
      const char escaped[] = {'\\', static_cast<char>(c)};
      out.append(escaped, sizeof escaped);
    }
    const std::size_t run = plain_prefix(text.substr(i));
    out.append(text.data() + i, run);
    i += run;
  }
  out += '"';
  if (after) out += after;
}

}  // namespace

void append_json_quoted(std::string& out, std::string_view text) { append_quoted(out, text, 0, 0); }

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
  append_quoted(out_, k, need_comma_ ? ',' : 0, ':');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::str(std::string_view v) {
  append_quoted(out_, v, need_comma_ ? ',' : 0, 0);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::num(std::int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return raw(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  char* p = grow(out_, json.size() + (need_comma_ ? 1 : 0));
  if (need_comma_) *p++ = ',';
  if (!json.empty()) std::memcpy(p, json.data(), json.size());
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
