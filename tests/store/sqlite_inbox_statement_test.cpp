// The inbox's statement on SQLite is kept once per set of filters: its page
// size is a bound value, not part of its text, so a client asking for pages
// of every size does not grow the reading connection's cache of statements.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <string>
#include <vector>

#include "dossier_rows.hpp"
#include "sqlite_handles.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace motcua::store {
namespace {

// The reading connection's prepared inbox statements (their SQL).
std::vector<std::string> inbox_statements(sqlite3* db) {
  std::vector<std::string> out;
  for (sqlite3_stmt* s = sqlite3_next_stmt(db, nullptr); s; s = sqlite3_next_stmt(db, s)) {
    const std::string sql = sqlite3_sql(s);
    if (sql.find("ORDER BY sort_due, id LIMIT") != std::string::npos) out.push_back(sql);
  }
  return out;
}

// The query plan of `sql`, one line a step.
std::string plan(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt, nullptr) !=
      SQLITE_OK)
    return "cannot prepare: " + std::string(sqlite3_errmsg(db));
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    out += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
    out += "\n";
  }
  sqlite3_finalize(stmt);
  return out;
}

TEST(SqliteInboxStatementTest, OneStatementServesEveryPageSize) {
  test_support::TestDatabase db;
  ASSERT_TRUE(db.make("sqlite", "si"));
  std::vector<sqlite3*> handles;
  auto store = test_support::open_recorded(db.url(), handles);
  ASSERT_OK(store);
  ASSERT_GE(handles.size(), 2u);
  sqlite3* reader = handles[1];
  ASSERT_OK((*store)->migrate());
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) {
    ids.push_back("d" + std::to_string(i));
    ASSERT_OK((*store)->dossiers().write([&](DossierTxn& t) -> Result<void> {
      DossierRecord r = test_support::record(ids.back());
      r.state = "received";
      r.due_at = 1'752'000'000 + i * 100;
      r.body = "{}";
      dossier::Event e;
      e.action = "receive";
      e.to_state = "received";
      return t.save(r, 0, e);
    }));
  }
  InboxQuery q;
  q.clauses.push_back({InboxClause::Column::kCompetentUnit, "00004", "", {"received"}});
  // Pages of every size from 1 to 8: the first, and one after a cursor (what
  // the pages hold is the contract's InboxPagesOfEverySizeListEveryDossierOnce).
  for (std::size_t size = 1; size <= 8; ++size) {
    q.limit = size;
    q.after.reset();
    auto first = (*store)->dossiers().inbox(q);
    ASSERT_OK(first);
    ASSERT_EQ(first->size(), std::min<std::size_t>(size, ids.size()));
    q.after = std::make_pair(*first->front().due_at, first->front().id);
    auto next = (*store)->dossiers().inbox(q);
    ASSERT_OK(next);
    EXPECT_EQ(next->size(), std::min<std::size_t>(size, ids.size() - 1));
  }
  // A unit's receipts (two branches of an OR) with a filter, at two sizes.
  InboxQuery received;
  received.clauses.push_back({InboxClause::Column::kReceivingUnit, "00004", "", {"received"}});
  received.procedure_code = "1.000001";
  for (std::size_t size : {3, 50}) {
    received.limit = size;
    auto page = (*store)->dossiers().inbox(received);
    ASSERT_OK(page);
    EXPECT_EQ(page->size(), std::min<std::size_t>(size, ids.size()));
  }
  // One statement for each first page, one for the pages after a cursor.
  const auto kept = inbox_statements(reader);
  ASSERT_EQ(kept.size(), 3u);
  // A bound limit is planned as a written one was.
  for (const auto& sql : kept) {
    const auto at = sql.rfind("LIMIT ?");
    ASSERT_NE(at, std::string::npos) << sql;
    EXPECT_EQ(plan(reader, sql), plan(reader, sql.substr(0, at) + "LIMIT 50")) << sql;
  }
}

}  // namespace
}  // namespace motcua::store
