// The monthly rollup: month starts, month rows folded from sorted days, and
// every range cut into head days, whole months and tail days that cover it
// exactly once (checked day by day over two years of ranges).
#include <gtest/gtest.h>

#include <algorithm>

#include "domain/calendar/civil_date.hpp"
#include "domain/stats/rollup.hpp"

namespace motcua::stats {
namespace {

std::int64_t day(int y, int m, int d) { return calendar::days_from_civil({y, m, d}); }

Row row(Level level, const char* unit, std::int64_t d, std::int64_t received) {
  Row r{{level, unit, d}, {}};
  r.counters[Counter::kReceived] = received;
  return r;
}

TEST(StatsRollup, MonthStartIsTheFirstDayOfTheMonth) {
  EXPECT_EQ(month_start(day(2025, 7, 1)), day(2025, 7, 1));
  EXPECT_EQ(month_start(day(2025, 7, 31)), day(2025, 7, 1));
  EXPECT_EQ(month_start(day(2024, 2, 29)), day(2024, 2, 1));
  EXPECT_EQ(month_start(day(2026, 1, 1) - 1), day(2025, 12, 1));
}

TEST(StatsRollup, MonthRowsFoldTheDaysOfEachUnitAndLeaveTheGaugeOut) {
  std::vector<Row> days = {row(Level::kNation, "VN", day(2025, 7, 30), 1),
                           row(Level::kNation, "VN", day(2025, 8, 2), 2),
                           row(Level::kUnit, "00004", kGaugeDay, 9),
                           row(Level::kUnit, "00004", day(2025, 7, 1), 3),
                           row(Level::kUnit, "00004", day(2025, 7, 20), 4),
                           row(Level::kUnit, "00004", day(2025, 7, 21), -7),
                           row(Level::kUnit, "00007", day(2025, 7, 21), 5)};
  const auto months = months_of(days);
  ASSERT_EQ(months.size(), 3u);  // 00004's July sums to zero and is dropped
  EXPECT_EQ(months[0].key.unit, "00007");
  EXPECT_EQ(months[0].key.day, day(2025, 7, 1));
  EXPECT_EQ(months[0].counters[Counter::kReceived], 5);
  EXPECT_EQ(months[1].key.unit, "VN");
  EXPECT_EQ(months[1].key.day, day(2025, 7, 1));
  EXPECT_EQ(months[1].counters[Counter::kReceived], 1);
  EXPECT_EQ(months[2].key.day, day(2025, 8, 1));
  EXPECT_EQ(months[2].counters[Counter::kReceived], 2);
  for (std::size_t i = 1; i < months.size(); ++i) EXPECT_LT(months[i - 1].key, months[i].key);
}

TEST(StatsRollup, AYearIsTwelveMonthsAndAMonthIsOneRow) {
  auto s = split_range(day(2025, 1, 1), day(2025, 12, 31));
  EXPECT_EQ(s.months.from, day(2025, 1, 1));
  EXPECT_EQ(s.months.to, day(2025, 12, 1));
  EXPECT_EQ(s.rows(), 12);
  s = split_range(day(2025, 2, 1), day(2025, 2, 28));
  EXPECT_EQ(s.months.from, day(2025, 2, 1));
  EXPECT_EQ(s.months.to, day(2025, 2, 1));
  EXPECT_EQ(s.rows(), 1);
}

TEST(StatsRollup, AnEndNearAMonthBoundaryTakesTheMonthLessItsOtherDays) {
  // 365 days to 3 December: December 2025 less 1-3 December, eleven months,
  // and 1-3 December 2026 as days.
  auto s = split_range(day(2025, 12, 4), day(2026, 12, 3));
  EXPECT_EQ(s.months.from, day(2025, 12, 1));
  EXPECT_EQ(s.months.to, day(2026, 11, 1));
  EXPECT_EQ(s.subtract[0].from, day(2025, 12, 1));
  EXPECT_EQ(s.subtract[0].to, day(2025, 12, 3));
  EXPECT_TRUE(s.add[0].empty());
  EXPECT_EQ(s.add[1].from, day(2026, 12, 1));
  EXPECT_EQ(s.add[1].to, day(2026, 12, 3));
  EXPECT_TRUE(s.subtract[1].empty());
  EXPECT_EQ(s.rows(), 12 + 3 + 3);
  // 30 days in two months: November less 1-2 November, and 1-3 December.
  s = split_range(day(2026, 11, 3), day(2026, 12, 3));
  EXPECT_EQ(s.rows(), 1 + 2 + 3);
  // Most of one month: the month less its last days.
  s = split_range(day(2026, 7, 1), day(2026, 7, 29));
  EXPECT_EQ(s.months.from, day(2026, 7, 1));
  EXPECT_EQ(s.subtract[1].from, day(2026, 7, 30));
  EXPECT_EQ(s.subtract[1].to, day(2026, 7, 31));
  EXPECT_EQ(s.rows(), 3);
}

TEST(StatsRollup, AShortRangeAndTheGaugeAreReadAsDays) {
  for (auto [from, to] : {std::pair{day(2025, 7, 2), day(2025, 7, 9)},
                          std::pair{day(2025, 7, 28), day(2025, 8, 3)},
                          std::pair{kGaugeDay, kGaugeDay}}) {
    const auto s = split_range(from, to);
    EXPECT_EQ(s.add[0].from, from);
    EXPECT_EQ(s.add[0].to, to);
    EXPECT_TRUE(s.months.empty());
    EXPECT_TRUE(s.add[1].empty() && s.subtract[0].empty() && s.subtract[1].empty());
  }
}

TEST(StatsRollup, EveryRangeIsCoveredExactlyOnceAndNothingElse) {
  const std::int64_t base = day(2024, 1, 1);  // a leap year and the next
  const auto in = [](const DayRange& r, std::int64_t d) { return d >= r.from && d <= r.to; };
  for (std::int64_t from = base; from < base + 731; from += 3) {
    for (std::int64_t to = from; to < from + 400; to += 5) {
      const auto s = split_range(from, to);
      // Every day of every month touched: +1 per read, -1 per subtraction.
      for (std::int64_t d = month_start(from); d < month_start(to + 31); ++d) {
        const int weight = in(s.add[0], d) + in(s.add[1], d) + in(s.months, month_start(d)) -
                           in(s.subtract[0], d) - in(s.subtract[1], d);
        ASSERT_EQ(weight, d >= from && d <= to ? 1 : 0)
            << from << ".." << to << " day " << d;
      }
      // The months named are first days, a subtracted day lies in a month read,
      // and never more rows than reading the days one by one.
      if (!s.months.empty()) {
        ASSERT_EQ(month_start(s.months.from), s.months.from);
        ASSERT_EQ(month_start(s.months.to), s.months.to);
      }
      for (const DayRange& r : s.subtract) {
        if (!r.empty()) ASSERT_TRUE(in(s.months, month_start(r.from)) && in(s.months, month_start(r.to)));
      }
      ASSERT_LE(s.rows(), to - from + 1);
    }
  }
}

}  // namespace
}  // namespace motcua::stats
