// On time, late, overdue and not due, as the service index counts them: time
// waiting for the applicant left out, more than one supplement request late,
// and the due-soon warning; checked against the real working calendar.
#include <gtest/gtest.h>

#include <random>

#include "domain/dossier/time_status.hpp"

namespace motcua::dossier {
namespace {

using calendar::CivilDate;
using calendar::make_instant;
using calendar::WorkingCalendar;

Instant at(int m, int d, int h, int mi) { return make_instant({2025, m, d}, h, mi); }

const WorkingCalendar& cal() {
  static const WorkingCalendar c = *WorkingCalendar::create();
  return c;
}

// Received Monday 7 July 2025 10:00 with 3 working days: due Thursday 10 July
// 17:00; the clock starts at the end of the receipt day.
Dossier received_dossier() {
  Dossier d;
  d.state = State::kInProgress;
  d.received_at = at(7, 7, 10, 0);
  d.clock_start = *cal().clock_start(*d.received_at, calendar::DeadlineUnit::kWorkingDays);
  d.due_at = *cal().due_after_working_days(*d.received_at, 3);
  EXPECT_EQ(calendar::to_rfc3339(*d.due_at), "2025-07-10T17:00:00+07:00");
  return d;
}

SupplementRequest pause(Instant from, std::optional<Instant> to) {
  return SupplementRequest{from, "u-spec", {"Bản sao giấy khai sinh"}, "", true, to};
}

TimeReport eval(const Dossier& d, Instant now) {
  const CalendarClock clock(cal());
  auto r = evaluate_time(d, now, clock);
  EXPECT_TRUE(r.ok()) << r.error().message_en;
  return r.ok() ? *r : TimeReport{};
}

std::string text(std::optional<Instant> t) { return t ? calendar::to_rfc3339(*t) : "none"; }

TEST(TimeStatusTest, FinishedByTheDueTimeIsOnTimeAfterItLate) {
  Dossier d = received_dossier();
  d.state = State::kResultIssued;
  d.finished_at = at(7, 10, 16, 0);
  EXPECT_EQ(eval(d, at(7, 20, 9, 0)).status, TimeStatus::kOnTime);
  d.finished_at = at(7, 10, 17, 0);
  EXPECT_EQ(eval(d, at(7, 20, 9, 0)).status, TimeStatus::kOnTime);
  d.finished_at = at(7, 10, 17, 1);
  EXPECT_EQ(eval(d, at(7, 20, 9, 0)).status, TimeStatus::kLate);
  d.finished_at = at(7, 11, 8, 0);
  EXPECT_EQ(eval(d, at(7, 20, 9, 0)).status, TimeStatus::kLate);
  // A refusal after receipt is judged the same way.
  d.state = State::kRefused;
  EXPECT_EQ(eval(d, at(7, 20, 9, 0)).status, TimeStatus::kLate);
}

TEST(TimeStatusTest, WaitingForTheApplicantIsLeftOut) {
  Dossier d = received_dossier();
  // Tuesday 09:00 to Wednesday 09:00: 6.5 + 1.5 = 8 working hours, one day.
  d.supplements.push_back(pause(at(7, 8, 9, 0), at(7, 9, 9, 0)));
  d.state = State::kResultIssued;
  d.finished_at = at(7, 11, 16, 0);  // Friday: late without the pause
  const TimeReport r = eval(d, at(7, 20, 9, 0));
  EXPECT_EQ(text(r.effective_due), "2025-07-11T17:00:00+07:00");
  EXPECT_EQ(r.status, TimeStatus::kOnTime);
  EXPECT_EQ(r.supplement_requests, 1);
  EXPECT_FALSE(r.late_by_supplements);
  // The same as the calendar's own due time with that pause.
  const calendar::Interval p{at(7, 8, 9, 0), at(7, 9, 9, 0)};
  EXPECT_EQ(r.effective_due, *cal().due_after_working_days(*d.received_at, 3, {&p, 1}));
}

TEST(TimeStatusTest, MoreThanOneSupplementRequestCountsAsLate) {
  Dossier d = received_dossier();
  d.supplements.push_back(pause(at(7, 8, 9, 0), at(7, 8, 10, 0)));
  d.supplements.push_back(pause(at(7, 8, 14, 0), at(7, 8, 15, 0)));
  d.state = State::kResultIssued;
  d.finished_at = at(7, 9, 9, 0);  // well before the due time
  const TimeReport r = eval(d, at(7, 20, 9, 0));
  EXPECT_EQ(r.supplement_requests, 2);
  EXPECT_TRUE(r.late_by_supplements);
  EXPECT_EQ(r.status, TimeStatus::kLate);
  // Unfinished, it is not overdue yet, but it will count as late.
  d.state = State::kInProgress;
  d.finished_at.reset();
  const TimeReport open = eval(d, at(7, 9, 9, 0));
  EXPECT_EQ(open.status, TimeStatus::kNotDue);
  EXPECT_TRUE(open.late_by_supplements);
}

TEST(TimeStatusTest, GuidanceAtTheDeskBeforeReceiptIsNotCounted) {
  Dossier d = received_dossier();
  SupplementRequest desk = pause(at(7, 3, 9, 0), at(7, 7, 9, 0));
  desk.after_receipt = false;
  d.supplements.push_back(desk);
  d.supplements.push_back(pause(at(7, 8, 9, 0), at(7, 8, 10, 0)));
  d.state = State::kResultIssued;
  d.finished_at = at(7, 10, 9, 0);
  const TimeReport r = eval(d, at(7, 20, 9, 0));
  EXPECT_EQ(r.supplement_requests, 1);
  EXPECT_EQ(r.status, TimeStatus::kOnTime);
}

TEST(TimeStatusTest, PausesCountOnlyAfterTheClockStarts) {
  Dossier d = received_dossier();
  // On the receipt day, before the clock starts at 17:00: nothing to add.
  d.supplements.push_back(pause(at(7, 7, 11, 0), at(7, 7, 15, 0)));
  const TimeReport r = eval(d, at(7, 8, 9, 0));
  EXPECT_EQ(text(r.effective_due), "2025-07-10T17:00:00+07:00");
  const calendar::Interval p{at(7, 7, 11, 0), at(7, 7, 15, 0)};
  EXPECT_EQ(r.effective_due, *cal().due_after_working_days(*d.received_at, 3, {&p, 1}));
}

TEST(TimeStatusTest, UnfinishedPastTheDueTimeIsOverdue) {
  Dossier d = received_dossier();
  EXPECT_EQ(eval(d, at(7, 10, 17, 0)).status, TimeStatus::kNotDue);
  EXPECT_EQ(eval(d, at(7, 10, 17, 1)).status, TimeStatus::kOverdue);
  EXPECT_EQ(eval(d, at(7, 14, 8, 0)).status, TimeStatus::kOverdue);
  // A pause that begins after the due time changes nothing.
  d.state = State::kWaitingSupplement;
  d.supplements.push_back(pause(at(7, 11, 9, 0), std::nullopt));
  const TimeReport r = eval(d, at(7, 14, 8, 0));
  EXPECT_EQ(r.status, TimeStatus::kOverdue);
  EXPECT_TRUE(r.waiting_for_applicant);
  EXPECT_EQ(text(r.effective_due), "2025-07-10T17:00:00+07:00");
}

TEST(TimeStatusTest, TheClockStaysStoppedWhileWaiting) {
  Dossier d = received_dossier();
  d.state = State::kWaitingSupplement;
  d.supplements.push_back(pause(at(7, 9, 10, 0), std::nullopt));  // Wednesday 10:00, still open
  // A week later it is still not overdue, and it is not flagged due soon.
  const TimeReport r = eval(d, at(7, 16, 10, 0));
  EXPECT_EQ(r.status, TimeStatus::kNotDue);
  EXPECT_TRUE(r.waiting_for_applicant);
  EXPECT_FALSE(r.due_soon);
  // Answered then: 13.5 working hours were left (Wednesday 10:00 to Thursday 17:00).
  d.state = State::kInProgress;
  d.supplements.back().answered_at = at(7, 16, 10, 0);
  const TimeReport after = eval(d, at(7, 16, 10, 0));
  EXPECT_EQ(text(after.effective_due), "2025-07-17T17:00:00+07:00");
  EXPECT_FALSE(after.due_soon);
  EXPECT_EQ(eval(d, at(7, 17, 17, 1)).status, TimeStatus::kOverdue);
}

TEST(TimeStatusTest, DueSoonWithinOneWorkingDay) {
  Dossier d = received_dossier();
  EXPECT_FALSE(eval(d, at(7, 9, 10, 0)).due_soon);  // 13.5 working hours left
  EXPECT_TRUE(eval(d, at(7, 9, 17, 0)).due_soon);   // exactly 8 left
  EXPECT_TRUE(eval(d, at(7, 10, 16, 0)).due_soon);
  EXPECT_FALSE(eval(d, at(7, 10, 17, 1)).due_soon);  // overdue instead
  // A Friday due time seen on the Thursday evening before a weekend.
  Dossier f = received_dossier();
  f.due_at = at(7, 11, 17, 0);
  EXPECT_TRUE(eval(f, at(7, 10, 18, 0)).due_soon);
  EXPECT_FALSE(eval(f, at(7, 10, 10, 0)).due_soon);
}

TEST(TimeStatusTest, AnApologyMovesTheAppointmentNotTheStatus) {
  Dossier d = received_dossier();
  d.apologies.push_back(Apology{at(7, 10, 15, 0), "u-leader", "Chờ xác minh", *d.due_at,
                                at(7, 15, 17, 0), "file:xin-loi-1"});
  const TimeReport r = eval(d, at(7, 14, 9, 0));
  EXPECT_EQ(r.status, TimeStatus::kOverdue);
  EXPECT_EQ(text(r.effective_appointment), "2025-07-15T17:00:00+07:00");
  // A pause after the apology moves the new appointment too (8 working hours).
  d.supplements.push_back(pause(at(7, 11, 9, 0), at(7, 14, 9, 0)));
  const TimeReport p = eval(d, at(7, 14, 9, 0));
  EXPECT_EQ(text(p.effective_appointment), "2025-07-16T17:00:00+07:00");
  EXPECT_EQ(p.status, TimeStatus::kOverdue);  // began after the legal due time
}

TEST(TimeStatusTest, AWaitUnderWayAtTheApologyMovesTheNewAppointmentByWhatFollows) {
  // Waiting since Tuesday 09:00; the apology on Wednesday 09:00 (8 working
  // hours waited) promises Monday 14 July 17:00. The wait ends Thursday 09:00:
  // 8 more working hours, after the promise was made.
  Dossier d = received_dossier();
  d.supplements.push_back(pause(at(7, 8, 9, 0), at(7, 10, 9, 0)));
  d.apologies.push_back(Apology{at(7, 9, 9, 0), "u-leader", "Chờ xác minh", at(7, 11, 17, 0),
                                at(7, 14, 17, 0), "file:xin-loi-1"});
  const TimeReport r = eval(d, at(7, 10, 10, 0));
  EXPECT_EQ(text(r.effective_due), "2025-07-14T17:00:00+07:00");
  EXPECT_EQ(text(r.effective_appointment), "2025-07-15T17:00:00+07:00");
}

TEST(TimeStatusTest, NotApplicableBeforeReceiptOrWhenWithdrawn) {
  Dossier draft;
  EXPECT_EQ(eval(draft, at(7, 9, 9, 0)).status, TimeStatus::kNotApplicable);
  Dossier refused_at_desk;
  refused_at_desk.state = State::kRefused;
  EXPECT_EQ(eval(refused_at_desk, at(7, 9, 9, 0)).status, TimeStatus::kNotApplicable);
  Dossier w = received_dossier();
  w.state = State::kWithdrawn;
  EXPECT_EQ(eval(w, at(7, 20, 9, 0)).status, TimeStatus::kNotApplicable);
  EXPECT_STREQ(time_status_name(TimeStatus::kOverdue), "overdue");
  EXPECT_STREQ(time_status_name(TimeStatus::kNotDue), "not_due");
}

// A dossier in progress, received at a random time of 2025 with a deadline
// of a random 1..max_days working days (`days`).
Dossier random_received(std::mt19937& rng, int max_days, int& days) {
  Dossier d;
  d.state = State::kInProgress;
  d.received_at =
      Instant{at(1, 2, 0, 0).epoch_seconds + static_cast<std::int64_t>(rng() % (300 * 86400))};
  days = 1 + static_cast<int>(rng() % max_days);
  d.clock_start = *cal().clock_start(*d.received_at, calendar::DeadlineUnit::kWorkingDays);
  d.due_at = *cal().due_after_working_days(*d.received_at, days);
  return d;
}

// The effective due time equals the calendar's due time with the same pauses,
// for random receipts, deadlines and non-overlapping pauses.
TEST(TimeStatusTest, AgreesWithTheCalendarOnRandomPauses) {
  std::mt19937 rng(20250701);
  const CalendarClock clock(cal());
  for (int round = 0; round < 300; ++round) {
    int n = 0;
    Dossier d = random_received(rng, 15, n);
    std::vector<calendar::Interval> pauses;
    Instant t = *d.received_at;
    const int k = static_cast<int>(rng() % 4);
    for (int i = 0; i < k; ++i) {
      const Instant from{t.epoch_seconds + static_cast<std::int64_t>(rng() % (4 * 86400))};
      const Instant to{from.epoch_seconds + 60 + static_cast<std::int64_t>(rng() % (5 * 86400))};
      pauses.push_back({from, to});
      d.supplements.push_back(pause(from, to));
      t = to;
    }
    auto r = evaluate_time(d, Instant{t.epoch_seconds + 1}, clock);
    ASSERT_TRUE(r.ok()) << r.error().message_en;
    auto expected = cal().due_after_working_days(*d.received_at, n, pauses);
    ASSERT_TRUE(expected.ok());
    ASSERT_EQ(text(r->effective_due), text(*expected))
        << "round " << round << " received " << text(d.received_at) << " n " << n;
  }
}

// The live due time finds exactly the overdue: for random answered pauses and
// a last, open one that begins before or after the due time, "live due before
// now" is "overdue" as evaluate_time tells it, while waiting and after.
TEST(TimeStatusTest, LiveDueIsBeforeNowExactlyWhenOverdue) {
  std::mt19937 rng(20251205);
  const CalendarClock clock(cal());
  int overdue_waiting = 0, waiting_in_time = 0;
  for (int round = 0; round < 400; ++round) {
    int n = 0;
    Dossier d = random_received(rng, 10, n);
    Instant t = *d.received_at;
    for (int i = static_cast<int>(rng() % 3); i > 0; --i) {
      const Instant from{t.epoch_seconds + static_cast<std::int64_t>(rng() % (4 * 86400))};
      t = Instant{from.epoch_seconds + 60 + static_cast<std::int64_t>(rng() % (5 * 86400))};
      d.supplements.push_back(pause(from, t));
    }
    // What the store indexes: the effective due once the last pause is answered.
    const std::int64_t indexed = eval(d, t).effective_due->epoch_seconds;
    const Instant later{t.epoch_seconds + static_cast<std::int64_t>(rng() % (20 * 86400))};
    ASSERT_EQ(live_due(d, indexed), std::optional<std::int64_t>(indexed));
    EXPECT_EQ(*live_due(d, indexed) < later.epoch_seconds,
              eval(d, later).status == TimeStatus::kOverdue)
        << "round " << round;
    // Now asked for a paper at `asked`, and waiting still at `now`.
    const Instant asked{t.epoch_seconds + static_cast<std::int64_t>(rng() % (20 * 86400))};
    d.state = State::kWaitingSupplement;
    d.supplements.push_back(pause(asked, std::nullopt));
    const Instant now{asked.epoch_seconds + 1 + static_cast<std::int64_t>(rng() % (20 * 86400))};
    const auto live = live_due(d, indexed);
    const bool overdue = eval(d, now).status == TimeStatus::kOverdue;
    EXPECT_EQ(live && *live < now.epoch_seconds, overdue) << "round " << round;
    EXPECT_EQ(live.has_value(), asked.epoch_seconds >= indexed) << "round " << round;
    (overdue ? overdue_waiting : waiting_in_time) += 1;
  }
  // Both kinds of wait were drawn.
  EXPECT_GT(overdue_waiting, 50);
  EXPECT_GT(waiting_in_time, 50);
}

TEST(TimeStatusTest, LiveDueIsNoneUnlessOpen) {
  Dossier d = received_dossier();
  const std::int64_t due = d.due_at->epoch_seconds;
  EXPECT_EQ(live_due(d, std::nullopt), std::nullopt);
  for (State s : {State::kReceived, State::kInProgress, State::kProposed, State::kApproved}) {
    d.state = s;
    EXPECT_EQ(live_due(d, due), due);
  }
  for (State s : {State::kDraft, State::kSubmitted, State::kResultIssued, State::kReturned,
                  State::kRefused, State::kWithdrawn}) {
    d.state = s;
    EXPECT_EQ(live_due(d, due), std::nullopt) << state_name(s);
  }
  // Waiting, asked at the desk before receipt only: no clock, nothing counts.
  d.state = State::kWaitingSupplement;
  d.supplements.push_back(SupplementRequest{at(7, 11, 9, 0), "u", {"x"}, "", false, std::nullopt});
  EXPECT_EQ(live_due(d, due), std::nullopt);
  // Asked exactly at the due time: that pause moves nothing.
  d.supplements.push_back(pause(*d.due_at, std::nullopt));
  EXPECT_EQ(live_due(d, due), due);
}

TEST(CalendarClockTest, AddsWorkingSeconds) {
  const CalendarClock clock(cal());
  // Friday 16:00 + 2 working hours: Monday 08:30 (the weekend skipped).
  EXPECT_EQ(text(*clock.add_working_seconds(at(7, 11, 16, 0), 2 * 3600)),
            "2025-07-14T08:30:00+07:00");
  // Ending exactly at a session's end stays there.
  EXPECT_EQ(text(*clock.add_working_seconds(at(7, 11, 11, 0), 30 * 60)),
            "2025-07-11T11:30:00+07:00");
  EXPECT_EQ(text(*clock.add_working_seconds(at(7, 11, 20, 0), 0)), "2025-07-11T20:00:00+07:00");
  EXPECT_EQ(*clock.working_seconds(at(7, 11, 16, 0), at(7, 14, 8, 30)), 2 * 3600);
  EXPECT_EQ(*clock.working_seconds(at(7, 14, 8, 30), at(7, 11, 16, 0)), 0);
  EXPECT_EQ(clock.working_day_seconds(), 8 * 3600);
}

}  // namespace
}  // namespace motcua::dossier
