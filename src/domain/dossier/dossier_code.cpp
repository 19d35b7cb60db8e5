#include "domain/dossier/dossier_code.hpp"

#include <algorithm>

namespace motcua::dossier {
namespace {

constexpr std::int64_t kMaxSequence = 99'999'999;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_segment_char(char c) { return is_digit(c) || (c >= 'A' && c <= 'Z'); }

Error bad(std::string_view param, std::string vi, std::string en) {
  return make_error(ErrorKind::kBadRequest, std::move(vi), std::move(en), std::string(param));
}

Error bad_code(std::string_view param, std::string_view text, std::string_view why_vi,
               std::string_view why_en) {
  return bad(param,
             "Mã hồ sơ \"" + std::string(text) +
                 "\" không đúng dạng {mã cơ quan}-{yymmdd}-{số "
                 "thứ tự}: " +
                 std::string(why_vi) + ".",
             "The dossier code \"" + std::string(text) +
                 "\" is not of the form {agency code}-{yymmdd}-{sequence}: " + std::string(why_en) +
                 ".");
}

int two_digits(std::string_view s) { return (s[0] - '0') * 10 + (s[1] - '0'); }

}  // namespace

Result<void> validate_agency_code(std::string_view code, std::string_view param) {
  std::size_t segments = 0;
  std::size_t start = 0;
  bool good = !code.empty();
  while (good) {
    const std::size_t dot = code.find('.', start);
    const std::string_view seg =
        code.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    good = (seg.size() == 2 || seg.size() == 3) &&
           std::all_of(seg.begin(), seg.end(), is_segment_char) && ++segments <= 4;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (!good) {
    return bad(param,
               "Mã cơ quan \"" + std::string(code) +
                   "\" phải gồm 1 đến 4 nhóm 2 hoặc 3 chữ in hoa hoặc chữ số, cách nhau bởi dấu "
                   "chấm (H29.01.05, 000.00.12.H29).",
               "The agency code \"" + std::string(code) +
                   "\" must be 1 to 4 groups of 2 or 3 upper-case letters or digits separated "
                   "by dots (H29.01.05, 000.00.12.H29).");
  }
  return ok();
}

Result<std::string> format_dossier_code(const DossierCode& c) {
  if (auto r = validate_agency_code(c.agency_code); !r) return r.error();
  if (!calendar::is_valid(c.date) || c.date.year < 2000 || c.date.year > 2099) {
    return bad("date", "Ngày tiếp nhận phải là một ngày từ năm 2000 đến 2099.",
               "The receipt date must be a real date from 2000 to 2099.");
  }
  if (c.sequence < 1 || c.sequence > kMaxSequence) {
    return bad("sequence", "Số thứ tự của mã hồ sơ phải từ 1 đến 99999999.",
               "The sequence of a dossier code must be 1 to 99999999.");
  }
  // "-yymmdd-" and the sequence in at least four digits, placed by hand: the
  // simulator codes tens of thousands of dossiers a second, and snprintf was
  // a visible share of living one.
  char digits[8];
  int n = 0;
  for (std::int64_t v = c.sequence; v > 0 || n < 4; v /= 10)
    digits[n++] = static_cast<char>('0' + v % 10);
  std::string out;
  out.reserve(c.agency_code.size() + 9 + static_cast<std::size_t>(n));
  out += c.agency_code;
  const int yymmdd[] = {c.date.year % 100, c.date.month, c.date.day};
  out += '-';
  for (const int part : yymmdd) {
    out += static_cast<char>('0' + part / 10);
    out += static_cast<char>('0' + part % 10);
  }
  out += '-';
  while (n > 0) out += digits[--n];
  return out;
}

Result<std::string> format_dossier_code(std::string_view agency_code, calendar::Instant received,
                                        std::int64_t sequence) {
  return format_dossier_code(
      DossierCode{std::string(agency_code), calendar::to_local(received).date, sequence});
}

Result<DossierCode> parse_dossier_code(std::string_view text, std::string_view param) {
  const std::size_t second = text.rfind('-');
  if (second == std::string_view::npos || second == 0) {
    return bad_code(param, text, "thiếu dấu \"-\"", "a \"-\" is missing");
  }
  const std::size_t first = text.rfind('-', second - 1);
  if (first == std::string_view::npos) {
    return bad_code(param, text, "thiếu dấu \"-\"", "a \"-\" is missing");
  }
  const std::string_view agency = text.substr(0, first);
  const std::string_view date = text.substr(first + 1, second - first - 1);
  const std::string_view seq = text.substr(second + 1);
  if (!validate_agency_code(agency, param)) {
    return bad_code(param, text, "mã cơ quan sai", "the agency code is malformed");
  }
  if (date.size() != 6 || !std::all_of(date.begin(), date.end(), is_digit)) {
    return bad_code(param, text, "ngày phải gồm 6 chữ số yymmdd",
                    "the date must be 6 digits yymmdd");
  }
  const calendar::CivilDate d{2000 + two_digits(date), two_digits(date.substr(2)),
                              two_digits(date.substr(4))};
  if (!calendar::is_valid(d)) {
    return bad_code(param, text, "ngày không có thật", "the date does not exist");
  }
  if (seq.size() < 4 || seq.size() > 8 || !std::all_of(seq.begin(), seq.end(), is_digit) ||
      (seq.size() > 4 && seq[0] == '0')) {
    return bad_code(param, text,
                    "số thứ tự phải gồm ít nhất 4 chữ số, chỉ thêm số 0 ở đầu cho đủ 4",
                    "the sequence must be at least 4 digits, zero-padded to 4 only");
  }
  std::int64_t n = 0;
  for (char c : seq) n = n * 10 + (c - '0');
  if (n == 0) return bad_code(param, text, "số thứ tự bắt đầu từ 1", "the sequence starts at 1");
  return DossierCode{std::string(agency), d, n};
}

}  // namespace motcua::dossier
