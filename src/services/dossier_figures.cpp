#include "services/dossier_figures.hpp"

#include "domain/dossier/time_status.hpp"
#include "domain/stats/contribution.hpp"

namespace motcua::services {

Result<std::vector<stats::Row>> figures_of(const dossier::Dossier& d,
                                           const CalendarService::Snapshot& calendars,
                                           const ProvinceOf& province_of) {
  if (!d.received_at && !d.rating) return std::vector<stats::Row>();
  const std::string province = counted_province(province_of, d.competent_unit);
  const std::string desk_province =
      d.desk_unit() == d.competent_unit ? province : counted_province(province_of, d.desk_unit());
  if (!d.finished_at) return stats::contribution(d, province, nullptr, desk_province);
  auto cal = calendars.calendar_for(d.competent_unit, *d.received_at);
  if (!cal) return cal.error();
  dossier::CalendarClock clock(**cal);
  return stats::contribution(d, province, &clock, desk_province);
}

Result<std::vector<stats::Row>> figures_change(const dossier::Dossier& before,
                                               const dossier::Dossier& after,
                                               const CalendarService::Snapshot& calendars,
                                               const ProvinceOf& province_of) {
  auto a = figures_of(before, calendars, province_of);
  if (!a) return a.error();
  auto b = figures_of(after, calendars, province_of);
  if (!b) return b.error();
  return stats::delta(*a, *b);
}

std::optional<dossier::TimeReport> time_at(const dossier::Dossier& d,
                                           const CalendarService::Snapshot& calendars,
                                           calendar::Instant now) {
  auto cal = calendars.calendar_for(d.competent_unit, now);
  if (!cal) return std::nullopt;
  dossier::CalendarClock clock(**cal);
  auto t = dossier::evaluate_time(d, now, clock);
  if (!t) return std::nullopt;
  return std::move(*t);
}

std::optional<std::int64_t> indexed_due(const dossier::Dossier& d,
                                        const CalendarService::Snapshot& calendars) {
  if (!d.due_at) return std::nullopt;
  bool answered = false;
  for (const auto& s : d.supplements) answered = answered || (s.after_receipt && s.answered_at);
  if (!answered || !d.received_at) return d.due_at->epoch_seconds;
  auto cal = calendars.calendar_for(d.competent_unit, *d.received_at);
  if (!cal) return d.due_at->epoch_seconds;
  dossier::CalendarClock clock(**cal);
  // Evaluated at the last answer: later time adds no pause once answered.
  calendar::Instant at = *d.received_at;
  for (const auto& s : d.supplements) {
    if (s.answered_at && at < *s.answered_at) at = *s.answered_at;
  }
  auto t = dossier::evaluate_time(d, at, clock);
  if (!t || !t->effective_due) return d.due_at->epoch_seconds;
  return t->effective_due->epoch_seconds;
}

void index_due_times(store::DossierRecord& rec, const dossier::Dossier& d,
                     const CalendarService::Snapshot& calendars) {
  rec.due_at = indexed_due(d, calendars);
  rec.live_due = dossier::live_due(d, rec.due_at);
}

}  // namespace motcua::services
