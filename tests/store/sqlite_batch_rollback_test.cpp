// SQLite may roll back a whole transaction by itself when a statement fails
// with SQLITE_FULL, SQLITE_IOERR or SQLITE_NOMEM. A group-commit batch that
// meets this must answer every request whose change went with it by an error,
// and write nothing after it outside a transaction. The disk is "filled" by
// PRAGMA max_page_count on the store's writing connection (sqlite_handles.hpp).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "dossier_rows.hpp"
#include "sqlite_handles.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace motcua::store {
namespace {

using test_support::describe;

using test_support::first_number;
std::int64_t pragma(sqlite3* db, const std::string& sql) { return first_number(db, sql); }

// A new dossier prepared as a submission is, with a body of `bytes` bytes:
// large enough that a few of them fill the pages left.
struct Prepared {
  DossierRecord row;
  dossier::Event event;
};

Prepared submission(const std::string& id, std::size_t bytes) {
  Prepared p{test_support::record(id), test_support::event("submit", "draft", "submitted")};
  DossierRecord& r = p.row;
  r.body = R"({"id":")" + id + R"(","x":")" + std::string(bytes, 'x') + R"("})";
  dossier::Event& e = p.event;
  e.dossier_id = id;
  r.head = dossier::append_event(e, {}, r.body);
  r.version = 1;
  return p;
}

class SqliteBatchRollbackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(db_.make("sqlite", "sb"));
    std::vector<sqlite3*> handles;
    auto s = test_support::open_recorded(db_.url(), handles);
    ASSERT_OK(s);
    store_ = std::move(*s);
    ASSERT_FALSE(handles.empty());
    writer_ = handles[0];
    ASSERT_OK(store_->migrate());
  }

  std::vector<Result<void>> write(const std::vector<Prepared>& made) {
    std::vector<DossierWrite> batch;
    for (const auto& m : made) {
      batch.push_back([&m](DossierTxn& t) { return t.save_prepared(m.row, 0, m.event); });
    }
    return store_->dossiers().write_batch(batch);
  }

  // Whether dossier `id` is stored whole: its row, its entry and its outbox row.
  bool stored(const std::string& id, std::size_t& outbox_rows) {
    auto other = open_store(db_.url());  // what a fresh reader sees
    EXPECT_TRUE(other.ok());
    if (!other.ok()) return false;
    auto row = (*other)->dossiers().get(id);
    auto events = (*other)->dossiers().events(id);
    EXPECT_TRUE(row.ok() && events.ok());
    if (!row.ok() || !events.ok()) return false;
    EXPECT_EQ(row->has_value(), events->size() == 1) << id << " is stored in part";
    auto outbox = (*other)->dossiers().pending_outbox(100);
    EXPECT_TRUE(outbox.ok());
    if (outbox.ok()) outbox_rows = outbox->size();
    return row->has_value();
  }

  // Leaves room for `dossiers` more dossiers of kBody bytes, measured on a
  // first one ("probe"). With no statement journal, SQLite meets the full
  // disk by rolling back the whole transaction.
  void fill_but(double dossiers) {
    sqlite3* writer = writer_;
    // No free pages left by the migrations: every page a write takes is new.
    ASSERT_EQ(sqlite3_exec(writer, "VACUUM", nullptr, nullptr, nullptr), SQLITE_OK);
    ASSERT_EQ(pragma(writer, "PRAGMA freelist_count"), 0);
    const auto before = pragma(writer, "PRAGMA page_count");
    auto first = write({submission("probe", kBody)});
    ASSERT_OK(first[0]);
    const auto after = pragma(writer, "PRAGMA page_count");
    ASSERT_GT(after - before, 4);
    const auto most = after + static_cast<std::int64_t>((after - before) * dossiers);
    ASSERT_EQ(pragma(writer, "PRAGMA max_page_count = " + std::to_string(most)), most);
  }

  static constexpr std::size_t kBody = 60'000;  // some eight overflow pages of 8 KB
  test_support::TestDatabase db_;
  std::unique_ptr<Store> store_;
  sqlite3* writer_ = nullptr;  // the store's writing connection
};

TEST_F(SqliteBatchRollbackTest, AWriteThatEndsTheTransactionFailsEveryWriteItTookAlong) {
  ASSERT_NO_FATAL_FAILURE(fill_but(1.5));
  std::vector<Prepared> made;
  for (int i = 0; i < 6; ++i) made.push_back(submission("s" + std::to_string(i), kBody));
  auto results = write(made);
  ASSERT_EQ(results.size(), made.size());
  for (std::size_t i = 0; i < made.size(); ++i) {
    std::size_t outbox = 0;
    const bool there = stored(made[i].row.id, outbox);
    EXPECT_EQ(results[i].ok(), there)
        << made[i].row.id << ": " << describe(results[i]) << (there ? ", stored" : ", not stored");
  }
  // s0 fitted, and went with the rollback s1 caused.
  EXPECT_FALSE(results[0].ok());
  std::size_t outbox = 0;
  ASSERT_TRUE(stored("probe", outbox));
  // Room again: the store goes on writing.
  pragma(writer_, "PRAGMA max_page_count = 1073741823");
  auto again = write({submission("later", 100)});
  ASSERT_OK(again[0]);
  std::size_t outbox_after = 0;
  EXPECT_TRUE(stored("later", outbox_after));
  EXPECT_EQ(outbox_after, outbox + 1);
}

// A closure that goes on after the failure finds its later writes refused:
// run then, each would commit on its own.
TEST_F(SqliteBatchRollbackTest, AClosureCannotWriteOnceItsTransactionIsGone) {
  ASSERT_NO_FATAL_FAILURE(fill_but(0.5));
  const Prepared big = submission("big", kBody), small = submission("small", 100);
  auto r = store_->dossiers().write([&](DossierTxn& t) -> Result<void> {
    EXPECT_FALSE(t.save_prepared(big.row, 0, big.event).ok());
    return t.save_prepared(small.row, 0, small.event);
  });
  EXPECT_FALSE(r.ok());
  std::size_t outbox = 0;
  EXPECT_FALSE(stored("small", outbox));
  EXPECT_FALSE(stored("big", outbox));
}

}  // namespace
}  // namespace motcua::store
