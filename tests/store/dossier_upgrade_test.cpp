// Upgrading a database that holds dossiers, on SQLite and, when
// MOTCUA_TEST_PG_URL names a server, on PostgreSQL. From schema 12 to 13 (the
// leaner dossier rows and log): the dossiers, their chained logs and the rows
// that refer to them come through whole, the chains still verify against
// their heads, and the upgraded database takes new actions on the old
// dossiers. From 13 to 14: every open dossier gets its live due time from its
// body, so that those waiting for the applicant since they were overdue count
// as overdue; and from 14 to 15 the deadline sweep finds them by it. From 15
// to 16 the outbox rows queued before keep their payloads. From 16 to 17 the
// counters, if any, are marked for a rebuild (supplements on the receipt day),
// and from 19 to 20 again (the receiving desk's count, a new column).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>
#include <optional>
#include <sstream>
#include <vector>

#include "common/sha256.hpp"
#include "domain/dossier/event_chain.hpp"
#include "store/migrations/migration.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace motcua::store {
namespace {

constexpr int kBefore = 12;

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// One dossier's row and log as schema 12 stores them: the log is a real
// chain (append_event), so the upgraded database must verify it.
struct OldDossier {
  std::string id, code;
  std::vector<dossier::Event> events;
  dossier::ChainHead head;

  OldDossier(std::string id_, std::string code_, int entries) : id(id_), code(code_) {
    const char* states[] = {"draft", "submitted", "received", "in_progress", "proposed"};
    for (int i = 0; i < entries; ++i) {
      dossier::Event e;
      e.dossier_id = id;
      e.dossier_code = i == 0 ? "" : code;  // the code comes with the receipt
      e.at = {1'751'340'000 + i * 600};
      e.actor_user_id = "u" + std::to_string(i);
      e.actor_role = "receiving_officer";
      e.actor_unit = "00004";
      e.action = "step" + std::to_string(i);
      e.from_state = states[i % 5];
      e.to_state = states[(i + 1) % 5];
      e.note = i == 1 ? "ghi chú 'có dấu'" : "";
      e.payload_json = R"({"n":)" + std::to_string(i) + "}";
      head = dossier::append_event(e, head, std::nullopt);  // no digest before 23
      events.push_back(e);
    }
  }

  std::string insert_sql() const {
    std::ostringstream sql;
    sql << "INSERT INTO dossiers (id, code, procedure_code, procedure_version, receiving_unit,"
           " competent_unit, channel, state, applicant_user_id, assignee, due_at, sort_due,"
           " updated_at, body, version, head_seq, head_hash) VALUES ("
        << quoted(id) << ", " << quoted(code)
        << ", '1.000001', '1', '00004', '00004', 'online', 'proposed', '7', '', 1751900000,"
           " 1751900000, 1751340000, "
        << quoted(R"({"id":")" + id + R"("})") << ", " << events.size() << ", " << head.seq << ", "
        << quoted(head.hash) << ");\n";
    for (const auto& e : events) {
      sql << "INSERT INTO dossier_events (dossier_id, seq, dossier_code, at, actor_user_id,"
             " actor_role, actor_unit, action, from_state, to_state, note, payload, prev_hash,"
             " hash) VALUES ("
          << quoted(id) << ", " << e.seq << ", " << quoted(e.dossier_code) << ", "
          << e.at.epoch_seconds << ", " << quoted(e.actor_user_id) << ", " << quoted(e.actor_role)
          << ", " << quoted(e.actor_unit) << ", " << quoted(e.action) << ", "
          << quoted(e.from_state) << ", " << quoted(e.to_state) << ", " << quoted(e.note) << ", "
          << quoted(e.payload_json) << ", " << quoted(e.prev_hash) << ", " << quoted(e.hash)
          << ");\n";
    }
    return sql.str();
  }
};

class DossierUpgradeTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!db_.make(GetParam(), "up")) GTEST_SKIP() << test_support::kNoPostgres;
  }

  bool sqlite() const { return GetParam() == "sqlite"; }

  // Runs `sql` on the test's database, outside any store.
  bool run(const std::string& sql) {
    if (!sqlite()) return db_.pg(sql).has_value();
    sqlite3* db = nullptr;
    bool good = sqlite3_open(db_.sqlite_file().c_str(), &db) == SQLITE_OK;
    char* err = nullptr;
    good = good && sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) == SQLITE_OK;
    if (!good) ADD_FAILURE() << sql.substr(0, 200) << ": " << (err ? err : sqlite3_errmsg(db));
    sqlite3_free(err);
    sqlite3_close(db);
    return good;
  }

  // The database as a motcua of schema `version` left it.
  void make_schema(int version = kBefore) {
    const auto list =
        sqlite() ? migrations::sqlite_migrations() : migrations::postgres_migrations();
    ASSERT_GT(list.size(), static_cast<std::size_t>(version));
    std::string sql =
        sqlite() ? "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                   " name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;\n"
                 : "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY,"
                   " name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());\n";
    for (int i = 0; i < version; ++i) {
      sql += list[i].sql;
      sql += "\nINSERT INTO schema_migrations VALUES (" + std::to_string(list[i].version) + ", " +
             quoted(list[i].name) + ", '2026-01-01T00:00:00Z');\n";
    }
    ASSERT_TRUE(run(sql));
  }

  test_support::TestDatabase db_;
};

TEST_P(DossierUpgradeTest, ThirteenKeepsEveryDossierItsChainAndWhatRefersToIt) {
  make_schema();
  const OldDossier a("HS01a000000001", "H01.000.04-250701-0001", 5);
  const OldDossier b("HS01a000000002", "H01.000.04-250701-0002", 3);
  ASSERT_TRUE(run("BEGIN;\n" + b.insert_sql() + a.insert_sql() +
                  "INSERT INTO dossier_idempotency (key, request_hash, dossier_id, created_at)"
                  " VALUES ('k1', 'h1', 'HS01a000000002', 1751340000);\n"
                  "INSERT INTO dossier_deadline_flags (dossier_id, flag, flagged_at)"
                  " VALUES ('HS01a000000001', 'due_soon', 1751340000);\n" +
                  "INSERT INTO dossier_outbox (dossier_id, event_seq, topic, payload, created_at)"
                  " VALUES ('HS01a000000002', 3, 'dossier.step2', " +
                  quoted(dossier::canonical_event(b.events.back())) + ", 1751340000);\nCOMMIT;"));

  auto opened = open_store(db_.url());
  ASSERT_OK(opened);
  auto& store = **opened;
  auto applied = store.migrate();
  ASSERT_OK(applied);
  EXPECT_EQ(*applied, migrations::latest_version(sqlite() ? migrations::sqlite_migrations()
                                                          : migrations::postgres_migrations()) -
                          kBefore);

  for (const OldDossier* d : {&a, &b}) {
    auto row = store.dossiers().get(d->id);
    ASSERT_OK(row);
    ASSERT_TRUE(row->has_value()) << d->id;
    EXPECT_EQ((*row)->code, d->code);
    EXPECT_EQ((*row)->head.seq, d->head.seq);
    EXPECT_EQ((*row)->head.hash, d->head.hash);
    auto events = store.dossiers().events(d->id);
    ASSERT_OK(events);
    ASSERT_EQ(events->size(), d->events.size()) << d->id;
    for (std::size_t i = 0; i < events->size(); ++i) {
      const auto& got = (*events)[i];
      const auto& want = d->events[i];
      EXPECT_EQ(got.dossier_id, want.dossier_id);
      EXPECT_EQ(got.seq, want.seq);
      EXPECT_EQ(got.dossier_code, want.dossier_code);
      EXPECT_EQ(got.at.epoch_seconds, want.at.epoch_seconds);
      EXPECT_EQ(got.note, want.note);
      EXPECT_EQ(got.payload_json, want.payload_json);
      EXPECT_EQ(got.prev_hash, want.prev_hash) << d->id << " seq " << want.seq;
      EXPECT_EQ(got.hash, want.hash);
    }
    EXPECT_TRUE(dossier::verify_chain(*events, {}, d->head).ok()) << d->id;
  }
  // The idempotency key and the sweep's flag still refer to their dossiers:
  // a retry finds its dossier, and a dossier is not flagged twice.
  auto referred = store.dossiers().write([&](DossierTxn& t) -> Result<void> {
    auto key = t.find_idempotency("k1");
    if (!key) return key.error();
    EXPECT_EQ(key->value_or(IdempotencyRecord{}).dossier_id, b.id);
    auto again = t.flag_deadline(a.id, "due_soon", 1751340600, "{}");
    if (!again) return again.error();
    EXPECT_FALSE(*again);
    return ok();
  });
  ASSERT_OK(referred);

  // An action on an upgraded dossier continues its chain.
  auto row = store.dossiers().get(b.id);
  ASSERT_OK(row);
  DossierRecord next = **row;
  dossier::Event e;
  e.dossier_id = b.id;
  e.dossier_code = b.code;
  e.at = {1751400000};
  e.actor_user_id = "9";
  e.actor_role = "leader";
  e.actor_unit = "00004";
  e.action = "approve";
  e.from_state = "proposed";
  e.to_state = "approved";
  next.state = "approved";
  next.head = dossier::append_event(e, next.head, next.body);  // sealed, since 23
  next.version += 1;
  ASSERT_OK(store.dossiers().write(
      [&](DossierTxn& t) { return t.save_prepared(next, (*row)->version, e); }));
  auto events = store.dossiers().events(b.id);
  ASSERT_OK(events);
  ASSERT_EQ(events->size(), b.events.size() + 1);
  EXPECT_EQ(events->back().prev_hash, b.head.hash);
  EXPECT_TRUE(dossier::verify_chain(*events, {}, next.head).ok());
  // Migration 23: the entries before it seal no body and hash as they did;
  // the new one seals the body it left.
  EXPECT_EQ(events->back().body_sha256, sha256_hex(next.body));
  for (std::size_t i = 0; i + 1 < events->size(); ++i) EXPECT_EQ((*events)[i].body_sha256, "");
  // ...and the other dossier's log is untouched by it.
  auto other = store.dossiers().events(a.id);
  ASSERT_OK(other);
  EXPECT_EQ(other->size(), a.events.size());
  // Migration 16: the outbox row queued before it keeps its copy of the
  // entry; the new action's row reads its entry from the log.
  auto outbox = store.dossiers().pending_outbox(10);
  ASSERT_OK(outbox);
  ASSERT_EQ(outbox->size(), 2u);
  EXPECT_EQ((*outbox)[0].event_seq, 3);
  EXPECT_EQ((*outbox)[0].payload, dossier::canonical_event(b.events.back()));
  EXPECT_EQ((*outbox)[1].topic, "dossier.approve");
  EXPECT_EQ((*outbox)[1].event_seq, next.head.seq);
  EXPECT_EQ((*outbox)[1].payload, dossier::canonical_event(events->back()));
}

TEST_P(DossierUpgradeTest, AReferenceLeftBrokenStopsTheUpgradeAndChangesNothing) {
  if (!sqlite())
    GTEST_SKIP() << "SQLite's rebuild runs with foreign keys off; PostgreSQL's does not";
  make_schema();
  const OldDossier a("HS01a000000001", "H01.000.04-250701-0001", 2);
  // A flag for a dossier that is not there (this connection has foreign keys
  // off, as a database written before they were on might hold).
  ASSERT_TRUE(run(a.insert_sql() +
                  "INSERT INTO dossier_deadline_flags (dossier_id, flag, flagged_at)"
                  " VALUES ('HS-gone', 'overdue', 1751340000);"));
  auto opened = open_store(db_.url());
  ASSERT_OK(opened);
  auto applied = (*opened)->migrate();
  ASSERT_FALSE(applied.ok());
  EXPECT_NE(applied.error().message_en.find("Migration 13"), std::string::npos)
      << applied.error().message_en;
  EXPECT_NE(applied.error().message_en.find("dossier_deadline_flags"), std::string::npos)
      << applied.error().message_en;
  EXPECT_NE(applied.error().message_vi.find("dossier_deadline_flags"), std::string::npos);
  auto version = (*opened)->schema_version();
  ASSERT_OK(version);
  EXPECT_EQ(*version, kBefore);
  opened->reset();
  // Still the old tables, whole: the log with its dossier ids and prev_hash.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.sqlite_file().c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT count(*) FROM dossier_events WHERE dossier_id = ?1"
                               " AND prev_hash <> ''",
                               -1, &st, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_bind_text(st, 1, a.id.c_str(), -1, SQLITE_TRANSIENT);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 2);
  sqlite3_finalize(st);
  sqlite3_close(db);
}

// A dossier row as schema 13 stores it, with a body that says only what the
// upgrade reads: its supplement requests.
std::string row_13(const std::string& id, const std::string& state, const std::string& due,
                   const std::string& supplements) {
  return "INSERT INTO dossiers (id, code, procedure_code, procedure_version, receiving_unit,"
         " competent_unit, channel, state, applicant_user_id, assignee, due_at, sort_due,"
         " updated_at, body, version, head_seq, head_hash) VALUES (" +
         quoted(id) + ", NULL, '1.000001', '1', '00004', '00004', 'online', " + quoted(state) +
         ", '7', '', " + due + ", " + (due == "NULL" ? "9223372036854775807" : due) +
         ", 1751340000, " +
         quoted(R"({"id":")" + id + R"(","supplements":[)" + supplements + "]}") + ", 1, 0, '');\n";
}

// One supplement request as the dossier's JSON holds it.
std::string asked(const std::string& at, bool after_receipt, const std::string& answered) {
  return R"({"requested_at":")" + at + R"(","requested_by":"u","missing":["x"],"note":"",)" +
         R"("after_receipt":)" + (after_receipt ? "true" : "false") + R"(,"answered_at":)" +
         (answered.empty() ? "null" : "\"" + answered + "\"") + "}";
}

TEST_P(DossierUpgradeTest, FourteenGivesEveryOpenDossierItsLiveDueTime) {
  make_schema(13);
  const std::string due = "1752141600";  // 2025-07-10T17:00:00+07:00
  const auto before = asked("2025-07-09T09:00:00+07:00", true, "");
  const auto after = asked("2025-07-10T17:30:00+07:00", true, "");
  const auto at_due = asked("2025-07-10T17:00:00+07:00", true, "");
  const auto answered = asked("2025-07-08T09:00:00+07:00", true, "2025-07-08T15:00:00+07:00");
  const auto at_desk = asked("2025-07-11T09:00:00+07:00", false, "");
  ASSERT_TRUE(run("BEGIN;\n" + row_13("processing", "in_progress", due, answered) +
                  row_13("approved", "approved", due, "") +
                  row_13("asked_late", "waiting_supplement", due, answered + "," + after) +
                  row_13("asked_at_due", "waiting_supplement", due, at_due) +
                  row_13("asked_in_time", "waiting_supplement", due, before) +
                  row_13("asked_at_desk", "waiting_supplement", due, at_desk) +
                  row_13("returned", "returned", due, after) +
                  row_13("submitted", "submitted", "NULL", "") + "COMMIT;"));
  auto opened = open_store(db_.url());
  ASSERT_OK(opened);
  auto& store = **opened;
  auto applied = store.migrate();
  ASSERT_OK(applied);
  const std::optional<std::int64_t> live = std::stoll(due);
  const std::map<std::string, std::optional<std::int64_t>> want = {
      {"processing", live},  {"approved", live},    {"asked_late", live}, {"asked_at_due", live},
      {"asked_in_time", {}}, {"asked_at_desk", {}}, {"returned", {}},     {"submitted", {}}};
  for (const auto& [id, expected] : want) {
    auto row = store.dossiers().get(id);
    ASSERT_OK(row);
    ASSERT_TRUE(row->has_value()) << id;
    EXPECT_EQ((*row)->live_due, expected) << id;
  }
  // The operations centre's count, through the new indexes.
  auto counts = store.dossiers().open_due_counts(std::stoll(due) + 1, {});
  ASSERT_OK(counts);
  EXPECT_EQ(*counts, (std::vector<std::pair<std::string, std::int64_t>>{{"00004", 4}}));
  auto one = store.dossiers().open_due_counts(std::stoll(due) + 1, {"00004"});
  ASSERT_OK(one);
  EXPECT_EQ(*one, (std::vector<std::pair<std::string, std::int64_t>>{{"00004", 4}}));
  // Migration 15: the deadline sweep finds the same four in the live-due
  // index, due at one time in one unit and so by id.
  auto swept = store.dossiers().deadline_candidates("overdue", {}, std::stoll(due), 10);
  ASSERT_OK(swept);
  std::vector<std::string> ids;
  for (const auto& r : *swept) ids.push_back(r.id);
  EXPECT_EQ(ids,
            (std::vector<std::string>{"approved", "asked_at_due", "asked_late", "processing"}));
}

TEST_P(DossierUpgradeTest, SeventeenLeavesCountersToRebuildWhenThereAreAny) {
  // Counted before a dossier's "supplemented" moved to its receipt day: the
  // rows are stale until recomputed from the dossiers, which clears the mark.
  make_schema(16);
  ASSERT_TRUE(
      run("INSERT INTO stats_daily (level, unit, day, received, supplemented)"
          " VALUES ('unit', '00004', 20300, 1, 1);"));
  auto opened = open_store(db_.url());
  ASSERT_OK(opened);
  auto& store = **opened;
  ASSERT_OK(store.migrate());
  auto due = store.stats().rebuild_due();
  ASSERT_OK(due);
  // Migration 20 marks the same rows for its own column.
  EXPECT_EQ(*due, (std::vector<std::string>{"received_at_desk", "supplemented_on_receipt_day"}));
  ASSERT_OK(store.stats().replace_all({}));
  due = store.stats().rebuild_due();
  ASSERT_OK(due);
  EXPECT_TRUE(due->empty());
}

// From 16, both migrations that mark counters (17 and 20) run.
TEST_P(DossierUpgradeTest, SeventeenAndTwentyOnADatabaseWithoutCountersLeaveNothingToRebuild) {
  make_schema(16);
  auto opened = open_store(db_.url());
  ASSERT_OK(opened);
  ASSERT_OK((*opened)->migrate());
  auto due = (*opened)->stats().rebuild_due();
  ASSERT_OK(due);
  EXPECT_TRUE(due->empty());
}

TEST_P(DossierUpgradeTest, TwentyAddsTheDesksCountAndLeavesCountersToRebuild) {
  // Rows counted before the receiving desk had a count: it reads 0 until the
  // counters are recomputed from the dossiers, on both tables.
  make_schema(19);
  ASSERT_TRUE(
      run("INSERT INTO stats_daily (level, unit, day, received) VALUES ('unit', '00004', 20300, 1);"
          "INSERT INTO stats_monthly (level, unit, month, received)"
          " VALUES ('unit', '00004', 20300, 1);"));
  auto opened = open_store(db_.url());
  ASSERT_OK(opened);
  auto& store = **opened;
  ASSERT_OK(store.migrate());
  auto due = store.stats().rebuild_due();
  ASSERT_OK(due);
  EXPECT_EQ(*due, std::vector<std::string>{"received_at_desk"});
  auto days = store.stats().all();
  ASSERT_OK(days);
  ASSERT_EQ(days->size(), 1u);
  EXPECT_EQ((*days)[0].counters[stats::Counter::kReceived], 1);
  EXPECT_EQ((*days)[0].counters[stats::Counter::kReceivedAtDesk], 0);
  auto months = store.stats().months();
  ASSERT_OK(months);
  ASSERT_EQ(months->size(), 1u);
  EXPECT_EQ((*months)[0].counters[stats::Counter::kReceivedAtDesk], 0);
  ASSERT_OK(store.stats().replace_all({}));
  due = store.stats().rebuild_due();
  ASSERT_OK(due);
  EXPECT_TRUE(due->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, DossierUpgradeTest,
                         ::testing::Values(std::string("sqlite"), std::string("postgresql")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace motcua::store
