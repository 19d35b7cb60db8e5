// PostgreSQL: the batch token rows (migration 19) that stopped processes left
// are deleted now and then by a group commit's batch. Several servers share
// one database, so their cleanups meet: a cleanup that waited for the rows
// another holds would hold its batch behind that one's transaction, and two
// that lock the same rows in different orders deadlock, failing a batch into
// the careful path. A cleanup takes only the rows it can lock at once.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "pg_session.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace motcua::store {
namespace {

using test_support::describe;
using test_support::PgSession;

// A group commit's cleanup runs every this many batches of a store
// (kBatchesBetweenCleanups in postgres/dossiers_store.cpp).
constexpr int kBatchesBetweenCleanups = 1024;

// One batch of one closure that writes nothing: it still commits its token.
std::vector<Result<void>> idle_batch(DossiersStore& dossiers) {
  return dossiers.write_batch({[](DossierTxn&) -> Result<void> { return ok(); }});
}

class PgBatchTokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!db_.make("postgresql", "bt")) GTEST_SKIP() << test_support::kNoPostgres;
    for (auto* s : {&a_, &b_}) {
      auto opened = open_store(db_.url());
      ASSERT_OK(opened);
      *s = std::move(*opened);
      ASSERT_OK((*s)->migrate());
    }
  }
  void TearDown() override {
    a_.reset();
    b_.reset();
  }

  // Sessions of this test's stores waiting for a lock.
  int waiting_for_locks() {
    auto n = db_.pg("SELECT count(*) FROM pg_stat_activity WHERE application_name = '" + db_.tag() +
                        "' AND wait_event_type = 'Lock'",
                    false);
    return n ? std::stoi(*n) : 0;
  }

  test_support::TestDatabase db_;
  std::unique_ptr<Store> a_, b_;
};

// Two servers' cleanups at once over many old tokens, while a third holds one
// of them and then reaches for another that the cleanups meet first (as a
// cleanup scanning in another order would): no batch waits for it, none
// fails or runs again, and the rows the others hold are left for later.
TEST_F(PgBatchTokensTest, CleanupsAtOnceNeitherWaitNorDeadlock) {
  ASSERT_TRUE(
      db_.pg("INSERT INTO batch_tokens (token, at)"
             " SELECT 'old' || g, g FROM generate_series(1, 3000) g"));
  // Both stores up to the batch before their cleanup.
  std::atomic<int> failures{0};
  auto warm = [&](Store& s) {
    for (int i = 1; i < kBatchesBetweenCleanups; ++i) {
      for (const auto& r : idle_batch(s.dossiers())) {
        if (!r) ++failures;
      }
    }
  };
  {
    std::thread ta([&] { warm(*a_); });
    std::thread tb([&] { warm(*b_); });
    ta.join();
    tb.join();
  }
  ASSERT_EQ(failures.load(), 0);
  ASSERT_EQ(db_.pg("SELECT count(*) FROM batch_tokens WHERE token LIKE 'old%'"), "3000")
      << "a cleanup ran before the one under test";
  const std::uint64_t reruns_a = a_->dossiers().batches_rerun();
  const std::uint64_t reruns_b = b_->dossiers().batches_rerun();

  PgSession other(db_.url());
  ASSERT_TRUE(other.ok());
  ASSERT_EQ(other.run("BEGIN; SET LOCAL lock_timeout = '20s'"), 0) << other.error;
  ASSERT_EQ(other.run("SELECT 1 FROM batch_tokens WHERE token = 'old2' FOR UPDATE"), 1)
      << other.error;

  std::atomic<int> done{0};
  std::vector<Result<void>> results_a, results_b;
  std::thread ta([&] {
    results_a = idle_batch(a_->dossiers());
    ++done;
  });
  std::thread tb([&] {
    results_b = idle_batch(b_->dossiers());
    ++done;
  });
  // Until both batches are written, or both wait for a lock.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (done.load() < 2 && waiting_for_locks() < 2 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const bool written_while_held = done.load() == 2;
  // The row a cleanup meets first: a cleanup holding it while it waits for
  // 'old2' would now be in a deadlock.
  other.run("SELECT 1 FROM batch_tokens WHERE token = 'old1' FOR UPDATE");
  ta.join();
  tb.join();
  other.run("ROLLBACK");

  EXPECT_TRUE(written_while_held) << "a batch's cleanup waited for a row another session held";
  for (const auto* results : {&results_a, &results_b}) {
    ASSERT_EQ(results->size(), 1u);
    EXPECT_TRUE((*results)[0].ok()) << describe((*results)[0]);
  }
  EXPECT_EQ(a_->dossiers().batches_rerun(), reruns_a) << "a batch took the careful path";
  EXPECT_EQ(b_->dossiers().batches_rerun(), reruns_b) << "a batch took the careful path";
  // Each cleanup deleted old rows, and the held one was left for a later one.
  const auto left = db_.pg("SELECT count(*) FROM batch_tokens WHERE token LIKE 'old%'");
  ASSERT_TRUE(left);
  EXPECT_LT(std::stoi(*left), 3000);
  EXPECT_EQ(db_.pg("SELECT count(*) FROM batch_tokens WHERE token = 'old2'"), "1");
  // The stores' own tokens are never an old one's: one each is kept.
  EXPECT_EQ(db_.pg("SELECT count(*) FROM batch_tokens WHERE token NOT LIKE 'old%'"), "2");
}

}  // namespace
}  // namespace motcua::store
