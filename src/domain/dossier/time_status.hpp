// Is a dossier on time? The rule the service index (Decision 766/QĐ-TTg)
// counts, and the warnings of the background sweeper.
//
// The legal due time (Dossier::due_at, set on receipt) is pushed back by the
// time spent waiting for the applicant: each supplement request made after
// receipt is a pause [requested_at, answered_at), still open at `now` while the
// dossier waits. As in the calendar (working_calendar.hpp), a pause that begins
// before the due time pushes it back by exactly the working time it covers
// after the clock started (Dossier::clock_start); one that begins at or after
// the due time changes nothing. That gives the effective due time.
//
//   not applicable  not received (draft, submitted, refused at the desk), or withdrawn
//   on time         finished (result issued, or refused after receipt) by the effective due time
//   late            finished after it; or asked for supplements more than once after
//                   receipt, whenever finished (the index counts those as late)
//   overdue         unfinished and past the effective due time
//   not due         unfinished, not past it
//
// An apology's new appointment does not change the status: a late dossier
// stays late in the index. It gives the effective appointment (the new date,
// pushed back by the waiting for the applicant after the apology, a wait
// under way then included), which is what the applicant was promised. The
// new date is set after the effective appointment before it (apply's
// ActionPayload::appointment_now), so the promise does not fall before the
// effective due time.
//
// Warnings: due_soon when unfinished, not waiting for the applicant, not due
// yet and at most one working day of working time is left; the sweeper flags
// due_soon and overdue dossiers.
//
// The working time comes from a WorkingClock, so these rules do not depend on
// how the calendar is built; CalendarClock adapts calendar::WorkingCalendar.
#pragma once

#include <cstdint>
#include <optional>

#include "common/result.hpp"
#include "domain/calendar/working_calendar.hpp"
#include "domain/dossier/dossier.hpp"

namespace motcua::dossier {

class WorkingClock {
 public:
  virtual ~WorkingClock() = default;
  // Working seconds in [from, to); 0 when to <= from.
  virtual Result<std::int64_t> working_seconds(Instant from, Instant to) const = 0;
  // The first instant at which `seconds` (>= 0) of working time have run from `from`.
  virtual Result<Instant> add_working_seconds(Instant from, std::int64_t seconds) const = 0;
  // The working time of one working day (8 hours by default).
  virtual std::int64_t working_day_seconds() const = 0;
};

class CalendarClock final : public WorkingClock {
 public:
  explicit CalendarClock(const calendar::WorkingCalendar& calendar) : calendar_(calendar) {}

  Result<std::int64_t> working_seconds(Instant from, Instant to) const override;
  Result<Instant> add_working_seconds(Instant from, std::int64_t seconds) const override;
  std::int64_t working_day_seconds() const override;

 private:
  const calendar::WorkingCalendar& calendar_;
};

enum class TimeStatus { kNotApplicable, kNotDue, kOnTime, kLate, kOverdue };

const char* time_status_name(TimeStatus s);  // not_applicable, not_due, on_time, late, overdue

struct TimeReport {
  TimeStatus status = TimeStatus::kNotApplicable;
  std::optional<Instant> effective_due;
  std::optional<Instant> effective_appointment;
  bool waiting_for_applicant = false;
  bool due_soon = false;
  int supplement_requests = 0;       // after receipt
  bool late_by_supplements = false;  // more than one: late whenever finished
};

Result<TimeReport> evaluate_time(const Dossier& dossier, Instant now, const WorkingClock& clock);

// The due time that counts for the dossier now, so that an index can find the
// overdue and the due soon by one range: `indexed_due` (the legal due time
// pushed back by the pauses already answered, epoch seconds) while the dossier
// is being processed; while it waits for the applicant, the same if the wait
// began at or after it (such a pause moves nothing: the dossier was overdue
// and stays so), none if it began before (the clock stopped in time); none
// when the dossier is not open.
std::optional<std::int64_t> live_due(const Dossier& dossier,
                                     std::optional<std::int64_t> indexed_due);

}  // namespace motcua::dossier
