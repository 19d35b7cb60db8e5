// An action is prepared (its counters computed) before its batch is written.
// If a unit's working hours change, and the counters are recounted for the
// change, while the action waits for its batch, the action must still count
// with the new hours: the recount cleared the change's mark, so nothing would
// mend figures written with the old ones. On both databases, through the real
// services over a simulated province, with the batch held back on purpose.
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <string>

#include "domain/access/principal.hpp"
#include "domain/dossier/dossier.hpp"
#include "domain/dossier/state_machine.hpp"
#include "services/calendar_service.hpp"
#include "services/catalog_service.hpp"
#include "services/database_setup.hpp"
#include "services/dossier_service.hpp"
#include "services/simulator.hpp"
#include "services/stats_service.hpp"
#include "services/unit_service.hpp"
#include "store/group_commit.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace motcua {
namespace {

using store::test_support::describe;
using store::test_support::TestDatabase;

// A store's batches, held back until release(): what an action waits
// behind when the writer is busy.
class HeldWriter final : public store::BatchWriter {
 public:
  explicit HeldWriter(store::DossiersStore& store) : store_(store) {}
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
  bool open_ = false;
};

class CalendarChangeRace : public ::testing::TestWithParam<std::string> {};

TEST_P(CalendarChangeRace, AnActionWrittenAfterAChangeAndItsRecountCountsWithTheNewHours) {
  TestDatabase db;
  if (!db.make(GetParam(), "calrace")) GTEST_SKIP() << store::test_support::kNoPostgres;
  auto opened = store::open_store(db.url());
  ASSERT_TRUE(opened) << describe(opened);
  store::Store& store = **opened;
  auto setup = services::prepare_database(store, MOTCUA_SOURCE_DIR "/data");
  ASSERT_TRUE(setup) << describe(setup);
  auto data = store.load_reference_data();
  ASSERT_TRUE(data) << describe(data);
  services::UnitService units(std::move(*data));
  auto calendar = services::CalendarService::create(store.calendar(), units);
  ASSERT_TRUE(calendar) << describe(calendar);
  services::CatalogService catalog(store.catalog());
  ASSERT_TRUE(catalog.load());

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
      services::simulate(store.dossiers(), units, catalog, **calendar, units.province_of(), sim);
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

  services::StatsService stats(store.stats(), store.dossiers(), units, **calendar, catalog,
                               units.province_of());
  auto before = stats.verify();
  ASSERT_TRUE(before) << describe(before);
  ASSERT_TRUE(before->same()) << before->counters.size() << " counters differ after simulate";

  services::DossierService dossiers(store.dossiers(), catalog, **calendar, units,
                                    units.province_of(), [t = *now] { return t; });
  HeldWriter held(store.dossiers());
  store::GroupCommitter committer(held);
  dossiers.set_committer(&committer);

  access::Principal leader;
  leader.user_id = 1;
  leader.username = "leader";
  leader.roles = access::role_bit(access::Role::kLeader);
  leader.unit_code = open.competent_unit;
  leader.province_code = units.province_of()(open.competent_unit).value_or("");

  // The refusal finishes the dossier: prepared now, with the default hours,
  // then held back.
  std::promise<Result<services::DossierView>> answered;
  dossiers.act(leader, open.id, dossier::Action::kRefuse, R"({"note":"Không đủ điều kiện"})",
               open.version,
               [&](Result<services::DossierView> r) { answered.set_value(std::move(r)); });

  // Meanwhile the unit's hours change, and the counters are recounted for it.
  services::UnitCalendarSettings shorter;
  shorter.hours.morning_start = calendar::TimeOfDay::hm(9, 0);
  shorter.hours.morning_end = calendar::TimeOfDay::hm(10, 0);
  shorter.hours.afternoon_start = calendar::TimeOfDay::hm(14, 0);
  shorter.hours.afternoon_end = calendar::TimeOfDay::hm(15, 0);
  auto changed = (*calendar)->set_unit_settings(open.competent_unit, shorter, "admin");
  ASSERT_TRUE(changed) << describe(changed);
  auto recounted = stats.rebuild_if_due();
  ASSERT_TRUE(recounted) << describe(recounted);
  ASSERT_EQ(recounted->size(), 1u);

  held.release();
  auto refused = answered.get_future().get();
  ASSERT_TRUE(refused) << describe(refused);
  EXPECT_EQ(dossier::state_name(refused->dossier.state), std::string("refused"));

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
