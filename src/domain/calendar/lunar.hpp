// The Vietnamese lunar calendar (âm lịch), computed, not tabulated.
//
// Rules (as in the modern Vietnamese and Chinese calendars):
//   1. A month begins on the local day that contains the new moon.
//   2. The winter solstice (sun at 270°) always falls in month 11.
//   3. When 13 months start between two months 11, the first month after
//      month 11 that contains no principal term (sun at a multiple of 30°) is
//      the leap month; it takes the number of the month before it.
//   4. Days are those of the meridian 105°E: UTC+7. China uses UTC+8, which is
//      why the two calendars sometimes differ (Tết 1985: 21 January in Vietnam,
//      20 February in China; Tết 2007: 17 and 18 February).
// New moons come from the series of Meeus, "Astronomical Algorithms" (2nd ed.,
// ch. 49) with ΔT of Espenak and Meeus; the sun's apparent longitude from the
// same book (ch. 25, low-accuracy series, about 0.01°). Checked against
// published tables for 1990-2050 (see tests/unit/calendar_lunar_test.cpp);
// accepted for Gregorian years kLunarMinYear..kLunarMaxYear.
#pragma once

#include "common/result.hpp"
#include "domain/calendar/civil_date.hpp"

namespace motcua::calendar {

inline constexpr int kLunarMinYear = 1800;
inline constexpr int kLunarMaxYear = 2200;
inline constexpr int kVietnamUtcOffsetMinutes = 7 * 60;

struct LunarDate {
  int day = 1;    // 1..30
  int month = 1;  // 1..12
  int year = 0;   // the Gregorian year in which this lunar year's month 1 begins
  bool leap = false;

  friend constexpr bool operator==(const LunarDate&, const LunarDate&) = default;
};

// The lunar date of a Gregorian date. utc_offset_minutes selects the meridian
// (480 gives the Chinese calendar, useful to compare).
Result<LunarDate> solar_to_lunar(CivilDate date, int utc_offset_minutes = kVietnamUtcOffsetMinutes);

// The Gregorian date of a lunar date; an error when that date does not exist
// (day 30 of a 29-day month, or a leap month the year does not have).
Result<CivilDate> lunar_to_solar(LunarDate date, int utc_offset_minutes = kVietnamUtcOffsetMinutes);

// 1/1 of the lunar year that begins in Gregorian year `year`.
Result<CivilDate> lunar_new_year(int year, int utc_offset_minutes = kVietnamUtcOffsetMinutes);

// The leap month of the lunar year `year` (1..12), or 0 when it has none.
Result<int> lunar_leap_month(int year, int utc_offset_minutes = kVietnamUtcOffsetMinutes);

// Exposed for tests: the instant (UT) of the k-th new moon after the one of
// 2000-01-06 (k may be negative), to the second.
Instant new_moon_instant(int k);

}  // namespace motcua::calendar
