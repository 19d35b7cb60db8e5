// PostgreSQL: the inbox's page size is a bound parameter (LIMIT $n), so one
// prepared statement serves every page size. After five runs PostgreSQL may
// keep a generic plan, made without the values: it must still read the
// index in (unit, state, due) or (applicant, due) order and stop at the page,
// not sort every matching dossier; a staff inbox of several states and
// branches, one such scan per (branch, state), each stopping at the page. The
// plan read here is that of the very statement the store prepared (its text
// from pg_stat_activity), planned generically (plan_cache_mode =
// force_generic_plan) in a session of the test.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "pg_session.hpp"
#include "store/postgres/dossiers_store.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace motcua::store {
namespace {

using test_support::describe;
using test_support::PgSession;
using Column = InboxClause::Column;

class PgInboxPlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!db_.make("postgresql", "ip")) GTEST_SKIP() << test_support::kNoPostgres;
    auto s = open_store(db_.url());
    ASSERT_OK(s);
    store_ = std::move(*s);
    ASSERT_OK(store_->migrate());
    // 40,000 dossiers of 23 units in 8 states, every other one of one
    // citizen, due times spread over ten weeks; then the planner's statistics.
    ASSERT_TRUE(
        db_.pg("INSERT INTO dossiers (id, code, procedure_code, procedure_version, receiving_unit,"
               " competent_unit, channel, state, applicant_user_id, assignee, due_at, sort_due,"
               " updated_at, body, version, head_seq, head_hash, live_due)"
               " SELECT 'd' || g, NULL, '1.000001', '1', u, u, 'online',"
               " (ARRAY['submitted', 'received', 'in_progress', 'proposed', 'approved',"
               " 'result_issued', 'returned', 'refused'])[1 + g % 8],"
               " CASE WHEN g % 2 = 0 THEN 'c1' ELSE '' END, '', due, due, 1751340000, '{}', 1, 1,"
               " 'h', NULL FROM (SELECT g, lpad((g % 23)::text, 5, '0') AS u,"
               " 1751340000 + (g * 7919 % 100000) * 60 AS due FROM generate_series(1, 40000) g) s;"
               " ANALYZE dossiers"));
  }
  void TearDown() override { store_.reset(); }

  // Runs `q` through the store, then the generic plan of the statement it
  // ran (the server shows the start of its text: the rest is the store's
  // own, postgres::inbox_sql), executed with the values the store bound.
  std::string generic_plan(const InboxQuery& q) {
    auto rows = store_->dossiers().inbox(q);
    EXPECT_TRUE(rows.ok()) << describe(rows);
    if (!rows.ok() || rows->empty()) return "the inbox read nothing";
    for (std::size_t i = 1; i < rows->size(); ++i) {
      const auto& a = (*rows)[i - 1];
      const auto& b = (*rows)[i];
      EXPECT_LT(std::make_pair(a.due_at, a.id), std::make_pair(b.due_at, b.id));
    }
    PgSession s(db_.url());
    if (!s.ok()) return "cannot connect";
    std::string ran;
    if (s.run("SELECT query FROM pg_stat_activity WHERE application_name = '" + db_.tag() +
                  "' AND pid <> pg_backend_pid() AND query LIKE '%ORDER BY sort_due, id LIMIT%'"
                  " ORDER BY state_change DESC LIMIT 1",
              &ran) != 1) {
      return "the store's inbox statement was not found: " + s.error;
    }
    if (!ran.empty() && ran.back() == '\n') ran.pop_back();
    std::vector<std::string> params;
    const std::string sql = postgres::inbox_sql(q, params);
    if (ran.empty() || sql.compare(0, ran.size(), ran) != 0) {
      return "the store ran another statement:\n" + ran + "\nnot\n" + sql;
    }
    std::string args;
    for (const auto& p : params) args += (args.empty() ? "'" : ", '") + p + "'";
    std::string plan;
    if (s.run("SET plan_cache_mode = force_generic_plan") < 0 ||
        s.run("PREPARE inbox AS " + sql) < 0 ||
        s.run("EXPLAIN EXECUTE inbox(" + args + ")", &plan) < 0) {
      return "cannot explain: " + s.error + "\n" + sql;
    }
    return plan;
  }

  test_support::TestDatabase db_;
  std::unique_ptr<Store> store_;
};

void expect_ordered_by_index(const std::string& plan, const std::string& index) {
  EXPECT_NE(plan.find(" $"), std::string::npos) << "not a generic plan:\n" << plan;
  EXPECT_EQ(plan.rfind("Limit", 0), 0u) << plan;
  EXPECT_NE(plan.find("Index Scan using " + index), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Sort"), std::string::npos) << plan;
}

// Every scan of an inbox index reads in the index's order and stops at the
// page: its parent node is a Limit (no Sort between them over every match).
// Returns how many scans each inbox index has.
std::map<std::string, int> expect_scans_under_limits(const std::string& plan) {
  EXPECT_NE(plan.find(" $"), std::string::npos) << "not a generic plan:\n" << plan;
  EXPECT_EQ(plan.find("Seq Scan"), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Bitmap"), std::string::npos) << plan;
  std::vector<std::pair<std::size_t, std::string>> nodes;  // indent, node
  std::istringstream lines(plan);
  for (std::string line; std::getline(lines, line);) {
    const auto arrow = line.find("->  ");
    if (nodes.empty())
      nodes.emplace_back(0, line);
    else if (arrow != std::string::npos)
      nodes.emplace_back(arrow, line.substr(arrow + 4));
  }
  std::map<std::string, int> scans;
  for (std::size_t i = 1; i < nodes.size(); ++i) {
    const auto using_at = nodes[i].second.find(" using dossiers_by_");
    if (using_at == std::string::npos) continue;
    const std::string index = nodes[i].second.substr(
        using_at + 7, nodes[i].second.find(' ', using_at + 7) - using_at - 7);
    ++scans[index];
    std::size_t parent = i;
    while (parent > 0 && nodes[--parent].first >= nodes[i].first) {
    }
    EXPECT_EQ(nodes[parent].second.rfind("Limit", 0), 0u)
        << "a scan of " << index << " not under its Limit:\n"
        << plan;
  }
  return scans;
}

// A unit's dossiers in one state, a page after a cursor: the operations
// centre's lists read them so, page after page.
TEST_F(PgInboxPlanTest, AUnitsDossiersInOneStateAreReadInTheIndexOrder) {
  InboxQuery q;
  q.clauses = {{Column::kCompetentUnit, "00005", "", {"received"}}};
  q.state = "received";
  q.after = std::make_pair(std::int64_t{1'751'340'000}, std::string());
  q.limit = 200;
  expect_ordered_by_index(generic_plan(q), "dossiers_by_competent");
}

// A citizen's list: every dossier of theirs whatever its state, the first
// page and one after a cursor.
TEST_F(PgInboxPlanTest, ACitizensDossiersAreReadInTheIndexOrder) {
  const std::vector<std::string> states = {"submitted", "received", "in_progress",
                                           "proposed",  "approved", "result_issued",
                                           "returned",  "refused",  "withdrawn"};
  InboxQuery q;
  q.clauses = {{Column::kApplicant, "c1", "", states}};
  q.limit = 51;
  expect_ordered_by_index(generic_plan(q), "dossiers_by_applicant");
  q.after = std::make_pair(std::int64_t{1'753'000'000}, std::string("d10"));
  expect_ordered_by_index(generic_plan(q), "dossiers_by_applicant");
}

// A commune's staff: its own dossiers in four states and what it received in
// two, the first page and one after a cursor. Each branch is a scan of its
// index run once per state (the state in its index condition), under its
// Limit; what sorts is at most their pages.
TEST_F(PgInboxPlanTest, AStaffInboxOfSeveralStatesIsOneOrderedScanPerState) {
  InboxQuery q;
  q.clauses = {
      {Column::kCompetentUnit, "00005", "", {"received", "in_progress", "proposed", "approved"}},
      {Column::kReceivingUnit, "00005", "", {"submitted", "received"}}};
  q.limit = 50;
  for (int page = 0; page < 2; ++page) {
    const std::string plan = generic_plan(q);
    const auto scans = expect_scans_under_limits(plan);
    // The competent unit's index for the unit's own dossiers and for what it
    // received for itself, the receiving unit's for the rest.
    EXPECT_EQ(scans.count("dossiers_by_competent") ? scans.at("dossiers_by_competent") : 0, 2)
        << "page " << page;
    EXPECT_EQ(scans.count("dossiers_by_receiving") ? scans.at("dossiers_by_receiving") : 0, 1)
        << "page " << page;
    std::size_t per_state = 0;
    for (auto at = plan.find("AND (state = s"); at != std::string::npos;
         at = plan.find("AND (state = s", at + 1)) {
      ++per_state;
    }
    EXPECT_EQ(per_state, 3u) << plan;
    q.after = std::make_pair(std::int64_t{1'751'400'000}, std::string("d10"));
  }
}

}  // namespace
}  // namespace motcua::store
