// Public holidays of Vietnam (Labour Code 2019, art. 111-112; Decree
// 145/2020/NĐ-CP) and the per-year overrides that government decisions make.
//
// Statutory holidays, computed for any year:
//   - 1 January (Tết Dương lịch);
//   - Lunar New Year, 5 days. The Prime Minister picks them each year; without
//     a decision they are the last day of the old lunar year and days 1-4 of
//     the new one;
//   - Hùng Kings' Commemoration, 10/3 lunar;
//   - 30 April and 1 May;
//   - 2 September and one adjacent day (1 or 3 September), see NationalDayRule.
// A statutory holiday that falls on a weekly rest day gives a compensatory day
// off (nghỉ bù) on the next working day (art. 111(3)). Each year's government
// decision is entered as YearOverrides: it replaces the computed Tết days or the
// adjacent National Day, adds days off (a weekday swapped with a Saturday), and
// turns rest days into working days (the Saturday worked in exchange). Entries
// apply in that order of strength: working_days > days_off > computed days.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/calendar/civil_date.hpp"

namespace motcua::calendar {

enum class HolidayKind {
  kHoliday,       // a statutory holiday
  kCompensatory,  // the day off owed for a holiday on a rest day
  kSwappedOff,    // a working day given off by decision (days_off)
  kSwappedWork,   // a rest day worked by decision (working_days)
};

// "holiday", "compensatory", "swapped_off", "swapped_work": stable names for
// storage and the API.
const char* holiday_kind_name(HolidayKind kind);

struct Holiday {
  CivilDate date;
  HolidayKind kind = HolidayKind::kHoliday;
  std::string name_vi;
  std::string name_en;

  friend bool operator==(const Holiday&, const Holiday&) = default;
};

struct NamedDate {
  CivilDate date;
  std::string name_vi;  // may be empty: a generic name is used
  std::string name_en;

  friend bool operator==(const NamedDate&, const NamedDate&) = default;
};

// Which day goes with 2 September when the year has no decision.
enum class NationalDayRule {
  // The day that joins the holiday to the weekend: 3 September when 2
  // September is a Monday or a Thursday, else 1 September. This is the choice
  // the government made in 2021 (Thu: 2-3), 2022 (Fri: 1-2), 2023 (Sat: 1-2),
  // 2024 (Mon: 2-3) and 2025 (Tue: 1-2).
  kBridgeWeekend,
  kFirstSeptember,
  kThirdSeptember,
};

// The weekly rest days as a bit mask over ISO weekdays (bit 1 = Monday ..
// bit 7 = Sunday).
using RestDays = std::uint8_t;
inline constexpr RestDays rest_day_bit(Weekday w) {
  return static_cast<RestDays>(1u << static_cast<int>(w));
}
inline constexpr RestDays kSaturdaySunday =
    rest_day_bit(Weekday::kSaturday) | rest_day_bit(Weekday::kSunday);
inline constexpr bool is_rest_day(RestDays rest, CivilDate d) {
  return (rest & rest_day_bit(weekday(d))) != 0;
}

// One year's government decision. Plain data: stored by the service layer and
// edited by an administrator; check it with validate_overrides().
struct YearOverrides {
  int year = 0;
  // Replaces the computed Lunar New Year days (the statutory days, not the
  // weekends around them).
  std::optional<std::vector<CivilDate>> tet_days;
  // At most the Labour Code's five Tết days (validate_overrides says why).
  static constexpr std::size_t kMaxTetDays = 5;
  // Replaces the computed day next to 2 September (1 or 3 September).
  std::optional<CivilDate> national_day_adjacent;
  std::vector<NamedDate> days_off;      // extra days off
  std::vector<NamedDate> working_days;  // rest days or holidays that are worked

  friend bool operator==(const YearOverrides&, const YearOverrides&) = default;
};

// Every date must be valid and in the override's year; tet_days holds 1..5
// distinct dates; the National Day choice is 1 or 3 September; no date is both
// a day off and a working day.
Result<void> validate_overrides(const YearOverrides& overrides);

struct HolidayRules {
  NationalDayRule national_day = NationalDayRule::kBridgeWeekend;
  RestDays rest_days = kSaturdaySunday;
};

// The statutory holidays of `year`, their compensatory days, then the
// override entries (swapped_off, swapped_work), sorted by date then kind.
// `overrides` may be null; when given it must be valid and for `year`.
// An error only when the lunar calendar does not cover the year.
Result<std::vector<Holiday>> holidays_for_year(int year, const HolidayRules& rules,
                                               const YearOverrides* overrides);

}  // namespace motcua::calendar
