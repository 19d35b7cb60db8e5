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
  EXPECT_GT(s.head_from, s.head_to);
  EXPECT_EQ(s.months_from, day(2025, 1, 1));
  EXPECT_EQ(s.months_to, day(2025, 12, 1));
  EXPECT_GT(s.tail_from, s.tail_to);
  s = split_range(day(2025, 2, 1), day(2025, 2, 28));
  EXPECT_EQ(s.months_from, day(2025, 2, 1));
  EXPECT_EQ(s.months_to, day(2025, 2, 1));
  // 365 days to 3 December: 4-30 December, eleven months, 1-3 December.
  s = split_range(day(2025, 12, 4), day(2026, 12, 3));
  EXPECT_EQ(s.head_from, day(2025, 12, 4));
  EXPECT_EQ(s.head_to, day(2025, 12, 31));
  EXPECT_EQ(s.months_from, day(2026, 1, 1));
  EXPECT_EQ(s.months_to, day(2026, 11, 1));
  EXPECT_EQ(s.tail_from, day(2026, 12, 1));
  EXPECT_EQ(s.tail_to, day(2026, 12, 3));
}

TEST(StatsRollup, ARangeWithoutAWholeMonthAndTheGaugeAreReadAsDays) {
  for (auto [from, to] : {std::pair{day(2025, 7, 2), day(2025, 8, 30)},
                          std::pair{day(2025, 7, 1), day(2025, 7, 30)},
                          std::pair{kGaugeDay, kGaugeDay}}) {
    const auto s = split_range(from, to);
    EXPECT_EQ(s.head_from, from);
    EXPECT_EQ(s.head_to, to);
    EXPECT_GT(s.months_from, s.months_to);
    EXPECT_GT(s.tail_from, s.tail_to);
  }
}

TEST(StatsRollup, EveryRangeIsCoveredExactlyOnce) {
  const std::int64_t base = day(2024, 1, 1);  // a leap year and the next
  for (std::int64_t from = base; from < base + 731; from += 3) {
    for (std::int64_t to = from; to < from + 400; to += 7) {
      const auto s = split_range(from, to);
      std::int64_t covered = 0;
      for (std::int64_t d = from; d <= to; ++d) {
        const bool in_head = d >= s.head_from && d <= s.head_to;
        const bool in_tail = d >= s.tail_from && d <= s.tail_to;
        const std::int64_t m = month_start(d);
        const bool in_month = m >= s.months_from && m <= s.months_to;
        ASSERT_EQ(in_head + in_tail + in_month, 1) << from << ".." << to << " day " << d;
        ++covered;
      }
      // Whole months only: the first and last month read whole lie inside the range.
      if (s.months_from <= s.months_to) {
        ASSERT_GE(s.months_from, from);
        ASSERT_LE(month_start(s.months_to + 31) - 1, to);
        ASSERT_EQ(s.head_from, from);
        ASSERT_EQ(s.tail_to, to);
      }
      ASSERT_EQ(covered, to - from + 1);
    }
  }
}

}  // namespace
}  // namespace motcua::stats
