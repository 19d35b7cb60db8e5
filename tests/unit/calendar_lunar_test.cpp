// The lunar calendar against published dates.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>

#include "domain/calendar/lunar.hpp"

namespace motcua::calendar {
namespace {

// Lunar New Year's day (1/1) for the Chinese calendar (UTC+8), 1990-2050, as
// listed by the Hong Kong Observatory's Gregorian-lunar conversion tables and
// the Wikipedia article "Chinese New Year". The Vietnamese calendar (UTC+7)
// agrees in every year of the range except 2007 and 2030, where the new moon
// falls between 23:00 and 24:00 Hanoi time, so Vietnam's Tết is one day
// earlier (kVietnamDiffers, per Hồ Ngọc Đức, "Âm lịch Việt Nam",
// informatik.uni-leipzig.de/~duc/amlich, and the Vietnamese government's
// announcements for Tết Đinh Hợi 2007).
const std::map<int, CivilDate> kChineseNewYear = {
    {1990, {1990, 1, 27}}, {1991, {1991, 2, 15}}, {1992, {1992, 2, 4}},  {1993, {1993, 1, 23}},
    {1994, {1994, 2, 10}}, {1995, {1995, 1, 31}}, {1996, {1996, 2, 19}}, {1997, {1997, 2, 7}},
    {1998, {1998, 1, 28}}, {1999, {1999, 2, 16}}, {2000, {2000, 2, 5}},  {2001, {2001, 1, 24}},
    {2002, {2002, 2, 12}}, {2003, {2003, 2, 1}},  {2004, {2004, 1, 22}}, {2005, {2005, 2, 9}},
    {2006, {2006, 1, 29}}, {2007, {2007, 2, 18}}, {2008, {2008, 2, 7}},  {2009, {2009, 1, 26}},
    {2010, {2010, 2, 14}}, {2011, {2011, 2, 3}},  {2012, {2012, 1, 23}}, {2013, {2013, 2, 10}},
    {2014, {2014, 1, 31}}, {2015, {2015, 2, 19}}, {2016, {2016, 2, 8}},  {2017, {2017, 1, 28}},
    {2018, {2018, 2, 16}}, {2019, {2019, 2, 5}},  {2020, {2020, 1, 25}}, {2021, {2021, 2, 12}},
    {2022, {2022, 2, 1}},  {2023, {2023, 1, 22}}, {2024, {2024, 2, 10}}, {2025, {2025, 1, 29}},
    {2026, {2026, 2, 17}}, {2027, {2027, 2, 6}},  {2028, {2028, 1, 26}}, {2029, {2029, 2, 13}},
    {2030, {2030, 2, 3}},  {2031, {2031, 1, 23}}, {2032, {2032, 2, 11}}, {2033, {2033, 1, 31}},
    {2034, {2034, 2, 19}}, {2035, {2035, 2, 8}},  {2036, {2036, 1, 28}}, {2037, {2037, 2, 15}},
    {2038, {2038, 2, 4}},  {2039, {2039, 1, 24}}, {2040, {2040, 2, 12}}, {2041, {2041, 2, 1}},
    {2042, {2042, 1, 22}}, {2043, {2043, 2, 10}}, {2044, {2044, 1, 30}}, {2045, {2045, 2, 17}},
    {2046, {2046, 2, 6}},  {2047, {2047, 1, 26}}, {2048, {2048, 2, 14}}, {2049, {2049, 2, 2}},
    {2050, {2050, 1, 23}},
};
const std::map<int, CivilDate> kVietnamDiffers = {{2007, {2007, 2, 17}}, {2030, {2030, 2, 2}}};

constexpr int kChinaOffsetMinutes = 8 * 60;

CivilDate vietnam_tet(int year) {
  auto it = kVietnamDiffers.find(year);
  return it != kVietnamDiffers.end() ? it->second : kChineseNewYear.at(year);
}

TEST(LunarTest, VietnameseNewYear1990To2050MatchesPublishedTable) {
  for (int year = 1990; year <= 2050; ++year) {
    auto tet = lunar_new_year(year);
    ASSERT_TRUE(tet.ok()) << year;
    EXPECT_EQ(to_string(*tet), to_string(vietnam_tet(year))) << year;
  }
}

TEST(LunarTest, AtUtcPlus8TheSameAlgorithmGivesTheChineseDates) {
  for (int year = 1990; year <= 2050; ++year) {
    auto tet = lunar_new_year(year, kChinaOffsetMinutes);
    ASSERT_TRUE(tet.ok()) << year;
    EXPECT_EQ(to_string(*tet), to_string(kChineseNewYear.at(year))) << year;
  }
}

TEST(LunarTest, KnownDifferencesBetweenVietnamAndChina) {
  // 1985: Vietnam's Tết came a whole month before China's (the leap month
  // differs); 1968: the North, on UTC+7 since 1967, held Tết a day before the
  // South, still on UTC+8.
  EXPECT_EQ(to_string(*lunar_new_year(1985)), "1985-01-21");
  EXPECT_EQ(to_string(*lunar_new_year(1985, kChinaOffsetMinutes)), "1985-02-20");
  EXPECT_EQ(to_string(*lunar_new_year(1968)), "1968-01-29");
  EXPECT_EQ(to_string(*lunar_new_year(1968, kChinaOffsetMinutes)), "1968-01-30");
  EXPECT_EQ(to_string(*lunar_new_year(2007)), "2007-02-17");
  EXPECT_EQ(to_string(*lunar_new_year(2007, kChinaOffsetMinutes)), "2007-02-18");
}

TEST(LunarTest, HungKingsDay) {
  // 10/3 lunar; dates as announced for the public holiday.
  const std::map<int, std::string> expected = {
      {2022, "2022-04-10"}, {2023, "2023-04-29"}, {2024, "2024-04-18"},
      {2025, "2025-04-07"}, {2026, "2026-04-26"},
  };
  for (const auto& [year, date] : expected) {
    auto d = lunar_to_solar(LunarDate{10, 3, year, false});
    ASSERT_TRUE(d.ok()) << year;
    EXPECT_EQ(to_string(*d), date) << year;
  }
}

TEST(LunarTest, LeapMonths) {
  // Published leap months (tháng nhuận) of recent years.
  const std::map<int, int> expected = {{2012, 4}, {2014, 9}, {2017, 6}, {2019, 0}, {2020, 4},
                                       {2021, 0}, {2023, 2}, {2024, 0}, {2025, 6}, {2028, 5}};
  for (const auto& [year, month] : expected) {
    auto leap = lunar_leap_month(year);
    ASSERT_TRUE(leap.ok()) << year;
    EXPECT_EQ(*leap, month) << year;
  }
  // Leap month 4 of 2020 began on 23 May 2020; month 8 of 2025 comes after a
  // leap 6, so Mid-Autumn (15/8) 2025 was 6 October.
  EXPECT_EQ(to_string(*lunar_to_solar(LunarDate{1, 4, 2020, true})), "2020-05-23");
  EXPECT_EQ((*solar_to_lunar({2020, 5, 23})), (LunarDate{1, 4, 2020, true}));
  EXPECT_EQ(to_string(*lunar_to_solar(LunarDate{15, 8, 2025, false})), "2025-10-06");
}

TEST(LunarTest, SolarToLunarKnownDays) {
  // The last day of lunar 2024 (Giáp Thìn) was 29/12 on 28 January 2025; the
  // last day of lunar 2023 was 30/12 on 9 February 2024.
  EXPECT_EQ(*solar_to_lunar({2025, 1, 28}), (LunarDate{29, 12, 2024, false}));
  EXPECT_EQ(*solar_to_lunar({2025, 1, 29}), (LunarDate{1, 1, 2025, false}));
  EXPECT_EQ(*solar_to_lunar({2024, 2, 9}), (LunarDate{30, 12, 2023, false}));
  EXPECT_EQ(*solar_to_lunar({2024, 12, 31}), (LunarDate{1, 12, 2024, false}));
}

TEST(LunarTest, RejectsDatesThatDoNotExist) {
  auto no_day30 = lunar_to_solar(LunarDate{30, 12, 2024, false});
  ASSERT_FALSE(no_day30.ok());
  EXPECT_EQ(no_day30.error().kind, ErrorKind::kUnprocessable);
  EXPECT_FALSE(lunar_to_solar(LunarDate{1, 5, 2024, true}).ok());
  EXPECT_FALSE(lunar_to_solar(LunarDate{1, 13, 2024, false}).ok());
  EXPECT_FALSE(solar_to_lunar({2025, 2, 29}).ok());
  EXPECT_FALSE(lunar_new_year(1700).ok());
}

TEST(LunarTest, EveryDay1900To2100RoundTripsAndCountsUp) {
  LunarDate prev = *solar_to_lunar({1899, 12, 31});
  for (std::int64_t n = days_from_civil({1900, 1, 1}); n <= days_from_civil({2100, 12, 31}); ++n) {
    const CivilDate d = civil_from_days(n);
    auto l = solar_to_lunar(d);
    ASSERT_TRUE(l.ok()) << to_string(d);
    if (l->day == 1) {
      ASSERT_TRUE(prev.day == 29 || prev.day == 30) << to_string(d);
      if (l->leap) {
        ASSERT_EQ(l->month, prev.month) << to_string(d);
      } else {
        ASSERT_EQ(l->month, prev.month % 12 + 1) << to_string(d);
        ASSERT_EQ(l->year, prev.year + (l->month == 1 ? 1 : 0)) << to_string(d);
      }
    } else {
      ASSERT_EQ(l->day, prev.day + 1) << to_string(d);
      ASSERT_EQ(l->month, prev.month) << to_string(d);
    }
    auto back = lunar_to_solar(*l);
    ASSERT_TRUE(back.ok()) << to_string(d);
    ASSERT_EQ(*back, d);
    prev = *l;
  }
}

TEST(LunarTest, NewMoonOfJanuary2000) {
  // Meeus gives the new moon of 2000-01-06 at 18:14 UT.
  const Instant expected =
      Instant{days_from_civil({2000, 1, 6}) * kSecondsPerDay + 18 * 3600 + 14 * 60};
  EXPECT_LT(std::llabs(new_moon_instant(0).epoch_seconds - expected.epoch_seconds), 90);
}

}  // namespace
}  // namespace motcua::calendar
