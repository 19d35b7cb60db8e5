// An action is prepared (its counters computed) before its batch is written.
// If a unit's working hours change, and the counters are recounted for the
// change, while the action waits for its batch, the action must still count
// with the new hours: the recount cleared the change's mark, so nothing would
// mend figures written with the old ones. An action made again for it must
// still be answered as it would have been (a payment platform's notice has no
// account to check). On both databases, through the real services over a
// simulated province, with the batches held back on purpose.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <string>

#include "domain/access/principal.hpp"
#include "domain/dossier/dossier.hpp"
#include "domain/dossier/state_machine.hpp"
#include "services/calendar_service.hpp"
#include "services/dossier_service.hpp"
#include "services/simulator.hpp"
#include "services/stats_service.hpp"
#include "services_over_store.hpp"
#include "store/group_commit.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace motcua {
namespace {

using store::test_support::describe;
using store::test_support::TestDatabase;

// A store's batches, held back from hold() until release(): what an action
// waits behind when the writer is busy.
class HeldWriter final : public store::BatchWriter {
 public:
  explicit HeldWriter(store::DossiersStore& store) : store_(store) {}
  void hold() {
    std::lock_guard lock(mutex_);
    open_ = false;
  }
  std::vector<Result<void>> write_batch(const std::vector<store::DossierWrite>& fns) override {
    std::unique_lock lock(mutex_);
    released_.wait(lock, [&] { return open_; });
    lock.unlock();
    return store_.write_batch(fns);
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      open_ = true;
    }
    released_.notify_all();
  }

 private:
  store::DossiersStore& store_;
  std::mutex mutex_;
  std::condition_variable released_;
  bool open_ = true;
};

// Lets the held batches go when a test ends early: the committer commits
// what is queued before it stops.
struct ReleaseAtEnd {
  HeldWriter& held;
  ~ReleaseAtEnd() { held.release(); }
};

template <class T>
Result<T> answer_of(std::promise<Result<T>>& promise) {
  auto future = promise.get_future();
  if (future.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    return make_error(ErrorKind::kInternal, "không trả lời", "no answer within 60 s");
  }
  return future.get();
}

class CalendarChangeRace : public ::testing::TestWithParam<std::string> {};

TEST_P(CalendarChangeRace, AnActionWrittenAfterAChangeAndItsRecountCountsWithTheNewHours) {
  TestDatabase db;
  if (!db.make(GetParam(), "calrace")) GTEST_SKIP() << store::test_support::kNoPostgres;
  store::test_support::ServicesOverStore over;
  ASSERT_TRUE(over.open(db.url()));
  store::Store& store = *over.store;
  services::UnitService& units = *over.units;
  services::CalendarService& calendars = *over.calendar;
  services::CatalogService& catalog = *over.catalog;

  // A province's history up to a Wednesday afternoon, which is "now" for the action.
  const auto now = calendar::parse_rfc3339("2026-03-18T15:00:00+07:00");
  ASSERT_TRUE(now);
  services::SimulationOptions sim;
  sim.province = "15";
  sim.days = 20;
  sim.per_day = 1;
  sim.seed = 3;
  sim.end = *now;
  auto simulated =
      services::simulate(store.dossiers(), units, catalog, calendars, units.province_of(), sim);
  ASSERT_TRUE(simulated) << describe(simulated);

  // An open dossier received days before: its working time to now differs
  // with the hours.
  store::DossierRecord open;
  auto scanned = store.dossiers().scan([&](const store::DossierRecord& r) -> Result<void> {
    if (open.id.empty() && !r.code.empty() &&
        (r.state == "received" || r.state == "in_progress" || r.state == "proposed") &&
        r.updated_at < now->epoch_seconds - 3 * 86400) {
      open = r;
    }
    return ok();
  });
  ASSERT_TRUE(scanned) << describe(scanned);
  ASSERT_FALSE(open.id.empty()) << "no dossier open for three days in the history";

  services::StatsService stats(store.stats(), store.dossiers(), units, calendars, catalog,
                               units.province_of());
  auto before = stats.verify();
  ASSERT_TRUE(before) << describe(before);
  ASSERT_TRUE(before->same()) << before->counters.size() << " counters differ after simulate";

  // Declared before the committer: its answers may come as it stops.
  std::promise<Result<services::DossierView>> refused_answer;
  std::promise<Result<services::PaymentRecorded>> paid_answer;
  services::DossierService dossiers(store.dossiers(), catalog, calendars, units,
                                    units.province_of(), [t = *now] { return t; });
  HeldWriter held(store.dossiers());
  store::GroupCommitter committer(held);
  ReleaseAtEnd release_at_end{held};
  dossiers.set_committer(&committer);

  // A citizen's online submission with a fee, to the same commune: the
  // platform's notice of its payment is held back too.
  const catalog::ProcedureVersion* with_fee = nullptr;
  for (const auto& pv : catalog.snapshot()->index.all()) {
    if (pv.procedure.competent_level != "commune") continue;
    for (const auto& c : pv.procedure.channels) {
      if (!with_fee && c.channel == "online" && c.fee_vnd && *c.fee_vnd > 0 && c.time_amount)
        with_fee = &pv;
    }
  }
  ASSERT_NE(with_fee, nullptr) << "no commune procedure with a fee online";
  access::Principal citizen;
  citizen.user_id = 2;
  citizen.username = "citizen";
  citizen.roles = access::role_bit(access::Role::kCitizen);
  citizen.citizen_id = "001090000001";
  services::SubmitRequest submission;
  submission.procedure_code = with_fee->procedure.code;
  submission.competent_unit = open.competent_unit;
  submission.channel = dossier::Channel::kOnline;
  submission.applicant.name = "Nguyễn Văn Dân";
  submission.applicant.id_number = "001090000001";
  submission.applicant.phone = "0912345678";
  submission.applicant.address = "Xã thử";
  auto submitted = dossiers.submit(citizen, submission);
  ASSERT_TRUE(submitted) << describe(submitted);
  const auto& filed = submitted->view.dossier;
  ASSERT_GT(filed.unpaid_vnd(), 0);

  access::Principal leader;
  leader.user_id = 1;
  leader.username = "leader";
  leader.roles = access::role_bit(access::Role::kLeader);
  leader.unit_code = open.competent_unit;
  leader.province_code = units.province_of()(open.competent_unit).value_or("");

  // The refusal finishes the dossier: prepared now, with the default hours,
  // then held back; the notice of payment likewise.
  held.hold();
  dossiers.act(leader, open.id, dossier::Action::kRefuse, R"({"note":"Không đủ điều kiện"})",
               open.version,
               [&](Result<services::DossierView> r) { refused_answer.set_value(std::move(r)); });
  dossiers.record_online_payment(
      filed.id, filed.unpaid_vnd(), "GD-RACE-1",
      [&](Result<services::PaymentRecorded> r) { paid_answer.set_value(std::move(r)); });

  // Meanwhile the unit's hours change, and the counters are recounted for it.
  services::UnitCalendarSettings shorter;
  shorter.hours.morning_start = calendar::TimeOfDay::hm(9, 0);
  shorter.hours.morning_end = calendar::TimeOfDay::hm(10, 0);
  shorter.hours.afternoon_start = calendar::TimeOfDay::hm(14, 0);
  shorter.hours.afternoon_end = calendar::TimeOfDay::hm(15, 0);
  auto changed = calendars.set_unit_settings(open.competent_unit, shorter, "admin");
  ASSERT_TRUE(changed) << describe(changed);
  auto recounted = stats.rebuild_if_due();
  ASSERT_TRUE(recounted) << describe(recounted);
  ASSERT_EQ(recounted->size(), 1u);

  held.release();
  auto refused = answer_of(refused_answer);
  ASSERT_TRUE(refused) << describe(refused);
  EXPECT_EQ(dossier::state_name(refused->dossier.state), std::string("refused"));
  auto paid = answer_of(paid_answer);
  ASSERT_TRUE(paid) << describe(paid);
  EXPECT_EQ(paid->code, filed.code);
  auto stored = store.dossiers().get(filed.id);
  ASSERT_TRUE(stored && *stored) << describe(stored);
  EXPECT_EQ((*stored)->version, submitted->view.version + 1);

  auto after = stats.verify();
  ASSERT_TRUE(after) << describe(after);
  EXPECT_TRUE(after->rebuild_due.empty());
  EXPECT_TRUE(after->counters.empty())
      << after->counters.size() << " counters differ from the dossiers, e.g. "
      << after->counters.front().key.unit;
}

INSTANTIATE_TEST_SUITE_P(Backends, CalendarChangeRace, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace motcua
