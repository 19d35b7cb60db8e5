#include "domain/dossier/time_status.hpp"

#include <algorithm>
#include <iterator>
#include <vector>

namespace motcua::dossier {
namespace {

// Twenty years of wall-clock time: no working-time budget reaches that far.
constexpr std::int64_t kSearchLimitSeconds = 20LL * 366 * calendar::kSecondsPerDay;

// The pauses after receipt, sorted and merged; an open one ends at `now`.
std::vector<calendar::Interval> pauses_of(const Dossier& d, Instant now) {
  std::vector<calendar::Interval> v;
  for (const SupplementRequest& s : d.supplements) {
    if (!s.after_receipt) continue;
    const Instant end = s.answered_at.value_or(std::max(now, s.requested_at));
    if (s.requested_at < end) v.push_back({s.requested_at, end});
  }
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.from < b.from; });
  std::vector<calendar::Interval> out;
  for (const auto& p : v) {
    if (!out.empty() && p.from <= out.back().to) {
      out.back().to = std::max(out.back().to, p.to);
    } else {
      out.push_back(p);
    }
  }
  return out;
}

// `base` pushed back by the working time of each pause's part after `since`
// that begins before it, counted from `clock_start`. A wait under way when an
// apology set `base` moves it by the waiting still to come: the promise was
// made with the wait so far counted in.
Result<Instant> extend(Instant base, const std::vector<calendar::Interval>& pauses, Instant since,
                       Instant clock_start, const WorkingClock& clock) {
  Instant due = base;
  for (const calendar::Interval& p : pauses) {
    if (p.to <= since) continue;
    const Instant from = std::max(p.from, since);
    if (from >= due) break;
    auto covered = clock.working_seconds(std::max(from, clock_start), p.to);
    if (!covered) return covered.error();
    auto moved = clock.add_working_seconds(due, *covered);
    if (!moved) return moved.error();
    due = *moved;
  }
  return due;
}

}  // namespace

Result<std::int64_t> CalendarClock::working_seconds(Instant from, Instant to) const {
  if (to <= from) return std::int64_t{0};
  auto r = calendar_.working_time_between(from, to);
  if (!r) return r.error();
  return static_cast<std::int64_t>(r->count());
}

Result<Instant> CalendarClock::add_working_seconds(Instant from, std::int64_t seconds) const {
  if (seconds <= 0) return from;
  // Grow an upper bound, then bisect: working time from `from` is monotonic.
  std::int64_t span = seconds;
  while (true) {
    auto w = working_seconds(from, Instant{from.epoch_seconds + span});
    if (!w) return w.error();
    if (*w >= seconds) break;
    if (span > kSearchLimitSeconds) {
      return make_error(ErrorKind::kInternal, "Không tìm được thời điểm kết thúc thời hạn.",
                        "No instant reaches the requested working time.");
    }
    span *= 2;
  }
  std::int64_t lo = 0;  // working time at from + lo is below `seconds`
  std::int64_t hi = span;
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    auto w = working_seconds(from, Instant{from.epoch_seconds + mid});
    if (!w) return w.error();
    (*w >= seconds ? hi : lo) = mid;
  }
  return Instant{from.epoch_seconds + hi};
}

std::int64_t CalendarClock::working_day_seconds() const {
  return calendar_.working_day_length().count();
}

const char* time_status_name(TimeStatus s) {
  switch (s) {
    case TimeStatus::kNotApplicable:
      return "not_applicable";
    case TimeStatus::kNotDue:
      return "not_due";
    case TimeStatus::kOnTime:
      return "on_time";
    case TimeStatus::kLate:
      return "late";
    case TimeStatus::kOverdue:
      return "overdue";
  }
  return "unknown";
}

Result<TimeReport> evaluate_time(const Dossier& d, Instant now, const WorkingClock& clock) {
  TimeReport report;
  if (!d.received_at || !d.due_at || d.state == State::kWithdrawn) return report;

  report.supplement_requests = d.supplement_requests_after_receipt();
  report.late_by_supplements = report.supplement_requests > 1;
  report.waiting_for_applicant =
      d.open_supplement() != nullptr && d.open_supplement()->after_receipt;

  const std::vector<calendar::Interval> pauses = pauses_of(d, d.finished_at.value_or(now));
  const Instant clock_start = d.clock_start.value_or(*d.received_at);
  auto due = extend(*d.due_at, pauses, *d.received_at, clock_start, clock);
  if (!due) return due.error();
  report.effective_due = *due;
  if (d.apologies.empty()) {
    report.effective_appointment = *due;
  } else {
    const Apology& last = d.apologies.back();
    auto appointment = extend(last.new_due, pauses, last.at, clock_start, clock);
    if (!appointment) return appointment.error();
    report.effective_appointment = *appointment;
  }

  if (d.finished_at) {
    report.status = (report.late_by_supplements || *d.finished_at > *due) ? TimeStatus::kLate
                                                                          : TimeStatus::kOnTime;
    return report;
  }
  if (now > *due) {
    report.status = TimeStatus::kOverdue;
    return report;
  }
  report.status = TimeStatus::kNotDue;
  if (!report.waiting_for_applicant) {
    auto left = clock.working_seconds(now, *due);
    if (!left) return left.error();
    report.due_soon = *left <= clock.working_day_seconds();
  }
  return report;
}

std::optional<std::int64_t> live_due(const Dossier& d, std::optional<std::int64_t> indexed_due) {
  if (!indexed_due) return std::nullopt;
  if (std::ranges::find(kProcessingStates, d.state) != std::end(kProcessingStates)) {
    return indexed_due;
  }
  if (std::ranges::find(kPausedStates, d.state) == std::end(kPausedStates)) return std::nullopt;
  // The open pause: the last request after receipt, not yet answered.
  for (auto s = d.supplements.rbegin(); s != d.supplements.rend(); ++s) {
    if (!s->after_receipt || s->answered_at) continue;
    if (s->requested_at.epoch_seconds >= *indexed_due) return indexed_due;
    break;
  }
  return std::nullopt;
}

}  // namespace motcua::dossier
