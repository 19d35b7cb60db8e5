// The inbox's statement on SQLite is kept once per set of filters: its page
// size is a bound value, not part of its text, so a client asking for pages
// of every size does not grow the reading connection's cache of statements.
// A staff inbox of several states and branches is one scan per (branch,
// state), each a range of its index read in page order.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <regex>
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

// Every scan of an inbox index in the plan of `sql`, by index: each must be
// a co-routine of its own that sorts nothing (it reads its index in page
// order and stops at the page; what sorts is at most the scans' pages).
std::map<std::string, int> index_scans(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  std::map<std::string, int> out;
  if (sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt, nullptr) !=
      SQLITE_OK) {
    ADD_FAILURE() << "cannot prepare: " << sqlite3_errmsg(db);
    return out;
  }
  struct Node {
    int parent;
    std::string detail;
  };
  std::map<int, Node> nodes;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    nodes[sqlite3_column_int(stmt, 0)] = {
        sqlite3_column_int(stmt, 1), reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3))};
  }
  sqlite3_finalize(stmt);
  const std::regex scan("SEARCH dossiers USING (COVERING )?INDEX (dossiers_by_\\w+) ");
  for (const auto& [id, node] : nodes) {
    std::smatch m;
    if (!std::regex_search(node.detail, m, scan)) continue;
    ++out[m[2].str()];
    if (nodes.size() == 1) continue;  // the statement is the one scan
    const auto parent = nodes.find(node.parent);
    if (parent == nodes.end() || parent->second.detail.rfind("CO-ROUTINE", 0) != 0) {
      ADD_FAILURE() << node.detail << " is not a scan of its own in\n" << plan(db, sql);
      continue;
    }
    for (const auto& [other_id, other] : nodes) {
      if (other.parent == node.parent) {
        EXPECT_EQ(other.detail.find("TEMP B-TREE"), std::string::npos)
            << node.detail << " is sorted in\n"
            << plan(db, sql);
      }
    }
  }
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
  // A staff inbox: the unit's own dossiers in three states, and what it
  // received (each of them matches twice), the first page and the next.
  InboxQuery staff;
  staff.clauses.push_back(
      {InboxClause::Column::kCompetentUnit, "00004", "", {"received", "submitted", "in_progress"}});
  staff.clauses.push_back({InboxClause::Column::kReceivingUnit, "00004", "", {"received"}});
  staff.limit = 4;
  auto first = (*store)->dossiers().inbox(staff);
  ASSERT_OK(first);
  ASSERT_EQ(first->size(), 4u);
  staff.after = std::make_pair(*first->back().due_at, first->back().id);
  auto next = (*store)->dossiers().inbox(staff);
  ASSERT_OK(next);
  ASSERT_EQ(next->size(), 3u);
  std::vector<std::string> seen;
  for (const auto* page : {&*first, &*next}) {
    for (const auto& r : *page) seen.push_back(r.id);
  }
  EXPECT_EQ(seen, ids);
  // One statement for each first page, one for the pages after a cursor.
  const auto kept = inbox_statements(reader);
  ASSERT_EQ(kept.size(), 5u);
  const std::regex bound_limit("LIMIT \\?\\d+");
  for (const auto& sql : kept) {
    // A bound limit is planned as a written one was.
    ASSERT_TRUE(std::regex_search(sql, bound_limit)) << sql;
    EXPECT_EQ(plan(reader, sql), plan(reader, std::regex_replace(sql, bound_limit, "LIMIT 50")))
        << sql;
    // Each (branch, state) one scan of its index; a receiving clause's own
    // receipts are found through the competent unit's index.
    const auto scans = index_scans(reader, sql);
    auto count = [&](const char* index) { return scans.count(index) ? scans.at(index) : 0; };
    std::size_t unions = 0;
    for (auto at = sql.find(" UNION "); at != std::string::npos; at = sql.find(" UNION ", at + 1)) {
      ++unions;
    }
    ASSERT_TRUE(unions == 0 || unions == 1 || unions == 4) << sql;
    EXPECT_EQ(count("dossiers_by_competent"), unions == 4 ? 4 : 1) << plan(reader, sql);
    EXPECT_EQ(count("dossiers_by_receiving"), unions == 0 ? 0 : 1) << plan(reader, sql);
  }
}

}  // namespace
}  // namespace motcua::store
