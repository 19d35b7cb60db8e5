// PostgreSQL: the inbox's page size is a bound parameter (LIMIT $n), so one
// prepared statement serves every page size. After five runs PostgreSQL may
// keep a generic plan, made without the values: it must still read the
// index in (unit, state, due) or (applicant, due) order and stop at the page,
// not sort every matching dossier. The plan read here is that of the very
// statement the store prepared (its text from pg_stat_activity), planned
// generically (plan_cache_mode = force_generic_plan) in a session of the test.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pg_session.hpp"
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
  // ran, executed with `params` (the statement's $1, $2, ... in order).
  std::string generic_plan(const InboxQuery& q, const std::vector<std::string>& params) {
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
    std::string sql;
    if (s.run("SELECT query FROM pg_stat_activity WHERE application_name = '" + db_.tag() +
                  "' AND pid <> pg_backend_pid() AND query LIKE '%ORDER BY sort_due, id LIMIT%'"
                  " ORDER BY state_change DESC LIMIT 1",
              &sql) != 1) {
      return "the store's inbox statement was not found: " + s.error;
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
  EXPECT_NE(plan.find("$1"), std::string::npos) << "not a generic plan:\n" << plan;
  EXPECT_EQ(plan.rfind("Limit", 0), 0u) << plan;
  EXPECT_NE(plan.find("Index Scan using " + index), std::string::npos) << plan;
  EXPECT_EQ(plan.find("Sort"), std::string::npos) << plan;
}

// A unit's dossiers in one state, a page after a cursor: the operations
// centre's lists read them so, page after page.
TEST_F(PgInboxPlanTest, AUnitsDossiersInOneStateAreReadInTheIndexOrder) {
  InboxQuery q;
  q.clauses = {{Column::kCompetentUnit, "00005", "", {"received"}}};
  q.state = "received";
  q.after = std::make_pair(std::int64_t{1'751'340'000}, std::string());
  q.limit = 200;
  // unit, its states, the state, the cursor's due time and id, the page size
  const std::string plan =
      generic_plan(q, {"00005", "received", "received", "1751340000", "", "200"});
  expect_ordered_by_index(plan, "dossiers_by_competent");
}

// A citizen's list: every dossier of theirs whatever its state, the first
// page and one after a cursor.
TEST_F(PgInboxPlanTest, ACitizensDossiersAreReadInTheIndexOrder) {
  const std::vector<std::string> states = {"submitted", "received", "in_progress",
                                           "proposed",  "approved", "result_issued",
                                           "returned",  "refused",  "withdrawn"};
  std::string list;
  for (const auto& s : states) list += (list.empty() ? "" : ",") + s;
  InboxQuery q;
  q.clauses = {{Column::kApplicant, "c1", "", states}};
  q.limit = 51;
  expect_ordered_by_index(generic_plan(q, {"c1", list, "51"}), "dossiers_by_applicant");
  q.after = std::make_pair(std::int64_t{1'753'000'000}, std::string("d10"));
  expect_ordered_by_index(generic_plan(q, {"c1", list, "1753000000", "d10", "51"}),
                          "dossiers_by_applicant");
}

}  // namespace
}  // namespace motcua::store
