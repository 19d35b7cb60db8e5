// Dates in Vietnam's time: vn_today() (formatted once a day per thread) is
// vn_date() of now, however often and on whichever thread it is asked.
#include <gtest/gtest.h>

#include <thread>

#include "common/dates.hpp"

namespace motcua {
namespace {

// Today by vn_today(), against vn_date() just before and just after (the two
// differ only across midnight in Vietnam).
void expect_today() {
  const auto before = vn_date(std::chrono::system_clock::now());
  const auto today = vn_today();
  const auto after = vn_date(std::chrono::system_clock::now());
  EXPECT_TRUE(today == before || today == after) << today << " " << before << " " << after;
  EXPECT_TRUE(is_iso_date(today)) << today;
}

TEST(VnToday, IsTheDateOfNowInVietnamEveryTimeOnEveryThread) {
  for (int i = 0; i < 3; ++i) expect_today();
  std::thread other([] {
    for (int i = 0; i < 3; ++i) expect_today();
  });
  other.join();
}

TEST(VnDate, IsTheDateSevenHoursAheadOfUtc) {
  using namespace std::chrono;
  // 2025-06-30 17:00 UTC is midnight of 1 July in Vietnam; a second before is still 30 June.
  const auto midnight = sys_days{year{2025} / 6 / 30} + hours(17);
  EXPECT_EQ(vn_date(midnight), "2025-07-01");
  EXPECT_EQ(vn_date(midnight - seconds(1)), "2025-06-30");
}

TEST(IsIsoDate, TakesRealDatesOnly) {
  EXPECT_TRUE(is_iso_date("2024-02-29"));
  EXPECT_FALSE(is_iso_date("2025-02-29"));
  EXPECT_FALSE(is_iso_date("2025-7-01"));
  EXPECT_FALSE(is_iso_date("2025-07-01T00:00"));
}

}  // namespace
}  // namespace motcua
