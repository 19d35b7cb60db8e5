#include "common/json_text.hpp"

#include <algorithm>
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

// Sixteen bytes from `p`, of which the first `n` (at most 16) are a text's:
// one load when the sixteen lie within one 4 KB page, where reading past the
// text cannot fault (the bytes after it are masked off by the caller); else,
// near a page's end, a copy padded with a plain byte. Most texts here are
// keys and short values, and a copy of one cost more than testing it.
__attribute__((no_sanitize("address"))) __m128i load_short(const char* p, std::size_t n) {
  if (n == 0) return _mm_set1_epi8('a');
  if ((reinterpret_cast<std::uintptr_t>(p) & 4095) <= 4096 - 16) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  }
  char block[16];
  std::memset(block, 'a', sizeof block);
  std::memcpy(block, p, n);
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(block));
}

// escape_bits of the first `n` (at most 16) bytes only.
int short_escape_bits(__m128i x, std::size_t n) {
  return escape_bits(x) & static_cast<int>((1u << n) - 1);
}

std::size_t first_bit(int bits) {
  return static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(bits)));
}

// The bytes of `text` before its first byte that needs an escape, tested
// sixteen at a time: a short text in one load_short, the end of a longer one
// as its last sixteen bytes (some tested twice; those before were plain, so
// the first bit set is the one).
std::size_t plain_prefix(std::string_view text) {
  const char* p = text.data();
  const std::size_t n = text.size();
  if (n <= 16) {
    const int bits = short_escape_bits(load_short(p, n), n);
    return bits ? first_bit(bits) : n;
  }
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const int bits = escape_bits(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
    if (bits) return i + first_bit(bits);
  }
  if (i == n) return n;
  const int bits = escape_bits(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16)));
  return bits ? n - 16 + first_bit(bits) : n;
}
#else
// The bytes of `text` before its first byte that needs an escape.
std::size_t plain_prefix(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && !needs_escape(static_cast<unsigned char>(text[i]))) ++i;
  return i;
}
#endif

// The bytes `text` takes quoted and escaped; `from` is its first byte that
// needs an escape (its size when none does).
std::size_t quoted_size(std::string_view text, std::size_t from) {
  std::size_t size = text.size() + 2;
  for (std::size_t i = from; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    size += c < 0x20 ? 5 : needs_escape(c) ? 1 : 0;
  }
  return size;
}

// Writes `text` quoted and escaped at `p`, which has room for quoted_size;
// returns the end. The plain bytes before `from` go in one copy.
char* write_quoted(char* p, std::string_view text, std::size_t from) {
  static constexpr char kHex[] = "0123456789abcdef";
  *p++ = '"';
  if (from) std::memcpy(p, text.data(), from);
  p += from;
  for (std::size_t i = from; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20) {
      const char escaped[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
      std::memcpy(p, escaped, sizeof escaped);
      p += sizeof escaped;
    } else {
      if (needs_escape(c)) *p++ = '\\';
      *p++ = static_cast<char>(c);
    }
  }
  *p++ = '"';
  return p;
}

}  // namespace

void append_json_quoted(std::string& out, std::string_view text) {
  const std::size_t from = plain_prefix(text);
  const std::size_t at = out.size();
  out.resize(at + quoted_size(text, from));
  write_quoted(out.data() + at, text, from);
}

std::string json_quote(std::string_view text) {
  std::string out;
  append_json_quoted(out, text);
  return out;
}

void JsonWriter::grow(std::size_t n) { out_.resize(std::max(out_.size() * 2, len_ + n)); }

void JsonWriter::quoted(std::string_view text, char before, char after) {
#if defined(__SSE2__)
  if (const std::size_t n = text.size(); n <= 16) {  // tested and copied in one piece of sixteen bytes
    const __m128i x = load_short(text.data(), n);
    if (short_escape_bits(x, n) == 0) {
      char* p = room(20);
      if (before) *p++ = before;
      *p++ = '"';
      _mm_storeu_si128(reinterpret_cast<__m128i*>(p), x);
      p += n;
      *p++ = '"';
      if (after) *p++ = after;
      end_at(p);
      return;
    }
  }
#endif
  const std::size_t from = plain_prefix(text);
  char* p = room(quoted_size(text, from) + 2);
  if (before) *p++ = before;
  p = write_quoted(p, text, from);
  if (after) *p++ = after;
  end_at(p);
}

JsonWriter& JsonWriter::open(char c) {
  char* p = room(2);
  if (need_comma_) *p++ = ',';
  *p++ = c;
  end_at(p);
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::close(char c) {
  char* p = room(1);
  *p++ = c;
  end_at(p);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view k) {
  quoted(k, need_comma_ ? ',' : 0, ':');
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::str(std::string_view v) {
  quoted(v, need_comma_ ? ',' : 0, 0);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::num(std::int64_t v) {
  char* p = room(24);
  if (need_comma_) *p++ = ',';
  p = std::to_chars(p, p + 22, v).ptr;
  end_at(p);
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  char* p = room(json.size() + 1);
  if (need_comma_) *p++ = ',';
  if (!json.empty()) std::memcpy(p, json.data(), json.size());
  end_at(p + json.size());
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
