// PostgreSQL: the connection lost during a group commit's COMMIT. Whether
// the batch committed is learned from its token row (migration 19), not
// guessed: committed, its requests are answered from what it wrote; not
// committed, it runs again. Either way every change is applied once. The
// session is cut by a proxy (pg_proxy.hpp) at the batch's COMMIT.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "dossier_rows.hpp"
#include "pg_proxy.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace motcua::store {
namespace {

using test_support::describe;
using test_support::PgProxy;

// `base` one version on in `state`, made before the transaction.
std::pair<DossierRecord, dossier::Event> change(const DossierRecord& base,
                                                const std::string& state) {
  DossierRecord r = base;
  r.state = state;
  dossier::Event e = test_support::event(state, base.state, state);
  e.at = {1'751'340'100};
  e.actor_user_id = "9";
  e.actor_role = "officer";
  e.dossier_id = r.id;
  r.head = dossier::append_event(e, base.head, r.body);
  r.version = base.version + 1;
  return {r, e};
}

class PgLostCommitTest : public ::testing::TestWithParam<PgProxy::Cut> {
 protected:
  void SetUp() override {
    if (!db_.make("postgresql", "lc")) GTEST_SKIP() << test_support::kNoPostgres;
    proxy_ = std::make_unique<PgProxy>(std::getenv("MOTCUA_TEST_PG_URL"));
    ASSERT_TRUE(proxy_->ok());
    auto s = open_store(proxy_->url(db_.tag()));
    ASSERT_OK(s);
    store_ = std::move(*s);
    ASSERT_OK(store_->migrate());
  }
  void TearDown() override {
    store_.reset();  // before the proxy its sessions go through
    proxy_.reset();
  }

  test_support::TestDatabase db_;
  std::unique_ptr<PgProxy> proxy_;
  std::unique_ptr<Store> store_;
};

TEST_P(PgLostCommitTest, ABatchLostAtItsCommitIsAppliedOnce) {
  DossiersStore& dossiers = store_->dossiers();
  ASSERT_OK(dossiers.write([](DossierTxn& t) -> Result<void> {
    DossierRecord r = test_support::record("old");
    dossier::Event e;
    e.action = "submit";
    e.to_state = "submitted";
    return t.save(r, 0, e);
  }));
  auto seen = dossiers.get("old");
  ASSERT_OK(seen);
  const auto moved = change(**seen, "received");
  auto fresh = change(test_support::record("new"), "submitted");
  fresh.first.version = 1;
  fresh.second.from_state = "draft";
  fresh.first.head = dossier::append_event(fresh.second, {}, fresh.first.body);
  // A submission (no Idempotency-Key) and a change of a dossier read before.
  std::vector<DossierWrite> batch;
  batch.push_back([&](DossierTxn& t) { return t.save_prepared(fresh.first, 0, fresh.second); });
  batch.push_back(
      [&](DossierTxn& t) { return t.save_prepared(moved.first, (*seen)->version, moved.second); });
  proxy_->cut_next_commit(GetParam());
  auto results = dossiers.write_batch(batch);
  ASSERT_EQ(proxy_->cuts(), 1) << "the session was not cut at the commit";
  ASSERT_EQ(results.size(), 2u);
  for (const auto& r : results) EXPECT_TRUE(r.ok()) << describe(r);
  // What the server holds, read past the proxy.
  EXPECT_EQ(db_.pg("SELECT count(*) FROM dossiers WHERE id = 'new'"), "1");
  EXPECT_EQ(db_.pg("SELECT count(*) FROM dossier_events WHERE dossier_id = 'new'"), "1");
  EXPECT_EQ(db_.pg("SELECT version || state FROM dossiers WHERE id = 'old'"), "2received");
  EXPECT_EQ(db_.pg("SELECT count(*) FROM dossier_events WHERE dossier_id = 'old'"), "2");
  EXPECT_EQ(db_.pg("SELECT count(*) FROM dossier_outbox"), "3");
  // The store goes on; a batch deletes its previous token row, and the one
  // written to learn that a batch had not committed stays (a day).
  auto later = change(**seen, "received");
  auto again = dossiers.write_batch({[&](DossierTxn& t) {
    return t.save_prepared(later.first, (*seen)->version, later.second);
  }});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].error().kind, ErrorKind::kPreconditionFailed);
  EXPECT_EQ(db_.pg("SELECT count(*) FROM batch_tokens"),
            GetParam() == PgProxy::Cut::kAfterCommit ? "1" : "2");
}

INSTANTIATE_TEST_SUITE_P(Cuts, PgLostCommitTest,
                         ::testing::Values(PgProxy::Cut::kAfterCommit, PgProxy::Cut::kBeforeCommit),
                         [](const auto& info) {
                           return info.param == PgProxy::Cut::kAfterCommit ? "AfterCommit"
                                                                           : "BeforeCommit";
                         });

}  // namespace
}  // namespace motcua::store
