#include "domain/dossier/identity.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "text/blank.hpp"
#include "text/fold.hpp"

namespace motcua::dossier {
namespace {

// Annex 1 of Circular 07/2016/TT-BCA: where the birth was registered.
constexpr std::pair<std::string_view, std::string_view> kBirthProvinces[] = {
    {"001", "Hà Nội"},
    {"002", "Hà Giang"},
    {"004", "Cao Bằng"},
    {"006", "Bắc Kạn"},
    {"008", "Tuyên Quang"},
    {"010", "Lào Cai"},
    {"011", "Điện Biên"},
    {"012", "Lai Châu"},
    {"014", "Sơn La"},
    {"015", "Yên Bái"},
    {"017", "Hòa Bình"},
    {"019", "Thái Nguyên"},
    {"020", "Lạng Sơn"},
    {"022", "Quảng Ninh"},
    {"024", "Bắc Giang"},
    {"025", "Phú Thọ"},
    {"026", "Vĩnh Phúc"},
    {"027", "Bắc Ninh"},
    {"030", "Hải Dương"},
    {"031", "Hải Phòng"},
    {"033", "Hưng Yên"},
    {"034", "Thái Bình"},
    {"035", "Hà Nam"},
    {"036", "Nam Định"},
    {"037", "Ninh Bình"},
    {"038", "Thanh Hóa"},
    {"040", "Nghệ An"},
    {"042", "Hà Tĩnh"},
    {"044", "Quảng Bình"},
    {"045", "Quảng Trị"},
    {"046", "Thừa Thiên Huế"},
    {"048", "Đà Nẵng"},
    {"049", "Quảng Nam"},
    {"051", "Quảng Ngãi"},
    {"052", "Bình Định"},
    {"054", "Phú Yên"},
    {"056", "Khánh Hòa"},
    {"058", "Ninh Thuận"},
    {"060", "Bình Thuận"},
    {"062", "Kon Tum"},
    {"064", "Gia Lai"},
    {"066", "Đắk Lắk"},
    {"067", "Đắk Nông"},
    {"068", "Lâm Đồng"},
    {"070", "Bình Phước"},
    {"072", "Tây Ninh"},
    {"074", "Bình Dương"},
    {"075", "Đồng Nai"},
    {"077", "Bà Rịa - Vũng Tàu"},
    {"079", "Hồ Chí Minh"},
    {"080", "Long An"},
    {"082", "Tiền Giang"},
    {"083", "Bến Tre"},
    {"084", "Trà Vinh"},
    {"086", "Vĩnh Long"},
    {"087", "Đồng Tháp"},
    {"089", "An Giang"},
    {"091", "Kiên Giang"},
    {"092", "Cần Thơ"},
    {"093", "Hậu Giang"},
    {"094", "Sóc Trăng"},
    {"095", "Bạc Liêu"},
    {"096", "Cà Mau"},
};

// Mobile prefixes in use since the 2018 renumbering, by network.
constexpr std::string_view kMobilePrefixes[] = {
    "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098",  // Viettel
    "070", "076", "077", "078", "079", "089", "090", "093",                              // MobiFone
    "081", "082", "083", "084", "085", "088", "091", "094",  // VinaPhone
    "052", "056", "058", "092",                              // Vietnamobile
    "059", "099",                                            // Gmobile
    "055",                                                   // Reddi
    "087",                                                   // iTel
};

constexpr std::array<int, 9> kTaxWeights = {31, 29, 23, 19, 17, 13, 7, 5, 3};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool all_digits(std::string_view s) { return std::all_of(s.begin(), s.end(), is_digit); }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

Error bad(std::string_view field, std::string vi, std::string en) {
  return make_error(ErrorKind::kBadRequest, std::move(vi), std::move(en), std::string(field));
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

std::optional<std::string_view> birth_province_name(std::string_view code) {
  for (const auto& [c, name] : kBirthProvinces) {
    if (c == code) return name;
  }
  return std::nullopt;
}

Result<IdNumberInfo> validate_id_number(std::string_view text, int current_year,
                                        std::string_view field) {
  if (text.size() != 12 || !all_digits(text)) {
    return bad(field, "Số định danh cá nhân phải gồm đúng 12 chữ số.",
               "The personal identification number must be exactly 12 digits.");
  }
  const std::string_view code = text.substr(0, 3);
  const auto province = birth_province_name(code);
  if (!province) {
    return bad(field,
               "Số định danh cá nhân không hợp lệ: " + quoted(code) +
                   " không phải mã tỉnh, thành phố nơi đăng ký khai sinh.",
               "Invalid personal identification number: " + quoted(code) +
                   " is not the code of a province where a birth is registered.");
  }
  const int g = text[3] - '0';
  const int year = 1900 + (g / 2) * 100 + (text[4] - '0') * 10 + (text[5] - '0');
  if (year > current_year) {
    return bad(field,
               "Số định danh cá nhân không hợp lệ: năm sinh " + std::to_string(year) +
                   " (mã thế kỷ " + std::to_string(g) + ") lớn hơn năm hiện tại.",
               "Invalid personal identification number: the year of birth " + std::to_string(year) +
                   " (century digit " + std::to_string(g) + ") is after the current year.");
  }
  return IdNumberInfo{std::string(code), std::string(*province),
                      g % 2 == 0 ? Gender::kMale : Gender::kFemale, year};
}

Result<std::string> validate_tax_code(std::string_view text, std::string_view field) {
  const bool branch = text.size() == 14;
  if (!((text.size() == 10 && all_digits(text)) ||
        (branch && all_digits(text.substr(0, 10)) && text[10] == '-' &&
         all_digits(text.substr(11))))) {
    return bad(field,
               "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số, dấu \"-\" và 3 chữ số của đơn vị "
               "phụ thuộc (0100109106-001).",
               "The tax code must be 10 digits, or 10 digits, \"-\" and the 3 digits of a "
               "branch (0100109106-001).");
  }
  int sum = 0;
  for (std::size_t i = 0; i < kTaxWeights.size(); ++i) sum += (text[i] - '0') * kTaxWeights[i];
  const int check = 10 - sum % 11;
  if (check == 10 || check != text[9] - '0') {
    return bad(
        field,
        "Mã số thuế " + quoted(text.substr(0, 10)) + " không hợp lệ: chữ số kiểm tra không khớp.",
        "The tax code " + quoted(text.substr(0, 10)) +
            " is invalid: its check digit does not match.");
  }
  if (branch && text.substr(11) == "000") {
    return bad(field, "Mã đơn vị phụ thuộc của mã số thuế phải từ 001 đến 999.",
               "The branch suffix of a tax code must be 001 to 999.");
  }
  return std::string(text);
}

Result<std::string> normalize_phone(std::string_view text, std::string_view field) {
  std::string digits;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (is_digit(c)) {
      digits += c;
    } else if (c == '+' && i == 0) {
      continue;
    } else if (c != ' ' && c != '.' && c != '-') {
      return bad(field, "Số điện thoại chỉ gồm chữ số (có thể bắt đầu bằng +84).",
                 "A phone number holds digits only (it may start with +84).");
    }
  }
  if (text.starts_with('+') && !digits.starts_with("84")) {
    return bad(field, "Chỉ nhận số điện thoại di động Việt Nam (+84).",
               "Only Vietnamese mobile numbers (+84) are accepted.");
  }
  if (digits.size() == 11 && digits.starts_with("84")) digits = "0" + digits.substr(2);
  if (digits.size() != 10 || digits[0] != '0') {
    return bad(field, "Số điện thoại di động phải gồm 10 chữ số, bắt đầu bằng 0.",
               "A mobile number must be 10 digits starting with 0.");
  }
  const std::string_view prefix = std::string_view(digits).substr(0, 3);
  if (std::find(std::begin(kMobilePrefixes), std::end(kMobilePrefixes), prefix) ==
      std::end(kMobilePrefixes)) {
    return bad(field, "Đầu số " + quoted(prefix) + " không phải đầu số di động Việt Nam.",
               "The prefix " + quoted(prefix) + " is not a Vietnamese mobile prefix.");
  }
  return digits;
}

Result<void> validate_email(std::string_view text, std::string_view field) {
  const auto invalid = [&](std::string_view why_vi, std::string_view why_en) {
    return bad(field, "Địa chỉ thư điện tử không hợp lệ: " + std::string(why_vi) + ".",
               "Invalid e-mail address: " + std::string(why_en) + ".");
  };
  if (text.size() > 254) return invalid("dài quá 254 ký tự", "longer than 254 characters");
  const std::size_t at = text.find('@');
  if (at == std::string_view::npos || text.find('@', at + 1) != std::string_view::npos) {
    return invalid("phải có đúng một dấu @", "it must have exactly one @");
  }
  const std::string_view local = text.substr(0, at);
  const std::string_view domain = text.substr(at + 1);
  constexpr std::string_view kLocalSpecials = "!#$%&'*+/=?^_`{|}~.-";
  if (local.empty() || local.size() > 64 || local.front() == '.' || local.back() == '.' ||
      local.find("..") != std::string_view::npos ||
      !std::all_of(local.begin(), local.end(), [&](char c) {
        return is_alnum(c) || kLocalSpecials.find(c) != std::string_view::npos;
      })) {
    return invalid("phần trước @ sai", "the part before @ is malformed");
  }
  std::size_t labels = 0;
  std::string_view last;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = domain.find('.', start);
    const std::string_view label =
        domain.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
        !std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; })) {
      return invalid("tên miền sai", "the domain is malformed");
    }
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (labels < 2 || last.size() < 2 || !std::all_of(last.begin(), last.end(), is_alpha)) {
    return invalid("tên miền sai", "the domain is malformed");
  }
  return ok();
}

Result<void> validate_applicant(const Applicant& a, int current_year) {
  const auto missing = [](std::string_view field, std::string_view vi, std::string_view en) {
    return bad(field, "Thiếu " + std::string(vi) + " của người nộp hồ sơ.",
               "The applicant's " + std::string(en) + " is missing.");
  };
  if (text::blank(a.name)) {
    return missing("applicant.name", a.kind == ApplicantKind::kPerson ? "họ và tên" : "tên tổ chức",
                   "name");
  }
  if (a.kind == ApplicantKind::kPerson) {
    if (a.id_number.empty()) {
      return missing("applicant.id_number", "số định danh cá nhân",
                     "personal identification number");
    }
    if (auto r = validate_id_number(a.id_number, current_year, "applicant.id_number"); !r) {
      return r.error();
    }
  } else {
    if (a.tax_code.empty()) return missing("applicant.tax_code", "mã số thuế", "tax code");
    if (auto r = validate_tax_code(a.tax_code, "applicant.tax_code"); !r) return r.error();
  }
  if (!a.phone.empty()) {
    if (auto r = normalize_phone(a.phone, "applicant.phone"); !r) return r.error();
  }
  if (!a.email.empty()) {
    if (auto r = validate_email(a.email, "applicant.email"); !r) return r.error();
  }
  return ok();
}

Result<void> check_applicant_lengths(const Applicant& a) {
  const auto too_long = [](std::string_view field, std::string_view vi, std::string_view en,
                           std::string_view value, std::size_t limit) -> std::optional<Error> {
    const std::size_t n = text::character_count(value);
    if (n <= limit) return std::nullopt;
    return bad(field,
               std::string(vi) + " của người nộp hồ sơ dài " + std::to_string(n) +
                   " ký tự; tối đa " + std::to_string(limit) + " ký tự.",
               "The applicant's " + std::string(en) + " is " + std::to_string(n) +
                   " characters long; at most " + std::to_string(limit) + ".");
  };
  if (auto e = too_long("applicant.name", "Tên", "name", a.name, kMaxApplicantName)) return *e;
  if (auto e = too_long("applicant.address", "Địa chỉ", "address", a.address, kMaxApplicantAddress))
    return *e;
  return ok();
}

}  // namespace motcua::dossier
