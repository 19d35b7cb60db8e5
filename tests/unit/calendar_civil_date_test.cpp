// Dates, times of day and instants in Vietnam time.
#include <gtest/gtest.h>

#include "domain/calendar/civil_date.hpp"

namespace motcua::calendar {
namespace {

TEST(CivilDateTest, DayNumbers) {
  EXPECT_EQ(days_from_civil({1970, 1, 1}), 0);
  EXPECT_EQ(days_from_civil({1969, 12, 31}), -1);
  EXPECT_EQ(days_from_civil({2000, 3, 1}), 11017);
  EXPECT_EQ(days_from_civil({2025, 7, 1}), 20270);
  EXPECT_EQ(civil_from_days(20270), (CivilDate{2025, 7, 1}));
  EXPECT_EQ(civil_from_days(-1), (CivilDate{1969, 12, 31}));
  EXPECT_EQ(add_days({2024, 2, 28}, 1), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(add_days({2100, 2, 28}, 1), (CivilDate{2100, 3, 1}));   // 2100 is not leap
  EXPECT_EQ(add_days({2000, 2, 28}, 1), (CivilDate{2000, 2, 29}));  // 2000 is
}

TEST(CivilDateTest, EveryDayRoundTripsAndFollowsTheLastOne) {
  CivilDate prev = civil_from_days(-200000);
  for (std::int64_t n = -199999; n <= 200000; ++n) {
    const CivilDate d = civil_from_days(n);
    ASSERT_TRUE(is_valid(d)) << n;
    ASSERT_EQ(days_from_civil(d), n);
    ASSERT_LT(prev, d);
    const bool next_day = d.day == prev.day + 1 && d.month == prev.month && d.year == prev.year;
    const bool next_month = d.day == 1 && prev.day == days_in_month(prev.year, prev.month) &&
                            (d.month == prev.month + 1 ||
                             (d.month == 1 && prev.month == 12 && d.year == prev.year + 1));
    ASSERT_TRUE(next_day || next_month) << to_string(d);
    prev = d;
  }
}

TEST(CivilDateTest, Weekdays) {
  EXPECT_EQ(weekday({1970, 1, 1}), Weekday::kThursday);
  EXPECT_EQ(weekday({2000, 1, 1}), Weekday::kSaturday);
  EXPECT_EQ(weekday({2025, 7, 1}), Weekday::kTuesday);
  EXPECT_EQ(weekday({1969, 12, 28}), Weekday::kSunday);
}

TEST(CivilDateTest, ParseAndFormat) {
  auto d = parse_civil_date("2024-02-29");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, (CivilDate{2024, 2, 29}));
  EXPECT_EQ(to_string(*d), "2024-02-29");
  EXPECT_EQ(to_string(CivilDate{1, 1, 9}), "0001-01-09");
  EXPECT_EQ(to_string(CivilDate{9999, 12, 31}), "9999-12-31");
  EXPECT_EQ(to_string(CivilDate{2025, 10, 20}), "2025-10-20");
  EXPECT_EQ(to_string(CivilDate{-44, 3, 15}), "-044-03-15");  // as printf writes it
  for (const char* bad : {"2025-02-29", "2025-13-01", "2025-00-10", "2025-1-01", "2025/01/01",
                          "20250101", "2025-01-01x", "", "abcd-ef-gh", "2025-04-31"}) {
    auto r = parse_civil_date(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kBadRequest);
    EXPECT_NE(r.error().message_vi.find("YYYY-MM-DD"), std::string::npos);
  }
}

TEST(CivilDateTest, TimeOfDay) {
  EXPECT_EQ(parse_time_of_day("07:30")->minutes, 450);
  EXPECT_EQ(parse_time_of_day("24:00")->minutes, 1440);
  EXPECT_EQ(to_string(TimeOfDay::hm(13, 5)), "13:05");
  for (const char* bad : {"7:30", "24:01", "12:60", "1230", "ab:cd"}) {
    EXPECT_FALSE(parse_time_of_day(bad).ok()) << bad;
  }
}

TEST(CivilDateTest, InstantsAreVietnamTime) {
  const Instant t = make_instant({2025, 7, 1}, 8, 30);
  EXPECT_EQ(t.epoch_seconds, 1751333400);  // 2025-07-01T01:30:00Z
  EXPECT_EQ(to_rfc3339(t), "2025-07-01T08:30:00+07:00");
  // 17:00 UTC is midnight in Hanoi: the local date moves on.
  const LocalDateTime midnight =
      to_local(Instant{days_from_civil({2025, 6, 30}) * 86400 + 17 * 3600});
  EXPECT_EQ(midnight.date, (CivilDate{2025, 7, 1}));
  EXPECT_EQ(midnight.second_of_day, 0);
  EXPECT_EQ(to_local(Instant{-1}).date, (CivilDate{1970, 1, 1}));  // 06:59:59 local
  EXPECT_EQ(local_day_number(Instant{-7 * 3600 - 1}), -1);
}

TEST(CivilDateTest, Rfc3339TextReadsBackAsTheSameInstant) {
  EXPECT_EQ(to_rfc3339(make_instant({999, 1, 2}, 3, 4)), "0999-01-02T03:04:00+07:00");
  EXPECT_EQ(to_rfc3339(Instant{make_instant({2026, 12, 31}, 23, 59).epoch_seconds + 59}),
            "2026-12-31T23:59:59+07:00");
  // Every 7,919 seconds over three years: each text parses back to its instant.
  const auto from = make_instant({2025, 1, 1}, 0, 0).epoch_seconds;
  for (std::int64_t t = from; t < from + 3 * 366 * 86400; t += 7919) {
    const std::string text = to_rfc3339(Instant{t});
    ASSERT_EQ(text.size(), 25u) << text;
    ASSERT_EQ(parse_rfc3339(text)->epoch_seconds, t) << text;
  }
}

TEST(CivilDateTest, ParseRfc3339) {
  const Instant t = make_instant({2025, 7, 1}, 8, 30);
  EXPECT_EQ(*parse_rfc3339("2025-07-01T08:30:00+07:00"), t);
  EXPECT_EQ(*parse_rfc3339("2025-07-01T01:30:00Z"), t);
  EXPECT_EQ(*parse_rfc3339("2025-07-01T01:30:00.123456Z"), t);
  EXPECT_EQ(*parse_rfc3339("2025-06-30T20:30:00-05:00"), t);
  for (const char* bad :
       {"2025-07-01", "2025-07-01T08:30:00", "2025-07-01T25:30:00Z", "2025-07-01T08:30:00+0700",
        "2025-02-30T08:30:00Z", "2025-07-01T08:30:00.Z"}) {
    auto r = parse_rfc3339(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kBadRequest);
  }
}

}  // namespace
}  // namespace motcua::calendar
