// Due times in working days, working hours and calendar days, with pauses.
#include <gtest/gtest.h>

#include <random>

#include "domain/calendar/working_calendar.hpp"

namespace motcua::calendar {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

constexpr std::int64_t kHour = 3600;

Instant at(int y, int m, int d, int h, int mi) { return make_instant({y, m, d}, h, mi); }

std::string due_text(const Result<Instant>& r) {
  return r.ok() ? to_rfc3339(*r) : "error: " + r.error().message_en;
}

WorkingCalendar default_calendar() {
  auto cal = WorkingCalendar::create();
  EXPECT_TRUE(cal.ok());
  return std::move(cal).value();
}

// 2025 decision for 30 April - 1 May: Friday 2 May off, Saturday 26 April worked.
YearOverrides swap_2025() {
  YearOverrides o;
  o.year = 2025;
  o.days_off.push_back({{2025, 5, 2}, "", ""});
  o.working_days.push_back({{2025, 4, 26}, "", ""});
  return o;
}

// 7 July 2025 is a Monday; that week has no holiday.
TEST(DueTest, WorkingDaysStartTheDayAfterReceipt) {
  const WorkingCalendar cal = default_calendar();
  EXPECT_EQ(due_text(cal.due_after_working_days(at(2025, 7, 7, 10, 0), 3)),
            "2025-07-10T17:00:00+07:00");
  EXPECT_EQ(due_text(cal.due_after_working_days(at(2025, 7, 7, 6, 0), 3)),
            "2025-07-10T17:00:00+07:00");
  // After the end of the working day: counted as received Tuesday.
  EXPECT_EQ(due_text(cal.due_after_working_days(at(2025, 7, 7, 17, 30), 3)),
            "2025-07-11T17:00:00+07:00");
  EXPECT_EQ(due_text(cal.due_after_working_days(at(2025, 7, 7, 17, 0), 3)),
            "2025-07-11T17:00:00+07:00");
  // On a Sunday: counted as received Monday.
  EXPECT_EQ(due_text(cal.due_after_working_days(at(2025, 7, 6, 10, 0), 3)),
            "2025-07-10T17:00:00+07:00");
  // Friday: the weekend is skipped.
  EXPECT_EQ(due_text(cal.due_after_working_days(at(2025, 7, 11, 9, 0), 1)),
            "2025-07-14T17:00:00+07:00");
  // Zero days: the end of the receipt day.
  EXPECT_EQ(due_text(cal.due_after_working_days(at(2025, 7, 7, 10, 0), 0)),
            "2025-07-07T17:00:00+07:00");
}

TEST(DueTest, ReceiptCutoffIsConfigurable) {
  CalendarConfig config;
  config.receipt_cutoff = TimeOfDay::hm(15, 0);
  auto cal = WorkingCalendar::create(config);
  ASSERT_TRUE(cal.ok());
  EXPECT_EQ(due_text(cal->due_after_working_days(at(2025, 7, 7, 14, 59), 3)),
            "2025-07-10T17:00:00+07:00");
  EXPECT_EQ(due_text(cal->due_after_working_days(at(2025, 7, 7, 15, 0), 3)),
            "2025-07-11T17:00:00+07:00");
  EXPECT_EQ(due_text(cal->due_after_working_hours(at(2025, 7, 7, 15, 30), 2)),
            "2025-07-08T09:30:00+07:00");
  config.receipt_cutoff = TimeOfDay::hm(18, 0);
  EXPECT_FALSE(WorkingCalendar::create(config).ok());
}

// Calendar days count from the receipt day as working days do: received after
// the cut-off, or on a rest day, a dossier counts as received on the next
// working day, and its days start the day after that (they started the day
// after the calendar date, a day or a weekend early).
TEST(DueTest, CalendarDaysStartAfterTheReceiptDay) {
  CalendarConfig config;
  config.receipt_cutoff = TimeOfDay::hm(15, 0);
  auto cal = WorkingCalendar::create(config);
  ASSERT_TRUE(cal.ok());
  EXPECT_EQ(due_text(cal->due_after_calendar_days(at(2025, 7, 7, 14, 59), 4)),
            "2025-07-11T17:00:00+07:00");
  // Counted as received Tuesday: day 4 is Saturday, moved to Monday.
  EXPECT_EQ(due_text(cal->due_after_calendar_days(at(2025, 7, 7, 15, 0), 4)),
            "2025-07-14T17:00:00+07:00");
  // Received on Saturday 12 July: counted Monday 14, day 2 is Wednesday.
  EXPECT_EQ(due_text(cal->due_after_calendar_days(at(2025, 7, 12, 10, 0), 2)),
            "2025-07-16T17:00:00+07:00");
  const WorkingCalendar plain = default_calendar();
  EXPECT_EQ(due_text(plain.due_after_calendar_days(at(2025, 7, 7, 17, 30), 4)),
            "2025-07-14T17:00:00+07:00");
  auto day = plain.receipt_day(at(2025, 7, 13, 9, 0));  // a Sunday
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(to_string(*day), "2025-07-14");
  day = plain.receipt_day(at(2025, 7, 14, 16, 59));
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(to_string(*day), "2025-07-14");
  // Before 30 April - 1 May 2025 (Wednesday, Thursday): received Tuesday
  // evening, counted Friday 2 May.
  day = plain.receipt_day(at(2025, 4, 29, 18, 0));
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(to_string(*day), "2025-05-02");
}

TEST(DueTest, HolidaysAndOverridesMoveTheDueDate) {
  const WorkingCalendar plain = default_calendar();
  auto swapped = WorkingCalendar::create(CalendarConfig{}, {swap_2025()});
  ASSERT_TRUE(swapped.ok());
  // Received Tuesday 29 April: 30 April and 1 May are holidays.
  EXPECT_EQ(due_text(plain.due_after_working_days(at(2025, 4, 29, 9, 0), 2)),
            "2025-05-05T17:00:00+07:00");
  // The extra day off (Friday 2 May) moves it one working day later.
  EXPECT_EQ(due_text(swapped->due_after_working_days(at(2025, 4, 29, 9, 0), 2)),
            "2025-05-06T17:00:00+07:00");
  EXPECT_EQ(*plain.next_working_day({2025, 4, 29}), (CivilDate{2025, 5, 2}));
  EXPECT_EQ(*swapped->next_working_day({2025, 4, 29}), (CivilDate{2025, 5, 5}));
  // The worked Saturday 26 April counts as a working day.
  EXPECT_EQ(due_text(plain.due_after_working_days(at(2025, 4, 25, 9, 0), 1)),
            "2025-04-28T17:00:00+07:00");
  EXPECT_EQ(due_text(swapped->due_after_working_days(at(2025, 4, 25, 9, 0), 1)),
            "2025-04-26T17:00:00+07:00");
  // And a dossier received on it counts from that day.
  EXPECT_EQ(due_text(swapped->due_after_working_days(at(2025, 4, 26, 9, 0), 1)),
            "2025-04-28T17:00:00+07:00");
  // Tết 2025 by default: 28 January - 1 February, made up on 3 February.
  EXPECT_EQ(due_text(plain.due_after_working_days(at(2025, 1, 24, 9, 0), 2)),
            "2025-02-04T17:00:00+07:00");
}

TEST(DueTest, WorkingHours) {
  const WorkingCalendar cal = default_calendar();
  // 10:00-11:30 is 1.5 h, then 2.5 h from 13:00.
  EXPECT_EQ(due_text(cal.due_after_working_hours(at(2025, 7, 7, 10, 0), 4)),
            "2025-07-07T15:30:00+07:00");
  // Ending at a session's end gives that end, not the next start.
  EXPECT_EQ(due_text(cal.due_after_working_hours(at(2025, 7, 7, 10, 30), 1)),
            "2025-07-07T11:30:00+07:00");
  EXPECT_EQ(due_text(cal.due_after_working_hours(at(2025, 7, 7, 7, 30), 8)),
            "2025-07-07T17:00:00+07:00");
  EXPECT_EQ(due_text(cal.due_after_working_hours(at(2025, 7, 7, 12, 0), 1)),
            "2025-07-07T14:00:00+07:00");
  EXPECT_EQ(due_text(cal.due_after_working_hours(at(2025, 7, 7, 16, 0), 2)),
            "2025-07-08T08:30:00+07:00");
  EXPECT_EQ(due_text(cal.due_after_working_hours(at(2025, 7, 7, 18, 0), 1)),
            "2025-07-08T08:30:00+07:00");
  EXPECT_EQ(due_text(cal.due_after_working_hours(at(2025, 7, 5, 10, 0), 1)),
            "2025-07-07T08:30:00+07:00");
  EXPECT_EQ(due_text(cal.due_after_working_hours(at(2025, 7, 7, 12, 0), 0)),
            "2025-07-07T13:00:00+07:00");
}

TEST(DueTest, CalendarDays) {
  const WorkingCalendar cal = default_calendar();
  EXPECT_EQ(due_text(cal.due_after_calendar_days(at(2025, 7, 7, 10, 0), 4)),
            "2025-07-11T17:00:00+07:00");
  // Ends on a Saturday: moved to Monday.
  EXPECT_EQ(due_text(cal.due_after_calendar_days(at(2025, 7, 7, 10, 0), 5)),
            "2025-07-14T17:00:00+07:00");
  // Ends on 1 May: moved past the holiday to Friday 2 May.
  EXPECT_EQ(due_text(cal.due_after_calendar_days(at(2025, 4, 21, 10, 0), 10)),
            "2025-05-02T17:00:00+07:00");
  // No day at all would fall before the clock starts (the midnight after).
  auto none = cal.due_after_calendar_days(at(2025, 7, 7, 10, 0), 0);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().param, "n_days");
  // A due time past the calendar's end says so, not that the receipt is outside it.
  auto beyond = cal.due_after_calendar_days(at(2100, 6, 30, 10, 0), 3650);
  ASSERT_FALSE(beyond.ok());
  EXPECT_EQ(beyond.error().param, "n_days");
  EXPECT_NE(beyond.error().message_en.find("due time falls after"), std::string::npos)
      << beyond.error().message_en;
}

TEST(DueTest, WorkingTimeBetweenAndPauses) {
  const WorkingCalendar cal = default_calendar();
  EXPECT_EQ(*cal.working_time_between(at(2025, 7, 7, 7, 30), at(2025, 7, 8, 7, 30)), hours(8));
  EXPECT_EQ(*cal.working_time_between(at(2025, 7, 7, 10, 0), at(2025, 7, 7, 14, 0)),
            seconds(150 * 60));
  // A pause 10:30-13:30 covers 1 h in the morning and 0.5 h in the afternoon.
  const Interval pause{at(2025, 7, 7, 10, 30), at(2025, 7, 7, 13, 30)};
  EXPECT_EQ(*cal.working_time_between(at(2025, 7, 7, 10, 0), at(2025, 7, 7, 14, 0), {&pause, 1}),
            seconds(60 * 60));
  // Over a weekend: Friday 16:00 to Monday 8:00 is 1.5 h.
  EXPECT_EQ(*cal.working_time_between(at(2025, 7, 11, 16, 0), at(2025, 7, 14, 8, 0)),
            seconds(90 * 60));
  // A supplement request from Tuesday 10:00 to Thursday 14:00 stops the clock
  // for 5.5 + 8 + 5 = 18.5 working hours.
  const Interval supplement{at(2025, 7, 8, 10, 0), at(2025, 7, 10, 14, 0)};
  EXPECT_EQ(due_text(cal.due_after_working_days(at(2025, 7, 7, 9, 0), 3, {&supplement, 1})),
            "2025-07-15T10:00:00+07:00");
  // A pause that begins after the due time changes nothing.
  const Interval late{at(2025, 7, 11, 8, 0), at(2025, 7, 11, 9, 0)};
  EXPECT_EQ(due_text(cal.due_after_working_days(at(2025, 7, 7, 9, 0), 3, {&late, 1})),
            "2025-07-10T17:00:00+07:00");
}

TEST(DueTest, ClockStart) {
  const WorkingCalendar cal = default_calendar();
  // Working days: the end of the receipt day, which is the next working day
  // when received late or on a rest day.
  EXPECT_EQ(*cal.clock_start(at(2025, 7, 7, 10, 0), DeadlineUnit::kWorkingDays),
            at(2025, 7, 7, 17, 0));
  EXPECT_EQ(*cal.clock_start(at(2025, 7, 11, 17, 30), DeadlineUnit::kWorkingDays),
            at(2025, 7, 14, 17, 0));
  EXPECT_EQ(*cal.clock_start(at(2025, 7, 12, 10, 0), DeadlineUnit::kWorkingDays),
            at(2025, 7, 14, 17, 0));
  EXPECT_EQ(*cal.clock_start(at(2025, 7, 7, 10, 0), DeadlineUnit::kWorkingHours),
            at(2025, 7, 7, 10, 0));
  EXPECT_EQ(*cal.clock_start(at(2025, 7, 7, 12, 0), DeadlineUnit::kWorkingHours),
            at(2025, 7, 7, 13, 0));
  EXPECT_EQ(*cal.clock_start(at(2025, 7, 7, 17, 0), DeadlineUnit::kWorkingHours),
            at(2025, 7, 8, 7, 30));
}

TEST(DueTest, ErrorsNameTheProblem) {
  const WorkingCalendar cal = default_calendar();
  auto negative = cal.due_after_working_days(at(2025, 7, 7, 10, 0), -1);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().kind, ErrorKind::kBadRequest);
  EXPECT_EQ(negative.error().param, "n_days");
  auto early = cal.due_after_working_days(at(1999, 12, 31, 10, 0), 1);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().kind, ErrorKind::kUnprocessable);
  EXPECT_NE(early.error().message_vi.find("2000-2100"), std::string::npos);
  EXPECT_FALSE(cal.due_after_working_days(at(2100, 12, 30, 10, 0), 400).ok());
  const Interval inverted{at(2025, 7, 8, 10, 0), at(2025, 7, 8, 9, 0)};
  EXPECT_FALSE(cal.due_after_working_days(at(2025, 7, 7, 10, 0), 1, {&inverted, 1}).ok());
  EXPECT_FALSE(cal.working_time_between(at(2025, 7, 8, 0, 0), at(2025, 7, 7, 0, 0)).ok());
  CalendarConfig bad;
  bad.hours.morning_end = TimeOfDay::hm(14, 0);
  auto rejected = WorkingCalendar::create(bad);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.error().param, "hours");
}

// A plain day-by-day model of the definitions in working_calendar.hpp.
Instant model_due_days(const WorkingCalendar& cal, Instant t, int n) {
  const LocalDateTime l = to_local(t);
  const auto& h = cal.config().hours;
  CivilDate d = l.date;
  if (!(cal.is_working_day(d) && l.second_of_day < h.afternoon_end.seconds())) {
    do d = add_days(d, 1);
    while (!cal.is_working_day(d));
  }
  for (int i = 0; i < n; ++i) {
    do d = add_days(d, 1);
    while (!cal.is_working_day(d));
  }
  return to_instant(d, h.afternoon_end.seconds());
}

Instant model_due_hours(const WorkingCalendar& cal, Instant t, int n) {
  const auto& h = cal.config().hours;
  const std::int64_t sessions[2][2] = {{h.morning_start.seconds(), h.morning_end.seconds()},
                                       {h.afternoon_start.seconds(), h.afternoon_end.seconds()}};
  std::int64_t left = std::int64_t{n} * kHour;
  LocalDateTime l = to_local(t);
  for (CivilDate d = l.date;; d = add_days(d, 1)) {
    const std::int64_t from = d == l.date ? l.second_of_day : 0;
    if (!cal.is_working_day(d)) continue;
    for (const auto& s : sessions) {
      const std::int64_t begin = std::max(from, s[0]);
      if (begin >= s[1]) continue;
      if (s[1] - begin >= left) return to_instant(d, begin + left);
      left -= s[1] - begin;
    }
  }
}

bool inside_working_time(const WorkingCalendar& cal, Instant t) {
  const LocalDateTime l = to_local(t);
  const auto& h = cal.config().hours;
  const std::int64_t s = l.second_of_day;
  return cal.is_working_day(l.date) &&
         ((s > h.morning_start.seconds() && s <= h.morning_end.seconds()) ||
          (s > h.afternoon_start.seconds() && s <= h.afternoon_end.seconds()));
}

class DueInvariantTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cal = WorkingCalendar::create(CalendarConfig{}, {swap_2025()});
    ASSERT_TRUE(cal.ok());
    cal_.emplace(std::move(cal).value());
  }
  Instant random_instant() {
    std::uniform_int_distribution<std::int64_t> d(at(2020, 1, 1, 0, 0).epoch_seconds,
                                                  at(2030, 12, 31, 0, 0).epoch_seconds);
    return Instant{d(rng_)};
  }
  int random_int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::optional<WorkingCalendar> cal_;
  std::mt19937_64 rng_{20250701};
};

TEST_F(DueInvariantTest, DueTimesAgreeWithADayByDayModel) {
  for (int i = 0; i < 5000; ++i) {
    const Instant t = random_instant();
    const int n = random_int(0, 60);
    ASSERT_EQ(*cal_->due_after_working_days(t, n), model_due_days(*cal_, t, n)) << to_rfc3339(t);
    const int hrs = random_int(1, 200);
    ASSERT_EQ(*cal_->due_after_working_hours(t, hrs), model_due_hours(*cal_, t, hrs))
        << to_rfc3339(t) << " " << hrs;
  }
}

TEST_F(DueInvariantTest, DueTimesLieInWorkingTimeAndGrowWithN) {
  for (int i = 0; i < 3000; ++i) {
    const Instant t = random_instant();
    Instant prev_days{}, prev_hours{};
    for (int n = 0; n <= 25; ++n) {
      const Instant days = *cal_->due_after_working_days(t, n);
      ASSERT_TRUE(cal_->is_working_day(to_local(days).date)) << to_rfc3339(t) << " n=" << n;
      ASSERT_EQ(to_local(days).second_of_day, 17 * kHour);
      ASSERT_GT(days, t);
      const Instant hrs = *cal_->due_after_working_hours(t, n);
      if (n > 0) {
        ASSERT_TRUE(inside_working_time(*cal_, hrs)) << to_rfc3339(t) << " n=" << n;
        ASSERT_GT(hrs, t);
        ASSERT_GT(days, prev_days) << to_rfc3339(t) << " n=" << n;
        ASSERT_GT(hrs, prev_hours) << to_rfc3339(t) << " n=" << n;
      }
      prev_days = days;
      prev_hours = hrs;
    }
  }
}

TEST_F(DueInvariantTest, ClockAndWorkingTimeBetweenAgree) {
  for (int i = 0; i < 3000; ++i) {
    const Instant t = random_instant();
    const int n = random_int(0, 40);
    const Instant start_d = *cal_->clock_start(t, DeadlineUnit::kWorkingDays);
    EXPECT_EQ(*cal_->working_time_between(start_d, *cal_->due_after_working_days(t, n)),
              n * cal_->working_day_length());
    const Instant start_h = *cal_->clock_start(t, DeadlineUnit::kWorkingHours);
    EXPECT_GE(start_h, t);
    EXPECT_EQ(*cal_->working_time_between(start_h, *cal_->due_after_working_hours(t, n)), hours(n));
  }
}

TEST_F(DueInvariantTest, APauseAddsExactlyItsWorkingTime) {
  for (int i = 0; i < 3000; ++i) {
    const Instant t = random_instant();
    const int n = random_int(1, 30);
    const bool in_days = i % 2 == 0;
    const DeadlineUnit unit = in_days ? DeadlineUnit::kWorkingDays : DeadlineUnit::kWorkingHours;
    auto due = [&](std::span<const Interval> p) {
      return in_days ? *cal_->due_after_working_days(t, n, p)
                     : *cal_->due_after_working_hours(t, n, p);
    };
    const Instant start = *cal_->clock_start(t, unit);
    const Instant plain = due({});
    // A pause that begins between the receipt and the due time.
    const std::int64_t span = plain.epoch_seconds - t.epoch_seconds;
    const Instant from{t.epoch_seconds +
                       std::uniform_int_distribution<std::int64_t>(0, span - 1)(rng_)};
    const Instant to{from.epoch_seconds + random_int(1, 20 * 86400)};
    const Interval pause{from, to};
    const Instant paused = due({&pause, 1});
    const seconds paused_work =
        to > start ? *cal_->working_time_between(std::max(from, start), to) : seconds(0);
    ASSERT_EQ(*cal_->working_time_between(plain, paused), paused_work)
        << to_rfc3339(t) << " n=" << n << " pause " << to_rfc3339(from) << " " << to_rfc3339(to);
    ASSERT_EQ(*cal_->working_time_between(start, paused, {&pause, 1}),
              in_days ? n * cal_->working_day_length() : seconds(hours(n)));
    // The same pause twice, or split in two overlapping halves, counts once.
    const Instant mid{(from.epoch_seconds + to.epoch_seconds) / 2};
    const Interval halves[] = {{from, Instant{mid.epoch_seconds + 60}}, {mid, to}, pause};
    ASSERT_EQ(due(halves), paused);
    // A pause after the due time changes nothing.
    const Interval after{plain, Instant{plain.epoch_seconds + 86400}};
    ASSERT_EQ(due({&after, 1}), plain);
  }
}

}  // namespace
}  // namespace motcua::calendar
