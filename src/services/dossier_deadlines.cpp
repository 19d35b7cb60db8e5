// The deadline sweep of DossierService: the store names the candidates by
// their indexed due time (the legal one pushed back by answered pauses), the
// domain's time rules decide, and one transaction records the flags and their
// outbox warnings.
#include <boost/json/serialize.hpp>
#include <span>

#include "services/dossier_figures.hpp"
#include "services/dossier_json.hpp"
#include "services/dossier_service.hpp"

namespace motcua::services {
namespace {

std::vector<std::string> names_of(std::span<const dossier::State> states) {
  std::vector<std::string> names;
  for (const auto s : states) names.emplace_back(dossier::state_name(s));
  return names;
}

// Dossiers whose clock runs: their indexed due time is their deadline.
const std::vector<std::string>& processing_states() {
  static const std::vector<std::string> states = names_of(dossier::kProcessingStates);
  return states;
}

// Open dossiers whose clock is stopped, waiting for the applicant: never due
// soon, and overdue only if late before the pause (their deadline moves on
// with the pause).
const std::vector<std::string>& paused_states() {
  static const std::vector<std::string> states = names_of(dossier::kPausedStates);
  return states;
}

// Looks this far ahead for "due within one working day": more than the
// longest run of days off (Tết with its weekends).
constexpr std::int64_t kDueSoonLookahead = 12 * 86400;

}  // namespace

Result<DeadlineSweep> DossierService::sweep_deadlines(std::size_t per_pass) {
  const calendar::Instant now = clock_();
  struct Flag {
    std::string dossier_id;
    const char* flag;
    std::string payload;
  };
  std::vector<Flag> flags;
  const auto calendars = calendar_.snapshot();
  // Each pass reads only dossiers its flag can fit: a dossier past due can
  // never be due soon, and read among the due-soon candidates (soonest due
  // first) more of them than a pass reads kept every one due later from ever
  // being read. Paused dossiers have a pass of their own for the same reason.
  struct Pass {
    const char* flag;
    const std::vector<std::string>& states;
    std::optional<std::int64_t> due_from;
    std::int64_t due_before;
  };
  const Pass passes[] = {
      {"overdue", processing_states(), std::nullopt, now.epoch_seconds},
      {"overdue", paused_states(), std::nullopt, now.epoch_seconds},
      {"due_soon", processing_states(), now.epoch_seconds, now.epoch_seconds + kDueSoonLookahead}};
  for (const auto& pass : passes) {
    const char* flag = pass.flag;
    const bool overdue = std::string_view(flag) == "overdue";
    auto rows =
        store_.deadline_candidates(flag, pass.due_from, pass.due_before, pass.states, per_pass);
    if (!rows) return rows.error();
    for (const auto& rec : *rows) {
      auto d = dossier_from_json(rec.body);
      if (!d) return d.error();
      auto t = time_at(*d, *calendars, now);
      if (!t) continue;  // a unit with no calendar: nothing to count with
      const bool late = t->status == dossier::TimeStatus::kOverdue;
      if (overdue ? !late : (late || !t->due_soon)) continue;
      boost::json::object o{{"dossier_id", d->id},
                            {"code", d->code},
                            {"flag", flag},
                            {"competent_unit", d->competent_unit},
                            {"state", dossier::state_name(d->state)},
                            {"at", calendar::to_rfc3339(now)}};
      if (t->effective_due) o["due_at"] = calendar::to_rfc3339(*t->effective_due);
      flags.push_back({d->id, flag, boost::json::serialize(o)});
    }
  }
  DeadlineSweep out;
  if (flags.empty()) return out;
  auto written = wait_for<void>([&](Done<void> done) {
    write(
        [&](store::DossierTxn& txn) -> Result<void> {
          out = {};
          for (const auto& f : flags) {
            auto fresh = txn.flag_deadline(f.dossier_id, f.flag, now.epoch_seconds, f.payload);
            if (!fresh) return fresh.error();
            if (!*fresh) continue;
            ++(std::string_view(f.flag) == "overdue" ? out.overdue : out.due_soon);
          }
          return ok();
        },
        std::move(done));
  });
  if (!written) return written.error();
  return out;
}

}  // namespace motcua::services
