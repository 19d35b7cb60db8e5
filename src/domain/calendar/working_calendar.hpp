// Working days, working hours and the due times of dossiers.
//
// Definitions (one model for every function here):
//
// Working time. A working day is a day that is not a weekly rest day, not a
// holiday, compensatory day or day off of the year's table, or that the table
// makes a working day. Its working time is two sessions, by default
// 07:30-11:30 and 13:00-17:00 (8 hours). Every duration below is working time:
// seconds inside sessions of working days.
//
// Receipt day. A dossier received on a working day before the receipt cut-off
// counts as received that day. Received later, or on a non-working day, it
// counts as received on the next working day. The default cut-off is the end of
// the working day (17:00): no law sets an earlier one (a 15:00 or 16:00 cut-off
// is a local rule; set CalendarConfig::receipt_cutoff).
//
// N working days (the common practice of one-stop desks): the receipt day does
// not count; day 1 is the first working day after it, and the dossier is due at
// the end of the working day (17:00) of day N. N = 0 means the end of the
// receipt day. Example, 3 working days in a week without holidays: received
// Monday 10:00, due Thursday 17:00; received Monday 17:30 or Sunday (counted as
// received Tuesday and Monday), due Friday and Thursday 17:00.
//
// N working hours: the clock runs from the receipt instant (from the next
// working moment when received outside the sessions, from the next working
// day's first session when after the cut-off). The due time is the first
// instant at which N hours of working time have run; it may be a session's end
// (11:30 or 17:00), never the start of the next session.
//
// Pauses. A pause [from, to) stops the clock (waiting for the applicant's
// supplement). A pause that begins before the due time pushes the due time back
// by exactly the working time it covers after the clock started; a pause that
// begins at or after the due time changes nothing. Pauses may overlap.
//
// The clock start. clock_start() is where the budget starts to run: for working
// days, the end of the receipt day (17:00; nothing counts until day 1 begins);
// for working hours, the receipt instant or the next working moment. Then, for
// every N and pause list,
//   working_time_between(clock_start(t, u), due(t, N), pauses) == N units
// with a unit of one working day (8 hours by default) or one hour.
//
// N calendar days (Civil Code 2015, art. 147-148): the period starts the day
// after the receipt day (as above: after the cut-off or on a rest day, the next
// working day) and ends at the end of working hours of the N-th day; when that
// day is not a working day, at the end of the next working day.
//
// Performance: the calendar precomputes, for each day of its range of years,
// whether it is a working day and how many working days precede it, and the list
// of working days: a due time is a few array look-ups, not a loop over days.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "common/result.hpp"
#include "domain/calendar/civil_date.hpp"
#include "domain/calendar/holidays.hpp"

namespace motcua::calendar {

struct WorkingHours {
  TimeOfDay morning_start = TimeOfDay::hm(7, 30);
  TimeOfDay morning_end = TimeOfDay::hm(11, 30);
  TimeOfDay afternoon_start = TimeOfDay::hm(13, 0);
  TimeOfDay afternoon_end = TimeOfDay::hm(17, 0);

  friend bool operator==(const WorkingHours&, const WorkingHours&) = default;
};

struct CalendarConfig {
  WorkingHours hours;
  // A receipt at or after this time counts from the next working day. Unset:
  // the end of the working day.
  std::optional<TimeOfDay> receipt_cutoff;
  HolidayRules rules;
  // Range of years precomputed; due times must fall inside it.
  int first_year = 2000;
  int last_year = 2100;
};

// A pause [from, to): the clock does not run.
struct Interval {
  Instant from;
  Instant to;
};

enum class DeadlineUnit { kWorkingDays, kWorkingHours };

class WorkingCalendar {
 public:
  // Checks the configuration and the override table (at most one entry per
  // year; entries for years outside the range are checked, then unused) and
  // precomputes the range. A few milliseconds for the default 2000-2100: build
  // it once and share it; rebuild when an administrator edits the table.
  static Result<WorkingCalendar> create(CalendarConfig config = {},
                                        std::vector<YearOverrides> overrides = {});

  const CalendarConfig& config() const { return config_; }
  std::chrono::seconds working_day_length() const { return std::chrono::seconds(day_length_); }

  // Outside the precomputed range, only the weekly rest days are known.
  bool is_working_day(CivilDate date) const;

  // Holidays, compensatory days and override entries of a year (empty outside
  // the range), sorted by date.
  std::vector<Holiday> holidays(int year) const;

  // The first working day strictly after `date`.
  Result<CivilDate> next_working_day(CivilDate date) const;

  Result<Instant> due_after_working_days(Instant received, int n_days,
                                         std::span<const Interval> pauses = {}) const;
  Result<Instant> due_after_working_hours(Instant received, int n_hours,
                                          std::span<const Interval> pauses = {}) const;
  Result<Instant> due_after_calendar_days(Instant received, int n_days) const;
  // The day a dossier received at `received` counts as received (see Receipt day).
  Result<CivilDate> receipt_day(Instant received) const;

  Result<Instant> clock_start(Instant received, DeadlineUnit unit) const;

  // Working time in [from, to) outside the pauses.
  Result<std::chrono::seconds> working_time_between(Instant from, Instant to,
                                                    std::span<const Interval> pauses = {}) const;

 private:
  WorkingCalendar() = default;

  bool in_range(std::int64_t day_number) const {
    return day_number >= first_day_ && day_number < first_day_ + day_count_;
  }
  // Working seconds from the start of the range to `t`, clamped to the range.
  std::int64_t cumulative(Instant t) const;
  // Working seconds in one working day before `second_of_day`.
  std::int64_t within_day(std::int64_t second_of_day) const;
  // The first instant at which `cumulative` reaches `value`.
  Result<Instant> instant_at(std::int64_t value) const;
  // The index (from first_day_) of receipt_day(received).
  Result<std::int64_t> receipt_day_index(Instant received) const;
  // Where the budget starts, in cumulative seconds; an error out of range.
  Result<std::int64_t> start_value(Instant received, DeadlineUnit unit) const;
  Result<Instant> due_after(Instant received, DeadlineUnit unit, std::int64_t budget,
                            std::span<const Interval> pauses) const;
  Error out_of_range(Instant t) const;

  CalendarConfig config_;
  std::int64_t first_day_ = 0;  // day number of 1 January of first_year
  std::int64_t day_count_ = 0;
  std::int64_t morning_length_ = 0;  // seconds
  std::int64_t day_length_ = 0;
  std::int64_t cutoff_second_ = 0;
  std::vector<std::uint8_t> working_;            // per day of the range: 1 if working
  std::vector<std::int32_t> working_before_;     // working days before each day; size+1
  std::vector<std::int32_t> working_day_index_;  // day of the range of the k-th working day
  std::vector<std::vector<Holiday>> holidays_;   // per year of the range
};

}  // namespace motcua::calendar
