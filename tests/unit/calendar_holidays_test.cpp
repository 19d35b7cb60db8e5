// Public holidays, compensatory days and the per-year override table.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "domain/calendar/holidays.hpp"
#include "domain/calendar/working_calendar.hpp"

namespace motcua::calendar {
namespace {

std::set<std::string> dates_of_kind(const std::vector<Holiday>& list, HolidayKind kind) {
  std::set<std::string> out;
  for (const Holiday& h : list) {
    if (h.kind == kind) out.insert(to_string(h.date));
  }
  return out;
}

std::vector<Holiday> computed(int year) {
  auto list = holidays_for_year(year, HolidayRules{}, nullptr);
  EXPECT_TRUE(list.ok());
  return list.ok() ? *list : std::vector<Holiday>{};
}

// The government's decisions for 2025: Tết (Official Letter 8726/VPCP-KGVX of
// 26 November 2024): days off from Saturday 25 January to Sunday 2 February,
// the five Tết days being Monday 27 to Friday 31 January (28 Tết to mùng 3);
// 30 April - 1 May: Friday 2 May given off in exchange for Saturday 26 April.
YearOverrides decision_2025() {
  YearOverrides o;
  o.year = 2025;
  o.tet_days = std::vector<CivilDate>{
      {2025, 1, 27}, {2025, 1, 28}, {2025, 1, 29}, {2025, 1, 30}, {2025, 1, 31}};
  o.days_off.push_back({{2025, 5, 2}, "Nghỉ hoán đổi dịp 30/4 - 1/5", "Swapped day off, 30 April"});
  o.working_days.push_back({{2025, 4, 26}, "Làm bù cho ngày 02/5", "Worked in exchange for 2 May"});
  return o;
}

TEST(HolidaysTest, ComputedHolidaysOf2025) {
  const auto list = computed(2025);
  EXPECT_EQ(dates_of_kind(list, HolidayKind::kHoliday),
            (std::set<std::string>{"2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30",
                                   "2025-01-31", "2025-02-01", "2025-04-07", "2025-04-30",
                                   "2025-05-01", "2025-09-01", "2025-09-02"}));
  // Without a decision, the 5th Tết day (Saturday 1 February) is made up on
  // Monday 3 February.
  EXPECT_EQ(dates_of_kind(list, HolidayKind::kCompensatory), (std::set<std::string>{"2025-02-03"}));
  for (const Holiday& h : list) {
    EXPECT_FALSE(h.name_vi.empty());
    EXPECT_FALSE(h.name_en.empty());
  }
  EXPECT_TRUE(std::is_sorted(list.begin(), list.end(),
                             [](const Holiday& a, const Holiday& b) { return a.date < b.date; }));
}

TEST(HolidaysTest, CompensatoryDaysOfPastYears) {
  // 2021: 1 May on a Saturday, made up Monday 3 May.
  EXPECT_EQ(dates_of_kind(computed(2021), HolidayKind::kCompensatory).count("2021-05-03"), 1u);
  // 2022: 1 January on a Saturday -> Monday 3 January; 30 April and 1 May on a
  // weekend -> Monday 2 and Tuesday 3 May.
  const auto c2022 = dates_of_kind(computed(2022), HolidayKind::kCompensatory);
  EXPECT_EQ(c2022.count("2022-01-03"), 1u);
  EXPECT_EQ(c2022.count("2022-05-02"), 1u);
  EXPECT_EQ(c2022.count("2022-05-03"), 1u);
  // 2023: 1 January on a Sunday -> Monday 2 January; 2 September on a
  // Saturday -> Monday 4 September.
  const auto c2023 = dates_of_kind(computed(2023), HolidayKind::kCompensatory);
  EXPECT_EQ(c2023.count("2023-01-02"), 1u);
  EXPECT_EQ(c2023.count("2023-09-04"), 1u);
}

TEST(HolidaysTest, NationalDayAdjacentDayFollowsTheGovernmentsRecentChoices) {
  const std::map<int, std::string> chosen = {{2021, "2021-09-03"},
                                             {2022, "2022-09-01"},
                                             {2023, "2023-09-01"},
                                             {2024, "2024-09-03"},
                                             {2025, "2025-09-01"}};
  for (const auto& [year, date] : chosen) {
    const auto holidays = dates_of_kind(computed(year), HolidayKind::kHoliday);
    EXPECT_EQ(holidays.count(date), 1u) << year;
  }
  HolidayRules first;
  first.national_day = NationalDayRule::kFirstSeptember;
  EXPECT_EQ(dates_of_kind(*holidays_for_year(2024, first, nullptr), HolidayKind::kHoliday)
                .count("2024-09-01"),
            1u);
  YearOverrides o;
  o.year = 2025;
  o.national_day_adjacent = CivilDate{2025, 9, 3};
  const auto with =
      dates_of_kind(*holidays_for_year(2025, HolidayRules{}, &o), HolidayKind::kHoliday);
  EXPECT_EQ(with.count("2025-09-03"), 1u);
  EXPECT_EQ(with.count("2025-09-01"), 0u);
}

TEST(HolidaysTest, The2025DecisionGivesTheDaysActuallyObserved) {
  auto cal = WorkingCalendar::create(CalendarConfig{}, {decision_2025()});
  ASSERT_TRUE(cal.ok()) << cal.error().message_en;
  // Days off as observed by public offices in 2025.
  const std::set<std::string> off = {
      "2025-01-01", "2025-01-25", "2025-01-26", "2025-01-27", "2025-01-28", "2025-01-29",
      "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-04-05", "2025-04-06",
      "2025-04-07", "2025-04-27", "2025-04-30", "2025-05-01", "2025-05-02", "2025-05-03",
      "2025-05-04", "2025-08-30", "2025-08-31", "2025-09-01", "2025-09-02"};
  for (CivilDate d{2025, 1, 1}; d.year == 2025; d = add_days(d, 1)) {
    const bool weekend = weekday(d) == Weekday::kSaturday || weekday(d) == Weekday::kSunday;
    const bool in_checked_periods = (d.month == 1 || d.month == 2 || d.month == 4 || d.month == 5 ||
                                     d.month == 9 || (d.month == 8 && d.day >= 29));
    if (!in_checked_periods) {
      EXPECT_EQ(cal->is_working_day(d), !weekend) << to_string(d);
      continue;
    }
    const bool expected_working =
        off.count(to_string(d)) == 0 && (!weekend || d == CivilDate{2025, 4, 26});
    EXPECT_EQ(cal->is_working_day(d), expected_working) << to_string(d);
  }
  // Monday 3 February is a working day under the decision (no compensatory
  // day: the Tết days were all weekdays), and the list says why 26 April is
  // worked.
  const auto list = cal->holidays(2025);
  EXPECT_TRUE(dates_of_kind(list, HolidayKind::kCompensatory).empty());
  EXPECT_EQ(dates_of_kind(list, HolidayKind::kSwappedWork), (std::set<std::string>{"2025-04-26"}));
  EXPECT_EQ(dates_of_kind(list, HolidayKind::kSwappedOff), (std::set<std::string>{"2025-05-02"}));
}

TEST(HolidaysTest, ATetDayOnAWeekendIsMadeUp) {
  YearOverrides o;
  o.year = 2026;
  o.tet_days = std::vector<CivilDate>{{2026, 2, 14}, {2026, 2, 16}};  // Saturday, Monday
  auto list = holidays_for_year(2026, HolidayRules{}, &o);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(dates_of_kind(*list, HolidayKind::kCompensatory).count("2026-02-17"), 1u);
}

TEST(HolidaysTest, InvalidOverridesAreRejectedWithAReason) {
  YearOverrides wrong_year;
  wrong_year.year = 2025;
  wrong_year.days_off.push_back({{2026, 1, 2}, "", ""});
  auto r = validate_overrides(wrong_year);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message_en.find("2026-01-02"), std::string::npos);
  EXPECT_NE(r.error().message_vi.find("2026-01-02"), std::string::npos);

  YearOverrides bad_national;
  bad_national.year = 2025;
  bad_national.national_day_adjacent = CivilDate{2025, 9, 5};
  EXPECT_FALSE(validate_overrides(bad_national).ok());

  YearOverrides both;
  both.year = 2025;
  both.days_off.push_back({{2025, 3, 3}, "", ""});
  both.working_days.push_back({{2025, 3, 3}, "", ""});
  EXPECT_FALSE(validate_overrides(both).ok());

  YearOverrides empty_tet;
  empty_tet.year = 2025;
  empty_tet.tet_days = std::vector<CivilDate>{};
  EXPECT_FALSE(validate_overrides(empty_tet).ok());

  YearOverrides twice;
  twice.year = 2025;
  twice.tet_days = std::vector<CivilDate>{{2025, 1, 27}, {2025, 1, 27}};
  EXPECT_FALSE(validate_overrides(twice).ok());

  EXPECT_TRUE(validate_overrides(decision_2025()).ok());
  auto dup = WorkingCalendar::create(CalendarConfig{}, {decision_2025(), decision_2025()});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::kBadRequest);
}

TEST(HolidaysTest, KindNames) {
  EXPECT_STREQ(holiday_kind_name(HolidayKind::kHoliday), "holiday");
  EXPECT_STREQ(holiday_kind_name(HolidayKind::kCompensatory), "compensatory");
  EXPECT_STREQ(holiday_kind_name(HolidayKind::kSwappedOff), "swapped_off");
  EXPECT_STREQ(holiday_kind_name(HolidayKind::kSwappedWork), "swapped_work");
}

}  // namespace
}  // namespace motcua::calendar
