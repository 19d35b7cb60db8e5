// The dossier code printed on the receipt and used to track a dossier:
//   {agency code}-{yymmdd}-{sequence}        H29.01.05-250701-0001
//
// Agency code: the receiving unit's code, a setting of each unit: one to four
// segments of 2 or 3 upper-case letters or digits separated by dots, such as
// "H29.01.05" or the four-level form "000.00.12.H29" of the national agency
// code list. yymmdd: the Vietnam date of receipt (years 2000-2099). Sequence:
// the receipt's number for that agency and day, from 1, zero-padded to 4
// digits and longer only when it exceeds 9999 (so one number has exactly one
// spelling).
//
// Allocating the sequence (gap-free per unit and day, under concurrency) is
// the store's job; this file only formats, parses and checks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "domain/calendar/civil_date.hpp"

namespace motcua::dossier {

struct DossierCode {
  std::string agency_code;
  calendar::CivilDate date;
  std::int64_t sequence = 0;

  friend bool operator==(const DossierCode&, const DossierCode&) = default;
};

// Errors name `param` ("agency_code" for a bad agency code).
Result<void> validate_agency_code(std::string_view agency_code,
                                  std::string_view param = "agency_code");

Result<std::string> format_dossier_code(const DossierCode& code);

// The receipt date is the Vietnam date of `received`.
Result<std::string> format_dossier_code(std::string_view agency_code, calendar::Instant received,
                                        std::int64_t sequence);

Result<DossierCode> parse_dossier_code(std::string_view text, std::string_view param = "code");

}  // namespace motcua::dossier
