#include "domain/calendar/lunar.hpp"

#include <cmath>
#include <string>

namespace motcua::calendar {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kRad = kPi / 180.0;
constexpr double kUnixEpochJd = 2440587.5;  // Julian day of 1970-01-01T00:00Z
constexpr double kSynodicMonth = 29.530588861;
constexpr double kNewMoonEpochJde = 2451550.09766;  // k = 0: 2000-01-06

// ΔT = TT - UT in seconds for a decimal year: polynomials of Espenak and Meeus
// (NASA eclipse site), which fit the observed values to about a second.
double delta_t_seconds(double y) {
  if (y >= 1800 && y < 1860) {
    const double t = y - 1800;
    return 13.72 - 0.332447 * t + 0.0068612 * t * t + 0.0041116 * std::pow(t, 3) -
           0.00037436 * std::pow(t, 4) + 0.0000121272 * std::pow(t, 5) -
           0.0000001699 * std::pow(t, 6) + 0.000000000875 * std::pow(t, 7);
  }
  if (y >= 1860 && y < 1900) {
    const double t = y - 1860;
    return 7.62 + 0.5737 * t - 0.251754 * t * t + 0.01680668 * std::pow(t, 3) -
           0.0004473624 * std::pow(t, 4) + std::pow(t, 5) / 233174;
  }
  if (y >= 1900 && y < 1920) {
    const double t = y - 1900;
    return -2.79 + 1.494119 * t - 0.0598939 * t * t + 0.0061966 * std::pow(t, 3) -
           0.000197 * std::pow(t, 4);
  }
  if (y >= 1920 && y < 1941) {
    const double t = y - 1920;
    return 21.20 + 0.84493 * t - 0.076100 * t * t + 0.0020936 * std::pow(t, 3);
  }
  if (y >= 1941 && y < 1961) {
    const double t = y - 1950;
    return 29.07 + 0.407 * t - t * t / 233 + std::pow(t, 3) / 2547;
  }
  if (y >= 1961 && y < 1986) {
    const double t = y - 1975;
    return 45.45 + 1.067 * t - t * t / 260 - std::pow(t, 3) / 718;
  }
  if (y >= 1986 && y < 2005) {
    const double t = y - 2000;
    return 63.86 + 0.3345 * t - 0.060374 * t * t + 0.0017275 * std::pow(t, 3) +
           0.000651814 * std::pow(t, 4) + 0.00002373599 * std::pow(t, 5);
  }
  if (y >= 2005 && y < 2050) {
    const double t = y - 2000;
    return 62.92 + 0.32217 * t + 0.005589 * t * t;
  }
  const double u = (y - 1820) / 100;
  if (y >= 2050 && y < 2150) return -20 + 32 * u * u - 0.5628 * (2150 - y);
  return -20 + 32 * u * u;
}

// Julian ephemeris day of the k-th new moon (Meeus, ch. 49).
double new_moon_jde(int k_int) {
  const double k = k_int;
  const double t = k / 1236.85;
  const double t2 = t * t, t3 = t2 * t, t4 = t3 * t;
  double jde = kNewMoonEpochJde + kSynodicMonth * k + 0.00015437 * t2 - 0.000000150 * t3 +
               0.00000000073 * t4;
  const double e = 1 - 0.002516 * t - 0.0000074 * t2;  // eccentricity of Earth's orbit
  const double m = (2.5534 + 29.10535670 * k - 0.0000014 * t2 - 0.00000011 * t3) * kRad;
  const double mp =
      (201.5643 + 385.81693528 * k + 0.0107582 * t2 + 0.00001238 * t3 - 0.000000058 * t4) * kRad;
  const double f =
      (160.7108 + 390.67050284 * k - 0.0016118 * t2 - 0.00000227 * t3 + 0.000000011 * t4) * kRad;
  const double om = (124.7746 - 1.56375588 * k + 0.0020672 * t2 + 0.00000215 * t3) * kRad;

  jde += -0.40720 * std::sin(mp) + 0.17241 * e * std::sin(m) + 0.01608 * std::sin(2 * mp) +
         0.01039 * std::sin(2 * f) + 0.00739 * e * std::sin(mp - m) -
         0.00514 * e * std::sin(mp + m) + 0.00208 * e * e * std::sin(2 * m) -
         0.00111 * std::sin(mp - 2 * f) - 0.00057 * std::sin(mp + 2 * f) +
         0.00056 * e * std::sin(2 * mp + m) - 0.00042 * std::sin(3 * mp) +
         0.00042 * e * std::sin(m + 2 * f) + 0.00038 * e * std::sin(m - 2 * f) -
         0.00024 * e * std::sin(2 * mp - m) - 0.00017 * std::sin(om) -
         0.00007 * std::sin(mp + 2 * m) + 0.00004 * std::sin(2 * mp - 2 * f) +
         0.00004 * std::sin(3 * m) + 0.00003 * std::sin(mp + m - 2 * f) +
         0.00003 * std::sin(2 * mp + 2 * f) - 0.00003 * std::sin(mp + m + 2 * f) +
         0.00003 * std::sin(mp - m + 2 * f) - 0.00002 * std::sin(mp - m - 2 * f) -
         0.00002 * std::sin(3 * mp + m) + 0.00002 * std::sin(4 * mp);

  // Planetary arguments: amplitude and argument (degrees) = a + b k + c T².
  struct Term {
    double amplitude, a, b, c;
  };
  static constexpr Term kPlanetary[] = {
      {0.000325, 299.77, 0.107408, -0.009173}, {0.000165, 251.88, 0.016321, 0},
      {0.000164, 251.83, 26.651886, 0},        {0.000126, 349.42, 36.412478, 0},
      {0.000110, 84.66, 18.206239, 0},         {0.000062, 141.74, 53.303771, 0},
      {0.000060, 207.14, 2.453732, 0},         {0.000056, 154.84, 7.306860, 0},
      {0.000047, 34.52, 27.261239, 0},         {0.000042, 207.19, 0.121824, 0},
      {0.000040, 291.34, 1.844379, 0},         {0.000037, 161.72, 24.198154, 0},
      {0.000035, 239.56, 25.513099, 0},        {0.000023, 331.55, 3.592518, 0},
  };
  for (const Term& p : kPlanetary) jde += p.amplitude * std::sin((p.a + p.b * k + p.c * t2) * kRad);
  return jde;
}

// Julian day (UT) of the k-th new moon.
double new_moon_jd_ut(int k) {
  const double jde = new_moon_jde(k);
  const double year = 2000.0 + (jde - 2451545.0) / 365.25;
  return jde - delta_t_seconds(year) / 86400.0;
}

// Local day number (days since 1970-01-01) of the k-th new moon.
std::int64_t new_moon_day(int k, int offset_minutes) {
  return static_cast<std::int64_t>(
      std::floor(new_moon_jd_ut(k) - kUnixEpochJd + offset_minutes / 1440.0));
}

// Apparent geocentric longitude of the sun in degrees, [0, 360) (Meeus, ch. 25).
double sun_longitude(double jd) {
  const double t = (jd - 2451545.0) / 36525;
  const double t2 = t * t;
  const double l0 = 280.46646 + 36000.76983 * t + 0.0003032 * t2;
  const double m = (357.52911 + 35999.05029 * t - 0.0001537 * t2) * kRad;
  const double c = (1.914602 - 0.004817 * t - 0.000014 * t2) * std::sin(m) +
                   (0.019993 - 0.000101 * t) * std::sin(2 * m) + 0.000289 * std::sin(3 * m);
  const double omega = (125.04 - 1934.136 * t) * kRad;
  const double apparent = l0 + c - 0.00569 - 0.00478 * std::sin(omega);
  const double r = std::fmod(apparent, 360.0);
  return r < 0 ? r + 360.0 : r;
}

// Which 30° sector the sun is in at the local midnight that begins `day`. A
// month holds a principal term exactly when the sector changes during it.
int sun_sector_at_day_start(std::int64_t day, int offset_minutes) {
  const double jd = static_cast<double>(day) + kUnixEpochJd - offset_minutes / 1440.0;
  return static_cast<int>(sun_longitude(jd) / 30.0);
}

// Local day number of the December solstice of `year` (sun at 270°).
std::int64_t winter_solstice_day(int year, int offset_minutes) {
  double jd = static_cast<double>(days_from_civil({year, 12, 21})) + kUnixEpochJd;
  for (int i = 0; i < 20; ++i) {
    double delta = 270.0 - sun_longitude(jd);
    if (delta > 180) delta -= 360;
    if (delta < -180) delta += 360;
    jd += delta * (365.2422 / 360.0);
    if (std::fabs(delta) < 1e-7) break;
  }
  return static_cast<std::int64_t>(std::floor(jd - kUnixEpochJd + offset_minutes / 1440.0));
}

// The index k of the month that contains local day `day`.
int month_index_of_day(std::int64_t day, int offset_minutes) {
  const double jd = static_cast<double>(day) + kUnixEpochJd;
  int k = static_cast<int>(std::floor((jd - kNewMoonEpochJde) / kSynodicMonth));
  while (new_moon_day(k, offset_minutes) > day) --k;
  while (new_moon_day(k + 1, offset_minutes) <= day) ++k;
  return k;
}

// The months from month 11 of Gregorian year `year` to the next month 11.
struct Span {
  int k11 = 0;          // month index of the first month 11
  int months = 12;      // 12, or 13 with a leap month
  int leap_offset = 0;  // position of the leap month from k11 (1..12), 0 if none
};

Span span_from_month11(int year, int offset_minutes) {
  Span s;
  s.k11 = month_index_of_day(winter_solstice_day(year, offset_minutes), offset_minutes);
  const int next =
      month_index_of_day(winter_solstice_day(year + 1, offset_minutes), offset_minutes);
  s.months = next - s.k11;
  if (s.months == 13) {
    // 13 months share 12 principal terms, and month 11 holds the solstice, so
    // one of the later months has none.
    for (int o = 1; o <= 12; ++o) {
      const int k = s.k11 + o;
      if (sun_sector_at_day_start(new_moon_day(k, offset_minutes), offset_minutes) ==
          sun_sector_at_day_start(new_moon_day(k + 1, offset_minutes), offset_minutes)) {
        s.leap_offset = o;
        break;
      }
    }
  }
  return s;
}

Error out_of_range(int year) {
  const std::string y = std::to_string(year);
  const std::string lo = std::to_string(kLunarMinYear), hi = std::to_string(kLunarMaxYear);
  return make_error(
      ErrorKind::kUnprocessable,
      "Năm " + y + " nằm ngoài phạm vi âm lịch được hỗ trợ (" + lo + "-" + hi + ").",
      "Year " + y + " is outside the supported lunar calendar range (" + lo + "-" + hi + ").",
      "year");
}

bool year_in_range(int year) { return year > kLunarMinYear && year < kLunarMaxYear; }

}  // namespace

Instant new_moon_instant(int k) {
  return Instant{static_cast<std::int64_t>(
      std::llround((new_moon_jd_ut(k) - kUnixEpochJd) * static_cast<double>(kSecondsPerDay)))};
}

Result<LunarDate> solar_to_lunar(CivilDate date, int utc_offset_minutes) {
  if (!is_valid(date)) {
    return make_error(ErrorKind::kBadRequest,
                      "Ngày dương lịch " + to_string(date) + " không tồn tại.",
                      "The Gregorian date " + to_string(date) + " does not exist.", "date");
  }
  if (!year_in_range(date.year)) return out_of_range(date.year);
  const std::int64_t day = days_from_civil(date);
  const int k = month_index_of_day(day, utc_offset_minutes);
  Span span = span_from_month11(date.year, utc_offset_minutes);
  int span_year = date.year;
  if (k < span.k11) {
    span = span_from_month11(date.year - 1, utc_offset_minutes);
    span_year = date.year - 1;
  }
  const int offset = k - span.k11;
  const bool leap = span.leap_offset != 0 && offset == span.leap_offset;
  const int effective = (span.leap_offset != 0 && offset >= span.leap_offset) ? offset - 1 : offset;
  LunarDate out;
  out.day = static_cast<int>(day - new_moon_day(k, utc_offset_minutes)) + 1;
  out.month = effective == 0 ? 11 : effective == 1 ? 12 : effective - 1;
  out.year = out.month >= 11 ? span_year : span_year + 1;
  out.leap = leap;
  return out;
}

Result<CivilDate> lunar_to_solar(LunarDate date, int utc_offset_minutes) {
  if (!year_in_range(date.year) || !year_in_range(date.year - 1)) return out_of_range(date.year);
  const std::string text = std::to_string(date.day) + "/" + std::to_string(date.month) +
                           (date.leap ? " (nhuận)" : "") + "/" + std::to_string(date.year);
  const std::string text_en = std::to_string(date.day) + "/" + std::to_string(date.month) +
                              (date.leap ? " (leap)" : "") + "/" + std::to_string(date.year);
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > 30) {
    return make_error(ErrorKind::kBadRequest,
                      "Ngày âm lịch " + text + " không hợp lệ: tháng 1-12, ngày 1-30.",
                      "Invalid lunar date " + text_en + ": month 1-12, day 1-30.", "date");
  }
  // Months 11 and 12 of lunar year Y follow the solstice of Gregorian year Y;
  // months 1..10 follow the one of year Y-1.
  const int span_year = date.month >= 11 ? date.year : date.year - 1;
  const Span span = span_from_month11(span_year, utc_offset_minutes);
  const int effective = date.month >= 11 ? date.month - 11 : date.month + 1;
  int offset = 0;
  if (date.leap) {
    if (span.leap_offset == 0 || span.leap_offset - 1 != effective) {
      return make_error(ErrorKind::kUnprocessable,
                        "Năm âm lịch " + std::to_string(date.year) + " không có tháng " +
                            std::to_string(date.month) + " nhuận.",
                        "Lunar year " + std::to_string(date.year) + " has no leap month " +
                            std::to_string(date.month) + ".",
                        "date");
    }
    offset = span.leap_offset;
  } else {
    offset = (span.leap_offset != 0 && effective >= span.leap_offset) ? effective + 1 : effective;
  }
  const std::int64_t start = new_moon_day(span.k11 + offset, utc_offset_minutes);
  const std::int64_t length = new_moon_day(span.k11 + offset + 1, utc_offset_minutes) - start;
  if (date.day > length) {
    return make_error(ErrorKind::kUnprocessable,
                      "Ngày âm lịch " + text + " không tồn tại: tháng này chỉ có " +
                          std::to_string(length) + " ngày.",
                      "Lunar date " + text_en + " does not exist: that month has only " +
                          std::to_string(length) + " days.",
                      "date");
  }
  return civil_from_days(start + date.day - 1);
}

Result<CivilDate> lunar_new_year(int year, int utc_offset_minutes) {
  return lunar_to_solar(LunarDate{1, 1, year, false}, utc_offset_minutes);
}

Result<int> lunar_leap_month(int year, int utc_offset_minutes) {
  if (!year_in_range(year) || !year_in_range(year - 1)) return out_of_range(year);
  // A leap month of lunar year Y lies in the span after the solstice of Y-1
  // (months 1..10), or, as a leap 11 or 12, in the span after that of Y.
  const Span before = span_from_month11(year - 1, utc_offset_minutes);
  if (before.leap_offset >= 3) return before.leap_offset - 2;  // offset 3 = leap month 1
  const Span after = span_from_month11(year, utc_offset_minutes);
  if (after.leap_offset == 1 || after.leap_offset == 2) return after.leap_offset + 10;
  return 0;
}

}  // namespace motcua::calendar
