// The deadline sweep of DossierService: the store names the candidates by
// their legal due time (pauses only move a deadline later, so it is a
// superset), the domain's time rules decide, and one transaction records the
// flags and their outbox warnings.
#include <boost/json/serialize.hpp>

#include "services/dossier_figures.hpp"
#include "services/dossier_json.hpp"
#include "services/dossier_service.hpp"

namespace motcua::services {
namespace {

// Dossiers whose clock runs or is paused after receipt, and not yet finished.
const std::vector<std::string>& open_states() {
  static const std::vector<std::string> states = [] {
    std::vector<std::string> names;
    for (const auto s : dossier::kOpenStates) names.emplace_back(dossier::state_name(s));
    return names;
  }();
  return states;
}

// Looks this far ahead for "due within one working day": more than the
// longest run of days off (Tết with its weekends).
constexpr std::int64_t kDueSoonLookahead = 12 * 86400;
constexpr std::size_t kSweepLimit = 5000;

}  // namespace

Result<DeadlineSweep> DossierService::sweep_deadlines() {
  const calendar::Instant now = clock_();
  struct Flag {
    std::string dossier_id;
    const char* flag;
    std::string payload;
  };
  std::vector<Flag> flags;
  const auto calendars = calendar_.snapshot();
  for (const char* flag : {"overdue", "due_soon"}) {
    const bool overdue = std::string_view(flag) == "overdue";
    const std::int64_t horizon = now.epoch_seconds + (overdue ? 0 : kDueSoonLookahead);
    auto rows = store_.deadline_candidates(flag, horizon, open_states(), kSweepLimit);
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
