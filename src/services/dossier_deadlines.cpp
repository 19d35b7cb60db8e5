// The deadline sweep of DossierService: the store names the candidates by
// their live due time (the due time that counts now: none for a dossier
// waiting since before its due, whose clock stopped in time), the domain's
// time rules decide, and a transaction a chunk of candidates records the
// flags and their outbox warnings.
#include <boost/json/serialize.hpp>

#include "services/dossier_figures.hpp"
#include "services/dossier_json.hpp"
#include "services/dossier_service.hpp"

namespace motcua::services {
namespace {

// Looks this far ahead for "due within one working day": more than the
// longest run of days off (Tết with its weekends).
constexpr std::int64_t kDueSoonLookahead = 12 * 86400;

}  // namespace

Result<DeadlineSweep> DossierService::sweep_deadlines(std::size_t per_pass, SweepScope scope) {
  std::lock_guard lock(sweep_mu_);
  const calendar::Instant now = clock_();
  const auto calendars = calendar_.snapshot();
  // Each pass reads only the dossiers its flag can fit: live due by now for
  // "overdue", from now on for "due soon" (a dossier past due can never be
  // due soon). Candidates the overdue pass leaves unflagged (a unit with no
  // calendar) come first again next time, so it goes on from where it
  // stopped; the due-soon pass always starts at now, where its flags are.
  struct Pass {
    const char* flag;
    store::SweepKey from;
    std::int64_t due_before;
    std::optional<store::SweepKey>* resume;  // kept between rounds, or null
  };
  const Pass passes[] = {
      {"overdue", {}, now.epoch_seconds, &sweep_resume_},
      {"due_soon", {now.epoch_seconds, "", ""}, now.epoch_seconds + kDueSoonLookahead, nullptr}};
  DeadlineSweep out;
  for (const auto& pass : passes) {
    std::optional<store::SweepKey> local;
    auto& resume = scope == SweepScope::kRound && pass.resume ? *pass.resume : local;
    do {
      auto rows = store_.deadline_candidates(pass.flag, resume ? *resume : pass.from,
                                             pass.due_before, per_pass);
      if (!rows) return rows.error();
      // A short chunk read the rest: the next begins at the start again.
      if (rows->empty() || rows->size() < per_pass) {
        resume.reset();
      } else {
        const auto& last = rows->back();
        resume = store::SweepKey{last.live_due.value_or(0), last.competent_unit, last.id};
      }
      if (auto r = flag_deadlines(pass.flag, *rows, *calendars, now, out); !r) return r.error();
    } while (scope == SweepScope::kWhole && resume);
  }
  return out;
}

// Records the flag on those of `rows` it fits, with their warnings, in one
// transaction, and counts the new ones in `out`.
Result<void> DossierService::flag_deadlines(const char* flag,
                                            const std::vector<store::DossierRecord>& rows,
                                            const CalendarService::Snapshot& calendars,
                                            calendar::Instant now, DeadlineSweep& out) {
  struct Flag {
    std::string dossier_id;
    std::string payload;
  };
  std::vector<Flag> flags;
  const bool overdue = std::string_view(flag) == "overdue";
  for (const auto& rec : rows) {
    auto d = dossier_from_row(rec);
    if (!d) return d.error();
    auto t = time_at(*d, calendars, now);
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
    flags.push_back({d->id, boost::json::serialize(o)});
  }
  if (flags.empty()) return ok();
  int fresh_flags = 0;
  auto written = wait_for<void>([&](Done<void> done) {
    write(
        [&](store::DossierTxn& txn) -> Result<void> {
          fresh_flags = 0;  // a batch rerun on the careful path counts again
          for (const auto& f : flags) {
            auto fresh = txn.flag_deadline(f.dossier_id, flag, now.epoch_seconds, f.payload);
            if (!fresh) return fresh.error();
            fresh_flags += *fresh ? 1 : 0;
          }
          return ok();
        },
        std::move(done));
  });
  if (!written) return written.error();
  (overdue ? out.overdue : out.due_soon) += fresh_flags;
  return ok();
}

}  // namespace motcua::services
