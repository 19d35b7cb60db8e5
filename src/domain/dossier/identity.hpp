// Checks of who the applicant is, by the structure of what they type: the
// 12-digit personal identification number, the tax code, a mobile phone
// number and an e-mail address. A mistyped number is caught at the form, not
// weeks later by the national population database.
//
// Personal identification number (số định danh cá nhân, printed on the CCCD
// card; structure of Circular 07/2016/TT-BCA, kept by Circular 59/2021/TT-BCA
// and the Law on Identification 2023):
//   PPP G YY NNNNNN
//   PPP    code of the province or city where the birth was registered
//          (the 63 codes 001..096 of the annex, with gaps; after the 2025
//          merger the 34 provinces keep codes from this list)
//   G      century and gender: 0/1 = 20th century male/female, 2/3 = 21st,
//          4/5 = 22nd, 6/7 = 23rd, 8/9 = 24th
//   YY     the last two digits of the year of birth
//   NNNNNN a random number
// A number whose year of birth is after the current year is invalid.
//
// Tax code (mã số thuế; structure of Circular 105/2020/TT-BTC): 10 digits
// whose tenth is the tax authority's check digit, 10 - (sum of the first nine weighted 31 29 23 19
// 17 13 7 5 3, modulo 11), a remainder of 0 never being issued; or 13 characters for a branch or
// dependent unit: the parent's 10 digits, "-", and 3 digits 001..999.
//
// Phone: a Vietnamese mobile number, 10 digits starting 0 with a prefix in use
// since the 2018 renumbering (or +84 / 84 instead of the 0); spaces, dots and
// hyphens are ignored. Normalised to "0xxxxxxxxx".
//
// E-mail: ASCII local part of letters, digits and !#$%&'*+/=?^_`{|}~.- without
// leading, trailing or doubled dots (at most 64); a domain of at least two
// labels of letters, digits and inner hyphens, the last one alphabetic.
//
// Every error is kBadRequest, says what is wrong in Vietnamese and English,
// and names the field (the `field` argument, e.g. "applicant.id_number").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "domain/dossier/dossier.hpp"

namespace motcua::dossier {

enum class Gender { kMale, kFemale };

struct IdNumberInfo {
  std::string province_code;  // "001"
  std::string province_name;  // "Hà Nội", as named in the annex
  Gender gender = Gender::kMale;
  int birth_year = 0;
};

// The province (as named in the annex) of a 3-digit birth registration code;
// nullopt for a code not in the list.
std::optional<std::string_view> birth_province_name(std::string_view code);

Result<IdNumberInfo> validate_id_number(std::string_view text, int current_year,
                                        std::string_view field = "id_number");

// Returns the tax code as written ("0100109106" or "0100109106-001").
Result<std::string> validate_tax_code(std::string_view text, std::string_view field = "tax_code");

// Returns the number normalised to "0xxxxxxxxx".
Result<std::string> normalize_phone(std::string_view text, std::string_view field = "phone");

Result<void> validate_email(std::string_view text, std::string_view field = "email");

// The applicant's fields for its kind: a person needs a name and an ID number,
// a business a name and a tax code; phone and e-mail are checked when given.
// Fields are named "applicant.<name>".
Result<void> validate_applicant(const Applicant& applicant, int current_year);

// The longest applicant name and address a new dossier takes, in characters:
// what a register or a printed receipt holds; longer is a paste gone wrong.
// Checked when a dossier comes in, not at its later steps: one an earlier
// release took stays workable.
inline constexpr std::size_t kMaxApplicantName = 200;
inline constexpr std::size_t kMaxApplicantAddress = 500;
Result<void> check_applicant_lengths(const Applicant& applicant);

}  // namespace motcua::dossier
