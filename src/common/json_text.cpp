#include "common/json_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace motcua {

namespace {

// Whether a byte must be escaped: '"', '\\' or a control character.
constexpr bool needs_escape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

#if defined(__SSE2__)
// The bytes among sixteen that need an escape, one bit each: a byte at most
// 0x1f (its unsigned maximum with 0x1f is 0x1f), '"' or '\\'.
int escape_bits(__m128i x) {
  const __m128i low = _mm_set1_epi8(0x1f);
  const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(x, low), low);
  const __m128i quote = _mm_cmpeq_epi8(x, _mm_set1_epi8('"'));
  const __m128i slash = _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'));
  return _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, slash)));
}

// The bytes of `text` before its first byte that needs an escape, tested
// sixteen at a time: a text shorter than that as one block padded with a
// plain byte, the end of a longer one as its last sixteen bytes (some
// tested twice; those before were plain, so the first bit set is the one).
std::size_t plain_prefix(std::string_view text) {
  const char* p = text.data();
  const std::size_t n = text.size();
  if (n < 16) {
    char block[16];
    std::memset(block, 'a', sizeof block);
    if (n) std::memcpy(block, p, n);
    const int bits = escape_bits(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block)));
    return bits ? static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(bits))) : n;
  }
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const int bits = escape_bits(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
    if (bits) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(bits)));
  }
  if (i == n) return n;
  const int bits = escape_bits(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16)));
  return bits ? n - 16 + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(bits))) : n;
}
#else
// The bytes of `text` before its first byte that needs an escape.
std::size_t plain_prefix(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && !needs_escape(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}
#endif

// Texts up to this long are quoted in a buffer on the stack and appended in
// one piece (one capacity check, no zero-filling as resize() would do).
constexpr std::size_t kShort = 120;

// `before` (unless 0), `text` quoted and escaped, then `after` (unless 0).
void append_quoted(std::string& out, std::string_view text, char before, char after) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t i = plain_prefix(text);
  if (i == text.size() && text.size() <= kShort) {  // nearly always: nothing to escape
    char piece[kShort + 4];
    char* p = piece;
    if (before) *p++ = before;
    *p++ = '"';
    if (!text.empty()) std::memcpy(p, text.data(), text.size());
    p += text.size();
    *p++ = '"';
    if (after) *p++ = after;
    out.append(piece, static_cast<std::size_t>(p - piece));
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
  if (need_comma_) out_ += ',';
  out_.append(json);
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
