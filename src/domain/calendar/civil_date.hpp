// Dates and times of the proleptic Gregorian calendar, in Vietnam time.
//
// Every time in this domain is Vietnam time: UTC+7 all year, no daylight
// saving. An Instant is an absolute point (seconds since 1970-01-01T00:00:00Z);
// its local date and time of day are those of UTC+7.
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::calendar {

inline constexpr std::int64_t kSecondsPerDay = 86400;
inline constexpr std::int64_t kVietnamUtcOffsetSeconds = 7 * 3600;

// Floor division and modulo: day arithmetic must round towards minus infinity
// for dates before 1970.
constexpr std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
constexpr std::int64_t floor_mod(std::int64_t a, std::int64_t b) { return a - floor_div(a, b) * b; }

// A calendar date. Plain data: check with is_valid() when it comes from outside.
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31

  friend constexpr auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

constexpr bool is_leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

constexpr int days_in_month(int y, int m) {
  constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return (m == 2 && is_leap_year(y)) ? 29 : kDays[m - 1];
}

constexpr bool is_valid(CivilDate d) {
  return d.year >= -9999 && d.year <= 9999 && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
         d.day <= days_in_month(d.year, d.month);
}

// Days since 1970-01-01 (negative before). Counts in 400-year eras of 146097
// days with years starting on 1 March, so that the leap day is the era's last.
constexpr std::int64_t days_from_civil(CivilDate d) {
  const std::int64_t y = static_cast<std::int64_t>(d.year) - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t year_of_era = y - era * 400;                                 // 0..399
  const std::int64_t month_from_march = (d.month + 9) % 12;                       // Mar=0 .. Feb=11
  const std::int64_t day_of_year = (153 * month_from_march + 2) / 5 + d.day - 1;  // 0..365
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;  // 0..146096
  return era * 146097 + day_of_era - 719468;  // 719468: days from 0000-03-01 to 1970-01-01
}

constexpr CivilDate civil_from_days(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = floor_div(z, 146097);
  const std::int64_t day_of_era = z - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_from_march = (5 * day_of_year + 2) / 153;
  const int day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const int month =
      static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  const int year = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
  return CivilDate{year, month, day};
}

constexpr CivilDate add_days(CivilDate d, std::int64_t n) {
  return civil_from_days(days_from_civil(d) + n);
}

// ISO numbering: Monday = 1 .. Sunday = 7.
enum class Weekday { kMonday = 1, kTuesday, kWednesday, kThursday, kFriday, kSaturday, kSunday };

constexpr Weekday weekday(CivilDate d) {
  // 1970-01-01 was a Thursday (ISO 4).
  return static_cast<Weekday>(floor_mod(days_from_civil(d) + 3, 7) + 1);
}

// "YYYY-MM-DD", years 0000..9999.
Result<CivilDate> parse_civil_date(std::string_view text);
std::string to_string(CivilDate d);

// A wall-clock time of day as minutes since midnight (0..1440; 1440 is the
// end of the day, used for "until midnight").
struct TimeOfDay {
  int minutes = 0;

  static constexpr TimeOfDay hm(int hour, int minute) { return TimeOfDay{hour * 60 + minute}; }
  constexpr std::int64_t seconds() const { return static_cast<std::int64_t>(minutes) * 60; }
  friend constexpr auto operator<=>(const TimeOfDay&, const TimeOfDay&) = default;
};

// "HH:MM".
Result<TimeOfDay> parse_time_of_day(std::string_view text);
std::string to_string(TimeOfDay t);

// An absolute instant, seconds since the Unix epoch.
struct Instant {
  std::int64_t epoch_seconds = 0;

  friend constexpr auto operator<=>(const Instant&, const Instant&) = default;
};

// Vietnam wall-clock reading of an instant.
struct LocalDateTime {
  CivilDate date;
  std::int64_t second_of_day = 0;  // 0..86399

  friend constexpr auto operator<=>(const LocalDateTime&, const LocalDateTime&) = default;
};

// Days since 1970-01-01 of the Vietnam date of an instant.
constexpr std::int64_t local_day_number(Instant t) {
  return floor_div(t.epoch_seconds + kVietnamUtcOffsetSeconds, kSecondsPerDay);
}

constexpr LocalDateTime to_local(Instant t) {
  const std::int64_t local = t.epoch_seconds + kVietnamUtcOffsetSeconds;
  return LocalDateTime{civil_from_days(floor_div(local, kSecondsPerDay)),
                       floor_mod(local, kSecondsPerDay)};
}

// The instant of a Vietnam wall-clock time. second_of_day may exceed a day.
constexpr Instant to_instant(CivilDate date, std::int64_t second_of_day) {
  return Instant{days_from_civil(date) * kSecondsPerDay + second_of_day - kVietnamUtcOffsetSeconds};
}

constexpr Instant make_instant(CivilDate date, int hour, int minute, int second = 0) {
  return to_instant(date, hour * 3600 + minute * 60 + second);
}

// RFC 3339 in Vietnam time: "2025-07-01T08:30:00+07:00".
std::string to_rfc3339(Instant t);

// Accepts "YYYY-MM-DDTHH:MM:SS" followed by "Z" or a "+HH:MM"/"-HH:MM" offset
// (any offset, converted), with optional fractional seconds that are dropped.
Result<Instant> parse_rfc3339(std::string_view text);

}  // namespace motcua::calendar
