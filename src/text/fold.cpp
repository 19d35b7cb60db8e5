// Folding is table driven: every code point below kTableSize (ASCII, Latin,
// combining marks, Latin Extended Additional where the precomposed Vietnamese
// letters live) maps to a short precomputed output; utf8proc handles the rest.
#include "text/fold.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace motcua::text {
namespace {

constexpr char32_t kTableSize = 0x2000;
constexpr char32_t kReplacement = 0xFFFD;

// What one code point becomes in a search key.
struct FoldEntry {
  enum Kind : std::uint8_t { kDrop, kSpace, kText } kind = kSpace;
  std::uint8_t len = 0;
  char out[6] = {};
  std::uint8_t marks_len = 0;  // the diacritics folding takes away (token_marks)
  char marks[3] = {};
};

// Decodes one code point at s[i]; advances i. Invalid sequences (bad lead,
// truncated, overlong, surrogate, out of range) consume one byte and give -1.
std::int32_t decode(std::string_view s, std::size_t& i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char c = p[i];
  if (c < 0x80) {
    ++i;
    return c;
  }
  int n = 0;
  std::int32_t cp = 0;
  std::int32_t min = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 1, cp = c & 0x1F, min = 0x80;
  } else if ((c & 0xF0) == 0xE0) {
    n = 2, cp = c & 0x0F, min = 0x800;
  } else if ((c & 0xF8) == 0xF0) {
    n = 3, cp = c & 0x07, min = 0x10000;
  } else {
    ++i;
    return -1;
  }
  if (s.size() - i <= static_cast<std::size_t>(n)) {
    ++i;
    return -1;
  }
  for (int k = 1; k <= n; ++k) {
    const unsigned char cc = p[i + k];
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return -1;
  }
  i += n + 1;
  return cp;
}

void encode(std::int32_t cp, std::string& out) {
  std::uint8_t buf[4];
  const auto n = utf8proc_encode_char(cp, buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

// đ Đ, and the look-alikes Ð ð Ɖ people type for it.
bool is_d_with_stroke(std::int32_t cp) {
  return cp == 0x0110 || cp == 0x0111 || cp == 0x00D0 || cp == 0x00F0 || cp == 0x0189;
}

// The folded form of one code point, from utf8proc: case folded, decomposed,
// marks stripped; punctuation, symbols, separators and controls become a space.
// Letters and digits append their folded text to `text`.
FoldEntry::Kind fold_code_point(std::int32_t cp, std::string& text) {
  if (is_d_with_stroke(cp)) {
    text.push_back('d');
    return FoldEntry::kText;
  }
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      text.push_back(c);
      return FoldEntry::kText;
    }
    if (c >= 'A' && c <= 'Z') {
      text.push_back(static_cast<char>(c - 'A' + 'a'));
      return FoldEntry::kText;
    }
    return FoldEntry::kSpace;
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return FoldEntry::kDrop;
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      break;
    default:
      return FoldEntry::kSpace;
  }
  constexpr utf8proc_ssize_t kMax = 32;
  utf8proc_int32_t buf[kMax];
  int last = 0;
  const auto n = utf8proc_decompose_char(
      cp, buf, kMax,
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK |
                                     UTF8PROC_COMPAT),
      &last);
  const std::size_t before = text.size();
  for (utf8proc_ssize_t k = 0; n > 0 && n <= kMax && k < n; ++k) {
    const auto c = utf8proc_category(buf[k]);
    if (c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME) {
      continue;
    }
    if (buf[k] == 0x0111) {
      text.push_back('d');
    } else {
      encode(buf[k], text);
    }
  }
  return text.size() > before ? FoldEntry::kText : FoldEntry::kDrop;
}

// One letter per mark, so that a token's marks sort into a short key.
char mark_letter(std::int32_t mark) {
  switch (mark) {
    case 0x0300:
      return 'f';  // huyền
    case 0x0301:
      return 's';  // sắc
    case 0x0309:
      return 'r';  // hỏi
    case 0x0303:
      return 'x';  // ngã
    case 0x0323:
      return 'j';  // nặng
    case 0x0302:
      return 'a';  // â ê ô
    case 0x0306:
      return 'w';  // ă
    case 0x031B:
      return 'o';  // ơ ư
    default:
      return '*';
  }
}

// The marks of one code point as mark_letter()s: those of its canonical
// decomposition, itself when it is a combining mark, "d" for đ.
std::string marks_of(std::int32_t cp) {
  if (is_d_with_stroke(cp)) return "d";
  constexpr utf8proc_ssize_t kMax = 8;
  utf8proc_int32_t buf[kMax];
  int last = 0;
  const auto n = utf8proc_decompose_char(cp, buf, kMax, UTF8PROC_DECOMPOSE, &last);
  std::string marks;
  for (utf8proc_ssize_t k = 0; n > 0 && n <= kMax && k < n; ++k) {
    const auto c = utf8proc_category(buf[k]);
    if (c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME) {
      marks.push_back(mark_letter(buf[k]));
    }
  }
  return marks;
}

FoldEntry make_entry(char32_t cp) {
  FoldEntry e;
  std::string text;
  e.kind = fold_code_point(static_cast<std::int32_t>(cp), text);
  if (text.size() > sizeof(e.out)) text.resize(sizeof(e.out));  // none below kTableSize
  e.len = static_cast<std::uint8_t>(text.size());
  std::memcpy(e.out, text.data(), text.size());
  std::string marks = marks_of(static_cast<std::int32_t>(cp));
  if (marks.size() > sizeof(e.marks)) marks.resize(sizeof(e.marks));
  e.marks_len = static_cast<std::uint8_t>(marks.size());
  std::memcpy(e.marks, marks.data(), marks.size());
  return e;
}

const std::array<FoldEntry, kTableSize>& fold_table() {
  static const auto table = [] {
    auto t = std::make_unique<std::array<FoldEntry, kTableSize>>();
    for (char32_t cp = 0; cp < kTableSize; ++cp) (*t)[cp] = make_entry(cp);
    return t;
  }();
  return *table;
}

// Writes folded text, keeping one space between words and none in front.
struct Writer {
  std::string& out;
  bool wrote = false;
  bool pending_space = false;

  void text(const char* s, std::size_t n) {
    if (pending_space && wrote) out.push_back(' ');
    pending_space = false;
    wrote = true;
    out.append(s, n);
  }
  void put(const FoldEntry& e) {
    if (e.kind == FoldEntry::kText) {
      text(e.out, e.len);
    } else if (e.kind == FoldEntry::kSpace) {
      pending_space = true;
    }
  }
};

}  // namespace

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    if (decode(s, i) < 0) return false;
  }
  return true;
}

namespace {

// True when every code point is one whose NFC quick-check is Yes and that
// cannot combine with a neighbour: below U+0300 (Latin, before the combining
// marks) or the precomposed Latin Extended Additional block. Stored names are
// almost always of this kind, which spares utf8proc's allocation.
bool surely_nfc(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto cp = decode(s, i);
    if (cp < 0) return false;
    if (cp < 0x300 || (cp >= 0x1E00 && cp < 0x1F00)) continue;
    return false;
  }
  return true;
}

}  // namespace

std::size_t character_count(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t n = max_bytes;
  // s[n] is the first byte left out: while it continues a character, that
  // character started inside the prefix and goes too.
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

std::string well_formed(std::string_view s) {
  if (valid_utf8(s)) return std::string(s);
  std::string clean;
  clean.reserve(s.size() + 8);
  std::size_t i = 0;
  while (i < s.size()) {
    const auto cp = decode(s, i);
    encode(cp < 0 ? static_cast<std::int32_t>(kReplacement) : cp, clean);
  }
  return clean;
}

std::string nfc(std::string_view s) {
  if (surely_nfc(s)) return std::string(s);
  // utf8proc rejects invalid input as a whole, so bad bytes are replaced first.
  std::string clean;
  const std::string_view* src = &s;
  std::string_view clean_view;
  if (!valid_utf8(s)) {
    clean = well_formed(s);
    clean_view = clean;
    src = &clean_view;
  }
  utf8proc_uint8_t* out = nullptr;
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(src->data()),
                              static_cast<utf8proc_ssize_t>(src->size()), &out,
                              static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) {
    std::free(out);
    return std::string(*src);  // unreachable for valid UTF-8 short of memory exhaustion
  }
  std::string result(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
  std::free(out);
  return result;
}

namespace {

// Whether `t` (folded) is a consonant onset that a final y or i may follow
// as the whole vowel: k, l, m, ... and the clusters, and qu.
bool y_or_i_onset(std::string_view t) {
  static constexpr std::string_view kOnsets[] = {
      "b", "c", "d",  "g",  "h",  "k",  "l",  "m",  "n",  "p",  "r",   "s", "t",
      "v", "x", "ch", "gh", "kh", "ng", "nh", "ph", "th", "tr", "ngh", "qu"};
  for (std::string_view o : kOnsets)
    if (t == o) return true;
  return false;
}

// Both spellings of a final i after a consonant are in use ("kí"/"ký",
// "lí"/"lý", "mĩ"/"mỹ", "quí"/"quý"): the key writes i for each, so that
// "đăng kí khai sinh" finds "đăng ký khai sinh". A y after a vowel ("tay",
// "thuy") and the word "y" are other sounds and stay.
void fold_final_y(std::string& out, std::size_t from) {
  while (from > 0 && out[from - 1] != ' ') --from;  // a token begun before
  std::size_t start = from;
  for (std::size_t i = from; i <= out.size(); ++i) {
    if (i < out.size() && out[i] != ' ') continue;
    if (i - start >= 2 && out[i - 1] == 'y' &&
        y_or_i_onset(std::string_view(out).substr(start, i - 1 - start)))
      out[i - 1] = 'i';
    start = i + 1;
  }
}

}  // namespace

void fold_append(std::string_view s, std::string& out) {
  const auto& table = fold_table();
  const std::size_t from = out.size();
  Writer w{out};
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      w.put(table[c]);
      ++i;
      continue;
    }
    const auto cp = decode(s, i);
    if (cp < 0) {
      w.pending_space = true;  // invalid UTF-8 separates words, never crashes
    } else if (static_cast<char32_t>(cp) < kTableSize) {
      w.put(table[static_cast<std::size_t>(cp)]);
    } else {
      std::string tmp;
      const auto kind = fold_code_point(cp, tmp);
      if (kind == FoldEntry::kText) {
        w.text(tmp.data(), tmp.size());
      } else if (kind == FoldEntry::kSpace) {
        w.pending_space = true;
      }
    }
  }
  fold_final_y(out, from);
}

std::string fold(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  fold_append(s, out);
  return out;
}

void token_marks_append(std::string_view s, std::string& out) {
  // Walks the text as fold_append() does, so the tokens line up with fold(s).
  const auto& table = fold_table();
  std::size_t from = out.size();  // where the current token's marks begin
  bool in_token = false;
  auto end_token = [&] {
    if (!in_token) return;
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(from), out.end());
    out.push_back(' ');
    from = out.size();
    in_token = false;
  };
  std::size_t i = 0;
  while (i < s.size()) {
    const auto cp = decode(s, i);
    if (cp < 0) {
      end_token();
      continue;
    }
    FoldEntry::Kind kind;
    if (static_cast<char32_t>(cp) < kTableSize) {
      const FoldEntry& e = table[static_cast<std::size_t>(cp)];
      kind = e.kind;
      out.append(e.marks, e.marks_len);
    } else {
      std::string tmp;
      kind = fold_code_point(cp, tmp);
    }
    if (kind == FoldEntry::kText) {
      in_token = true;
    } else if (kind == FoldEntry::kSpace) {
      end_token();
    }
  }
  end_token();
  out.resize(from);  // marks with no letter after them belong to no token
}

std::vector<std::string> token_marks(std::string_view s) {
  std::string all;
  token_marks_append(s, all);
  std::vector<std::string> out;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i] != ' ') continue;
    out.emplace_back(all, begin, i - begin);
    begin = i + 1;
  }
  return out;
}

std::string_view number_by_value(std::string_view t) {
  if (t.size() < 2 || t[0] != '0') return t;
  if (!std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) return t;
  const auto first = t.find_first_not_of('0');
  return first == std::string_view::npos ? t.substr(t.size() - 1) : t.substr(first);
}

std::vector<std::string_view> tokens(std::string_view folded) {
  std::vector<std::string_view> result;
  std::size_t i = 0;
  while (i < folded.size()) {
    while (i < folded.size() && folded[i] == ' ') ++i;
    const std::size_t begin = i;
    while (i < folded.size() && folded[i] != ' ') ++i;
    if (i > begin) result.push_back(folded.substr(begin, i - begin));
  }
  return result;
}

}  // namespace motcua::text
