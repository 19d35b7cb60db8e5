// Vietnamese text: NFC for storage, and the folded search key.
//
// fold() makes the key that every search compares: lower case, no diacritics,
// đ/Đ -> d, punctuation -> space, whitespace collapsed and trimmed. Both
// tone-mark placements ("hoà"/"hòa", "thuỷ"/"thủy") and decomposed (NFD) input
// therefore give the same key, and so do both spellings of a final i after a
// consonant ("kí"/"ký", "quí"/"quý": "ki", "qui"). Invalid UTF-8 never fails:
// bad bytes become U+FFFD in nfc() and a space in fold().
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace motcua::text {

// Canonical composition (NFC), the form text is stored in.
std::string nfc(std::string_view s);

// The search key of `s`.
std::string fold(std::string_view s);

// Appends the search key of `s` to `out` (no leading space is added); lets hot
// paths reuse one buffer.
void fold_append(std::string_view s, std::string& out);

// The diacritics fold() takes away, token by token: one entry per token of
// fold(s), holding that token's marks as letters ("f" grave, "s" acute, "r"
// hook, "x" tilde, "j" dot below, "a" circumflex, "w" breve, "o" horn, "d" for
// đ, "*" any other), sorted, "" for none. Sorted, so both tone-mark placements
// ("hoà"/"hòa") and decomposed input give the same; "quán" and "quân" do not.
std::vector<std::string> token_marks(std::string_view s);

// The same appended to `out`, each token's marks followed by one space: lets
// hot paths reuse one buffer.
void token_marks_append(std::string_view s, std::string& out);

// Splits an already folded string on spaces. The views point into `folded`.
std::vector<std::string_view> tokens(std::string_view folded);

// A folded token of digits without its leading zeros (all zeros leave one),
// any other token as it is: numbers in names compare by value, as people write
// "Phường 01", "P.01", "Quận 03" for Phường 1 and Quận 3.
std::string_view number_by_value(std::string_view token);

// True when `s` is well-formed UTF-8: no overlong forms, no surrogates,
// nothing past U+10FFFF, no sequence cut short.
bool valid_utf8(std::string_view s);

// `s` as is when it is valid UTF-8; otherwise with each byte that does not
// belong to a well-formed sequence made U+FFFD: for quoting in JSON what a
// client sent.
std::string well_formed(std::string_view s);

// The characters (code points) of UTF-8 `s`: what a person counts, where a
// limit in bytes would let half as many Vietnamese letters as ASCII ones.
std::size_t character_count(std::string_view s);

// The longest start of `s`, valid UTF-8, that fits in `max_bytes` and does
// not end inside a character: a cut at a byte count would leave half a letter.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

}  // namespace motcua::text
