// The dossiers area's contract on SQLite and, when MOTCUA_TEST_PG_URL names a
// server, on PostgreSQL: a dossier, its event and its outbox row are written
// together or not at all; a stale version changes nothing; receipt sequences
// are gap-free under concurrent writers (separate connections), also when
// some receipts fail; idempotency keys, the inbox with its cursor and the
// group-commit batch behave as the interface says.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "common/sha256.hpp"
#include "domain/calendar/civil_date.hpp"
#include "domain/stats/period.hpp"
#include "domain/stats/rollup.hpp"
#include "dossier_rows.hpp"
#include "store/group_commit.hpp"
#include "store/migrations/migration.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace motcua::store {
namespace {

using test_support::describe;

using test_support::event;
using test_support::record;

// A change made outside the transaction from `base` (as save_prepared takes
// it): `base` in `state`, one version on, its event chained from base's head.
std::pair<DossierRecord, dossier::Event> prepared_change(const DossierRecord& base,
                                                         const std::string& state,
                                                         const std::string& action) {
  DossierRecord r = base;
  r.state = state;
  dossier::Event e = event(action, "submitted", state);
  e.dossier_id = r.id;
  r.head = dossier::append_event(e, base.head, r.body);
  r.version = base.version + 1;
  return {r, e};
}

class DossierStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!db_.make(GetParam(), "d")) GTEST_SKIP() << test_support::kNoPostgres;
    auto s = open_store(db_.url());
    ASSERT_OK(s);
    store_ = std::move(*s);
    ASSERT_OK(store_->migrate());
  }

  void TearDown() override { store_.reset(); }

  DossiersStore& dossiers() { return store_->dossiers(); }

  // Creates dossier `id` in state submitted.
  void create(const std::string& id, const std::string& unit = "00004") {
    ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
      DossierRecord r = record(id, unit);
      auto e = event("submit", "draft", "submitted");
      return t.save(r, 0, e);
    }));
  }

  test_support::TestDatabase db_;
  std::unique_ptr<Store> store_;
};

TEST_P(DossierStoreTest, CreateWritesRowEventAndOutboxTogether) {
  create("d1");
  auto got = dossiers().get("d1");
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  const DossierRecord& r = **got;
  EXPECT_EQ(r.version, 1);
  EXPECT_EQ(r.state, "submitted");
  EXPECT_EQ(r.body, R"({"id":"d1"})");
  EXPECT_FALSE(r.due_at.has_value());
  EXPECT_EQ(r.head.seq, 1);

  auto events = dossiers().events("d1");
  ASSERT_OK(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].action, "submit");
  EXPECT_EQ((*events)[0].hash, r.head.hash);
  EXPECT_TRUE(dossier::verify_chain(*events, {}, r.head).ok());

  auto outbox = dossiers().pending_outbox(10);
  ASSERT_OK(outbox);
  ASSERT_EQ(outbox->size(), 1u);
  EXPECT_EQ((*outbox)[0].dossier_id, "d1");
  EXPECT_EQ((*outbox)[0].topic, "dossier.submit");
  EXPECT_EQ((*outbox)[0].event_seq, 1);
}

// The outbox keeps no copy of a change's log entry: each row's payload is its
// entry's canonical text, read from the log, whichever way the change was
// written (save, save_prepared inserting and updating); a deadline warning
// keeps the payload it was given.
TEST_P(DossierStoreTest, OutboxPayloadsAreTheLogEntriesTheyReferTo) {
  create("d1");
  DossierRecord fresh = record("d2");
  dossier::Event first = event("submit", "draft", "submitted");
  first.dossier_id = fresh.id;
  first.note = "ghi chú \"có dấu\"\tvà tab";
  first.payload_json = R"({"channel":"online"})";
  fresh.head = dossier::append_event(first, {}, fresh.body);
  fresh.version = 1;
  ASSERT_OK(dossiers().write([&](DossierTxn& t) { return t.save_prepared(fresh, 0, first); }));
  auto [received, receive] = prepared_change(fresh, "received", "receive");
  ASSERT_OK(dossiers().write([&](DossierTxn& t) { return t.save_prepared(received, 1, receive); }));
  ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
    auto f = t.flag_deadline("d2", "overdue", 2500, R"({"flag":"overdue"})");
    if (!f) return f.error();
    return ok();
  }));

  auto outbox = dossiers().pending_outbox(10);
  ASSERT_OK(outbox);
  ASSERT_EQ(outbox->size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) {
    const OutboxRow& row = (*outbox)[i];
    auto events = dossiers().events(row.dossier_id);
    ASSERT_OK(events);
    ASSERT_GE(events->size(), static_cast<std::size_t>(row.event_seq));
    const dossier::Event& entry = (*events)[static_cast<std::size_t>(row.event_seq - 1)];
    EXPECT_EQ(row.topic, "dossier." + entry.action);
    EXPECT_EQ(row.payload, dossier::canonical_event(entry)) << row.dossier_id;
  }
  EXPECT_EQ((*outbox)[1].dossier_id, "d2");
  EXPECT_NE((*outbox)[1].payload.find(R"(ghi chú \"có dấu\"\u0009và tab)"), std::string::npos);
  // The entry seals the body it left, and the outbox's copy says so.
  EXPECT_NE((*outbox)[1].payload.find(R"("body_sha256":")" + sha256_hex(fresh.body)),
            std::string::npos)
      << (*outbox)[1].payload;
  EXPECT_EQ((*outbox)[2].event_seq, 2);
  EXPECT_EQ((*outbox)[3].topic, "dossier.overdue");
  EXPECT_EQ((*outbox)[3].payload, R"({"flag":"overdue"})");
}

TEST_P(DossierStoreTest, BulkWritesAreReadAtOnceAndKeptAfterTheirSync) {
  // As a bulk load writes (simulate): each transaction committed without
  // waiting for its sync, one sync for them all, then the store reopened.
  for (const std::string id : {"b1", "b2", "b3"}) {
    ASSERT_OK(dossiers().write_bulk([&](DossierTxn& t) -> Result<void> {
      DossierRecord r = record(id, "00004");
      auto e = event("submit", "draft", "submitted");
      return t.save(r, 0, e);
    }));
    auto got = dossiers().get(id);
    ASSERT_OK(got);
    EXPECT_TRUE(got->has_value()) << id;
  }
  // A failing bulk write changes nothing.
  auto refused = dossiers().write_bulk([&](DossierTxn& t) -> Result<void> {
    DossierRecord r = record("b4", "00004");
    auto e = event("submit", "draft", "submitted");
    if (auto s = t.save(r, 0, e); !s) return s;
    return make_error(ErrorKind::kBadRequest, "không", "no");
  });
  EXPECT_FALSE(refused);
  ASSERT_OK(dossiers().sync());
  create("d5");  // an ordinary durable write after them

  store_.reset();
  auto s = open_store(db_.url());
  ASSERT_OK(s);
  store_ = std::move(*s);
  for (const std::string id : {"b1", "b2", "b3", "d5"}) {
    auto got = dossiers().get(id);
    ASSERT_OK(got);
    ASSERT_TRUE(got->has_value()) << id;
    auto events = dossiers().events(id);
    ASSERT_OK(events);
    EXPECT_TRUE(dossier::verify_chain(*events, {}, (*got)->head).ok()) << id;
  }
  auto gone = dossiers().get("b4");
  ASSERT_OK(gone);
  EXPECT_FALSE(gone->has_value());
}

TEST_P(DossierStoreTest, UpdateChainsEventsAndStaleVersionChangesNothing) {
  create("d1");
  ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
    auto cur = t.load("d1");
    if (!cur) return cur.error();
    DossierRecord r = **cur;
    r.state = "received";
    r.code = "H01.000.04-250701-0001";
    r.due_at = 1'752'000'000;
    auto e = event("receive", "submitted", "received");
    return t.save(r, 1, e);
  }));
  // Stale: the caller saw version 1, the row is at 2.
  auto stale = dossiers().write([&](DossierTxn& t) -> Result<void> {
    DossierRecord r = record("d1");
    r.state = "withdrawn";
    auto e = event("withdraw", "submitted", "withdrawn");
    return t.save(r, 1, e);
  });
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().kind, ErrorKind::kPreconditionFailed);

  auto got = dossiers().get_by_code("H01.000.04-250701-0001");
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->state, "received");
  EXPECT_EQ((*got)->version, 2);
  EXPECT_EQ((*got)->due_at, std::optional<std::int64_t>(1'752'000'000));
  auto events = dossiers().events("d1");
  ASSERT_OK(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].dossier_code, "H01.000.04-250701-0001");
  EXPECT_EQ((*events)[1].prev_hash, (*events)[0].hash);
  EXPECT_TRUE(dossier::verify_chain(*events, {}, (*got)->head).ok());
  auto outbox = dossiers().pending_outbox(10);
  ASSERT_OK(outbox);
  EXPECT_EQ(outbox->size(), 2u);
}

// Text with a NUL inside is never kept cut short: libpq ends a text parameter
// at the NUL, so PostgreSQL would have stored the note shorter than the hash
// the chain holds. Either the store keeps it whole (SQLite) or refuses the
// write and keeps nothing of it (PostgreSQL). The API refuses it before.
TEST_P(DossierStoreTest, ANoteWithANulIsKeptWholeOrNotWritten) {
  using namespace std::string_literals;
  create("d1");
  const std::string note = "thiếu\0giấy"s;
  auto written = dossiers().write([&](DossierTxn& t) -> Result<void> {
    auto cur = t.load("d1");
    if (!cur) return cur.error();
    DossierRecord r = **cur;
    r.state = "refused";
    auto e = event("refuse", "submitted", "refused");
    e.note = note;
    return t.save(r, 1, e);
  });
  auto got = dossiers().get("d1");
  ASSERT_OK(got);
  auto events = dossiers().events("d1");
  ASSERT_OK(events);
  EXPECT_TRUE(dossier::verify_chain(*events, {}, (*got)->head).ok());
  auto outbox = dossiers().pending_outbox(10);
  ASSERT_OK(outbox);
  if (written.ok()) {
    ASSERT_EQ(events->size(), 2u);
    EXPECT_EQ((*events)[1].note, note);
    EXPECT_EQ((*got)->version, 2);
    EXPECT_EQ(outbox->size(), 2u);
  } else {
    EXPECT_EQ(written.error().kind, ErrorKind::kInternal);
    EXPECT_EQ(events->size(), 1u);
    EXPECT_EQ((*got)->version, 1);
    EXPECT_EQ((*got)->state, "submitted");
    EXPECT_EQ(outbox->size(), 1u);
  }
}

// An action prepared outside the transaction from the row at version 1: a
// second one prepared from the same version finds the row moved on, gets 412
// and writes nothing (no row change, no event, no outbox row); a change that
// does not follow its version is refused before anything is written.
TEST_P(DossierStoreTest, PreparedChangeWritesOnlyOverTheVersionItWasMadeFrom) {
  create("d1");
  auto seen = dossiers().get("d1");
  ASSERT_OK(seen);
  const DossierRecord base = **seen;
  auto [received, receive] = prepared_change(base, "received", "receive");
  auto [withdrawn, withdraw] = prepared_change(base, "withdrawn", "withdraw");
  ASSERT_OK(dossiers().write(
      [&](DossierTxn& t) { return t.save_prepared(received, base.version, receive); }));
  auto late = dossiers().write(
      [&](DossierTxn& t) { return t.save_prepared(withdrawn, base.version, withdraw); });
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().kind, ErrorKind::kPreconditionFailed);
  EXPECT_NE(late.error().message_en.find("version 2, not 1"), std::string::npos)
      << late.error().message_en;
  DossierRecord skewed = withdrawn;
  skewed.version = 5;
  auto refused = dossiers().write(
      [&](DossierTxn& t) { return t.save_prepared(skewed, base.version + 1, withdraw); });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kInternal);

  auto got = dossiers().get("d1");
  ASSERT_OK(got);
  EXPECT_EQ((*got)->state, "received");
  EXPECT_EQ((*got)->version, 2);
  auto events = dossiers().events("d1");
  ASSERT_OK(events);
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[1].action, "receive");
  EXPECT_TRUE(dossier::verify_chain(*events, {}, (*got)->head).ok());
  auto outbox = dossiers().pending_outbox(10);
  ASSERT_OK(outbox);
  EXPECT_EQ(outbox->size(), 2u);
  auto gone = dossiers().write([&](DossierTxn& t) {
    DossierRecord r = received;
    r.id = "nobody";
    dossier::Event e = receive;
    e.dossier_id = "nobody";
    return t.save_prepared(r, base.version, e);
  });
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().kind, ErrorKind::kNotFound);
}

TEST_P(DossierStoreTest, PreparedNewDossierIsInsertedWithItsChainAndOutboxRow) {
  DossierRecord r = record("fresh");
  dossier::Event e = event("submit", "draft", "submitted");
  e.dossier_id = r.id;
  r.head = dossier::append_event(e, {}, r.body);
  r.version = 1;
  ASSERT_OK(dossiers().write([&](DossierTxn& t) { return t.save_prepared(r, 0, e); }));
  auto row = dossiers().get("fresh");
  ASSERT_OK(row);
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ((*row)->version, 1);
  EXPECT_EQ((*row)->head.hash, e.hash);
  auto events = dossiers().events("fresh");
  ASSERT_OK(events);
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].hash, e.hash);
  EXPECT_TRUE(dossier::verify_chain(*events, {}, r.head).ok());
  auto outbox = dossiers().pending_outbox(10);
  ASSERT_OK(outbox);
  ASSERT_EQ(outbox->size(), 1u);
  EXPECT_EQ((*outbox)[0].dossier_id, "fresh");
  // A first entry that does not follow the empty head is refused, and
  // nothing is written.
  DossierRecord bad = record("unchained");
  dossier::Event be = event("submit", "draft", "submitted");
  be.dossier_id = bad.id;
  bad.version = 1;
  auto refused = dossiers().write([&](DossierTxn& t) { return t.save_prepared(bad, 0, be); });
  ASSERT_FALSE(refused.ok());
  auto none = dossiers().get("unchained");
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
}

TEST_P(DossierStoreTest, FailedClosureRollsBackItsSequenceAndWrites) {
  auto failed = dossiers().write([&](DossierTxn& t) -> Result<void> {
    auto n = t.next_sequence("H01.000.04", "250701");
    if (!n) return n.error();
    EXPECT_EQ(*n, 1);
    DossierRecord r = record("lost");
    auto e = event("submit", "draft", "submitted");
    if (auto s = t.save(r, 0, e); !s) return s;
    return make_error(ErrorKind::kConflict, "không", "no");
  });
  ASSERT_FALSE(failed.ok());
  auto gone = dossiers().get("lost");
  ASSERT_OK(gone);
  EXPECT_FALSE(gone->has_value());
  ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
    auto n = t.next_sequence("H01.000.04", "250701");
    if (!n) return n.error();
    EXPECT_EQ(*n, 1);  // the failed receipt gave its number back
    auto other = t.next_sequence("H01.000.04", "250702");
    if (!other) return other.error();
    EXPECT_EQ(*other, 1);  // per day
    return ok();
  }));
  auto outbox = dossiers().pending_outbox(10);
  ASSERT_OK(outbox);
  EXPECT_TRUE(outbox->empty());
}

// Numbers taken and not used (a simulation's dossiers not received by its
// end) are given back only while no receipt has taken a later one.
TEST_P(DossierStoreTest, UnusedSequenceNumbersAreGivenBackUnlessTakenPast) {
  auto last_of = [&](const std::string& day) -> std::int64_t {
    auto all = dossiers().code_sequences();
    EXPECT_TRUE(all.ok());
    for (const auto& c : *all)
      if (c.agency_code == "H01.000.04" && c.day == day) return c.last;
    return 0;  // no row
  };
  ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
    auto first = t.next_sequence("H01.000.04", "250701", 5);  // 1..5, two used
    if (!first) return first.error();
    auto back = t.give_back_sequence("H01.000.04", "250701", 5, 2);
    if (!back) return back.error();
    EXPECT_TRUE(*back);
    auto none = t.next_sequence("H01.000.04", "250702", 3);  // 1..3, none used
    if (!none) return none.error();
    auto all = t.give_back_sequence("H01.000.04", "250702", 3, 0);
    if (!all) return all.error();
    EXPECT_TRUE(*all);
    auto taken = t.next_sequence("H01.000.04", "250703", 3);  // 1..3, then a receipt takes 4
    if (!taken) return taken.error();
    auto later = t.next_sequence("H01.000.04", "250703");
    if (!later) return later.error();
    auto kept = t.give_back_sequence("H01.000.04", "250703", 3, 1);
    if (!kept) return kept.error();
    EXPECT_FALSE(*kept);
    return ok();
  }));
  EXPECT_EQ(last_of("250701"), 2);
  EXPECT_EQ(last_of("250702"), 0);
  EXPECT_EQ(last_of("250703"), 4);
  ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
    auto n = t.next_sequence("H01.000.04", "250701");
    if (!n) return n.error();
    EXPECT_EQ(*n, 3);  // the next receipt goes on from the last used
    return ok();
  }));
}

TEST_P(DossierStoreTest, ConcurrentReceiptsGetGapFreeSequences) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 15;
  std::vector<std::thread> threads;
  std::vector<std::vector<std::int64_t>> got(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto s = open_store(db_.url());  // a connection of its own, like another process
      ASSERT_TRUE(s.ok());
      for (int i = 0; i < kPerThread; ++i) {
        const bool fail = i % 5 == 4;  // some receipts fail after taking a number
        std::int64_t seq = 0;
        auto r = (*s)->dossiers().write([&](DossierTxn& txn) -> Result<void> {
          auto n = txn.next_sequence("H01.000.04", "250701");
          if (!n) return n.error();
          seq = *n;
          DossierRecord rec = record("t" + std::to_string(t) + "_" + std::to_string(i));
          rec.code = "H01.000.04-250701-" + std::to_string(seq);
          auto e = event("receive", "draft", "received");
          if (auto w = txn.save(rec, 0, e); !w) return w;
          if (fail) return make_error(ErrorKind::kConflict, "không", "no");
          return ok();
        });
        EXPECT_EQ(r.ok(), !fail) << (r.ok() ? "" : describe(r.error()));
        if (r.ok()) got[t].push_back(seq);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<std::int64_t> all;
  for (const auto& v : got) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), static_cast<std::size_t>(kThreads * (kPerThread - 3)));
  for (std::size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], static_cast<std::int64_t>(i + 1));
  auto heads = dossiers().heads();
  ASSERT_OK(heads);
  EXPECT_EQ(heads->size(), all.size());
}

// audit verify's reads: every row with its chain, a page of rows at a time
// (more than one page here), and the receipt counters.
TEST_P(DossierStoreTest, AuditScanGivesEveryRowWithItsChainAndTheCounters) {
  constexpr int kDossiers = 1003;
  ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
    for (int i = 0; i < kDossiers; ++i) {
      DossierRecord r = record("a" + std::to_string(i));
      auto e = event("submit", "draft", "submitted");
      if (auto w = t.save(r, 0, e); !w) return w;
      if (i % 3 == 0) {  // some with a second entry
        r.state = "received";
        auto e2 = event("receive", "submitted", "received");
        if (auto w = t.save(r, r.version, e2); !w) return w;
      }
    }
    auto n = t.next_sequence("H01.000.04", "250701", 2);
    if (!n) return n.error();
    return ok();
  }));
  std::set<std::string> seen;
  std::size_t entries = 0;
  ASSERT_OK(store_->stats().in_one_snapshot([&]() -> Result<void> {
    return dossiers().audit_scan([&](const AuditDossier& d) -> Result<void> {
      EXPECT_TRUE(seen.insert(d.row.id).second) << d.row.id;
      auto alone = dossiers().events(d.row.id);
      if (!alone) return alone.error();
      EXPECT_EQ(d.events.size(), alone->size()) << d.row.id;
      for (std::size_t i = 0; i < d.events.size() && i < alone->size(); ++i) {
        EXPECT_EQ(d.events[i].hash, (*alone)[i].hash);
        EXPECT_EQ(d.events[i].dossier_id, d.row.id);
      }
      EXPECT_TRUE(dossier::verify_chain(d.events, {}, d.row.head).ok()) << d.row.id;
      EXPECT_EQ(d.row.version, static_cast<std::int64_t>(d.events.size()));
      EXPECT_EQ(d.events.back().to_state, d.row.state);
      EXPECT_FALSE(d.row.body.empty());
      entries += d.events.size();
      return ok();
    });
  }));
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kDossiers));
  EXPECT_EQ(entries, static_cast<std::size_t>(kDossiers + (kDossiers + 2) / 3));
  auto counters = dossiers().code_sequences();
  ASSERT_OK(counters);
  ASSERT_EQ(counters->size(), 1u);
  EXPECT_EQ((*counters)[0].agency_code, "H01.000.04");
  EXPECT_EQ((*counters)[0].day, "250701");
  EXPECT_EQ((*counters)[0].last, 2);
}

TEST_P(DossierStoreTest, IdempotencyKeysAreRemembered) {
  create("d1");
  ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
    auto none = t.find_idempotency("7:abc");
    if (!none) return none.error();
    EXPECT_FALSE(none->has_value());
    return t.put_idempotency({"7:abc", "h1", "d1", 1'751'340'000});
  }));
  ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
    auto found = t.find_idempotency("7:abc");
    if (!found) return found.error();
    EXPECT_TRUE(found->has_value());
    if (*found) {
      EXPECT_EQ((*found)->dossier_id, "d1");
      EXPECT_EQ((*found)->request_hash, "h1");
    }
    return ok();
  }));
  // A second row with the same key is refused by the database.
  EXPECT_FALSE(dossiers()
                   .write([&](DossierTxn& t) -> Result<void> {
                     return t.put_idempotency({"7:abc", "h2", "d1", 1'751'340'001});
                   })
                   .ok());
}

TEST_P(DossierStoreTest, InboxFiltersSortsByDueAndPages) {
  // d0..d4 at 00004 with due times 5,4,3,2,1 (reverse), d5 without a due time, x at 00005.
  for (int i = 0; i < 6; ++i) {
    ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
      DossierRecord r = record("d" + std::to_string(i));
      if (i < 5) {
        r.state = "received";
        r.due_at = 1'752'000'000 + (5 - i) * 100;
      }
      auto e = event("submit", "draft", r.state);
      return t.save(r, 0, e);
    }));
  }
  create("x", "00005");
  InboxQuery q;
  q.clauses.push_back(
      {InboxClause::Column::kCompetentUnit, "00004", "", {"received", "submitted"}});
  q.limit = 4;
  auto page1 = dossiers().inbox(q);
  ASSERT_OK(page1);
  ASSERT_EQ(page1->size(), 4u);
  EXPECT_EQ((*page1)[0].id, "d4");
  EXPECT_EQ((*page1)[3].id, "d1");
  q.after = std::make_pair(*(*page1)[3].due_at, (*page1)[3].id);
  auto page2 = dossiers().inbox(q);
  ASSERT_OK(page2);
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_EQ((*page2)[0].id, "d0");
  EXPECT_EQ((*page2)[1].id, "d5");  // no due time: last

  InboxQuery only_submitted = q;
  only_submitted.after.reset();
  only_submitted.state = "submitted";
  auto s = dossiers().inbox(only_submitted);
  ASSERT_OK(s);
  ASSERT_EQ(s->size(), 1u);
  EXPECT_EQ((*s)[0].id, "d5");

  InboxQuery assigned;
  assigned.clauses.push_back({InboxClause::Column::kCompetentUnit, "00004", "42", {"received"}});
  auto none = dossiers().inbox(assigned);
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());

  InboxQuery mine;
  mine.clauses.push_back({InboxClause::Column::kApplicant, "7", "", {"submitted"}});
  auto own = dossiers().inbox(mine);
  ASSERT_OK(own);
  EXPECT_EQ(own->size(), 2u);  // d5 and x
}

// The page size is a bound value (one statement kept per set of filters):
// pages of every size, followed by their cursor, list every dossier once.
TEST_P(DossierStoreTest, InboxPagesOfEverySizeListEveryDossierOnce) {
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back("e" + std::to_string(i));
    ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
      DossierRecord r = record(ids.back());
      r.due_at = 1'752'000'000 + i * 100;
      auto e = event("submit", "draft", "submitted");
      return t.save(r, 0, e);
    }));
  }
  InboxQuery q;
  q.clauses.push_back({InboxClause::Column::kCompetentUnit, "00004", "", {"submitted"}});
  for (std::size_t size = 1; size <= 6; ++size) {
    q.limit = size;
    q.after.reset();
    std::vector<std::string> seen;
    for (;;) {
      auto page = dossiers().inbox(q);
      ASSERT_OK(page);
      ASSERT_LE(page->size(), size);
      for (const auto& r : *page) seen.push_back(r.id);
      if (page->size() < size) break;
      q.after = std::make_pair(*page->back().due_at, page->back().id);
    }
    EXPECT_EQ(seen, ids) << "pages of " << size;
  }
}

TEST_P(DossierStoreTest, InboxByReceivingUnitFindsWhatItReceivedForItselfAndForOthers) {
  // The receiving-unit index holds only dossiers routed to another unit; the
  // inbox finds a unit's own receipts through the competent-unit index.
  struct Row {
    const char* id;
    const char* receiving;
    const char* competent;
    const char* state;
    const char* applicant;
  };
  const Row rows[] = {
      {"own", "00004", "00004", "received", "7"},     // received for itself
      {"routed", "00004", "00007", "received", ""},   // received for another unit, at the counter
      {"inbound", "00007", "00004", "received", "8"}, // received elsewhere for 00004
      {"draft", "00004", "00004", "submitted", "7"},  // a state the clause does not ask for
  };
  for (const Row& row : rows) {
    ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
      DossierRecord r = record(row.id);
      r.receiving_unit = row.receiving;
      r.competent_unit = row.competent;
      r.state = row.state;
      r.applicant_user_id = row.applicant;
      auto e = event("submit", "draft", r.state);
      return t.save(r, 0, e);
    }));
  }
  auto ids = [&](const InboxQuery& q) {
    std::vector<std::string> out;
    auto got = dossiers().inbox(q);
    EXPECT_TRUE(got.ok()) << (got.ok() ? "" : describe(got.error()));
    if (got) {
      for (const auto& r : *got) out.push_back(r.id);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  InboxQuery received;
  received.clauses.push_back({InboxClause::Column::kReceivingUnit, "00004", "", {"received"}});
  EXPECT_EQ(ids(received), (std::vector<std::string>{"own", "routed"}));

  // Both of a desk's clauses: each dossier once, whichever branches find it.
  InboxQuery desk = received;
  desk.clauses.push_back({InboxClause::Column::kCompetentUnit, "00004", "", {"received"}});
  EXPECT_EQ(ids(desk), (std::vector<std::string>{"inbound", "own", "routed"}));

  InboxQuery other;
  other.clauses.push_back({InboxClause::Column::kReceivingUnit, "00007", "", {"received"}});
  EXPECT_EQ(ids(other), (std::vector<std::string>{"inbound"}));

  // A dossier without an applicant account is no one's own.
  InboxQuery mine;
  mine.clauses.push_back({InboxClause::Column::kApplicant, "7", "", {"received", "submitted"}});
  EXPECT_EQ(ids(mine), (std::vector<std::string>{"draft", "own"}));
}

TEST_P(DossierStoreTest, BatchRollsBackOnlyTheFailingWrite) {
  std::vector<DossierWrite> writes;
  for (int i = 0; i < 3; ++i) {
    writes.push_back([i](DossierTxn& t) -> Result<void> {
      DossierRecord r = record("b" + std::to_string(i));
      auto e = event("submit", "draft", "submitted");
      if (auto s = t.save(r, 0, e); !s) return s;
      if (i == 1) return make_error(ErrorKind::kConflict, "không", "no");
      return ok();
    });
  }
  auto results = dossiers().write_batch(writes);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_FALSE(results[1].ok());
  EXPECT_TRUE(results[2].ok());
  for (int i = 0; i < 3; ++i) {
    auto got = dossiers().get("b" + std::to_string(i));
    ASSERT_OK(got);
    EXPECT_EQ(got->has_value(), i != 1);
  }
  auto outbox = dossiers().pending_outbox(10);
  ASSERT_OK(outbox);
  EXPECT_EQ(outbox->size(), 2u);
}

TEST_P(DossierStoreTest, GroupCommitAnswersEachWriteAfterItsBatchIsDurable) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  GroupCommitter committer(dossiers());
  std::atomic<int> answered{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = "g" + std::to_string(t) + "_" + std::to_string(i);
        const bool fail = i % 10 == 9;
        std::promise<Result<void>> done;
        auto answer = done.get_future();
        committer.submit(
            [&](DossierTxn& txn) -> Result<void> {
              auto n = txn.next_sequence("H01.000.04", "250702");
              if (!n) return n.error();
              DossierRecord rec = record(id);
              rec.code = "H01.000.04-250702-" + std::to_string(*n);
              auto e = event("receive", "draft", "received");
              if (auto w = txn.save(rec, 0, e); !w) return w;
              if (fail) return make_error(ErrorKind::kConflict, "không", "no");
              return ok();
            },
            [&](Result<void> r) { done.set_value(std::move(r)); });
        auto r = answer.get();
        EXPECT_EQ(r.ok(), !fail);
        // Acknowledged means committed: a fresh connection sees it at once.
        auto other = open_store(db_.url());
        ASSERT_TRUE(other.ok());
        auto got = (*other)->dossiers().get(id);
        ASSERT_OK(got);
        EXPECT_EQ(got->has_value(), !fail) << id;
        (fail ? refused : answered)++;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(answered.load(), kThreads * (kPerThread - 2));
  EXPECT_EQ(refused.load(), kThreads * 2);
  const auto stats = committer.stats();
  EXPECT_EQ(stats.writes, static_cast<std::uint64_t>(kThreads * kPerThread));
  EXPECT_LE(stats.batches, stats.writes);
  // The failed writes gave their numbers back: codes 1..N with no gap.
  std::vector<std::int64_t> seqs;
  auto heads = dossiers().heads();
  ASSERT_OK(heads);
  for (const auto& h : *heads) {
    seqs.push_back(std::stoll(h.code.substr(h.code.rfind('-') + 1)));
  }
  std::sort(seqs.begin(), seqs.end());
  ASSERT_EQ(seqs.size(), static_cast<std::size_t>(kThreads * (kPerThread - 2)));
  for (std::size_t i = 0; i < seqs.size(); ++i)
    EXPECT_EQ(seqs[i], static_cast<std::int64_t>(i + 1));
}

TEST_P(DossierStoreTest, DeadlineFlagsAreKeptOnceWithTheirOutboxWarning) {
  // The sweep's candidates are the dossiers with a live due time (the service
  // gives it: dossier::live_due): three being processed, due at 1000, 2000
  // and 3000, and one waiting since it was overdue; not one waiting since
  // before its due, nor a finished one.
  int n = 0;
  auto put = [&](const std::string& id, const std::string& unit, const std::string& state,
                 std::int64_t due, std::optional<std::int64_t> live) {
    ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
      DossierRecord r = record(id, unit);
      r.state = state;
      r.due_at = due;
      r.live_due = live;
      r.code = "H01.000.04-250701-" + std::to_string(++n);
      auto e = event("receive", "submitted", state);
      return t.save(r, 0, e);
    }));
  };
  put("late", "00004", "in_progress", 1000, 1000);
  put("soon", "00004", "received", 2000, 2000);
  put("later", "00004", "proposed", 3000, 3000);
  put("done", "00004", "returned", 500, std::nullopt);
  put("asked_late", "00004", "waiting_supplement", 1200, 1200);
  put("asked_in_time", "00004", "waiting_supplement", 1100, std::nullopt);
  // The ids of the candidates, in the order read.
  auto candidates = [&](const char* flag, const SweepKey& after, std::int64_t due_before,
                        std::size_t limit) {
    std::vector<std::string> ids;
    auto got = dossiers().deadline_candidates(flag, after, due_before, limit);
    EXPECT_TRUE(got.ok());
    if (got) {
      for (const auto& r : *got) ids.push_back(r.id);
    }
    return ids;
  };
  using Ids = std::vector<std::string>;
  // Soonest due first, the bound inclusive.
  EXPECT_EQ(candidates("overdue", {}, 2000, 10), (Ids{"late", "asked_late", "soon"}));

  auto before = dossiers().pending_outbox(100);
  ASSERT_OK(before);
  std::vector<bool> fresh;
  ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
    fresh.clear();
    for (const char* id : {"late", "late"}) {
      auto f = t.flag_deadline(id, "overdue", 2500, R"({"flag":"overdue"})");
      if (!f) return f.error();
      fresh.push_back(*f);
    }
    return ok();
  }));
  EXPECT_EQ(fresh, (std::vector<bool>{true, false}));  // the second time: already flagged
  auto after = dossiers().pending_outbox(100);
  ASSERT_OK(after);
  ASSERT_EQ(after->size(), before->size() + 1);
  EXPECT_EQ(after->back().topic, "dossier.overdue");
  EXPECT_EQ(after->back().dossier_id, "late");
  EXPECT_EQ(after->back().payload, R"({"flag":"overdue"})");

  // "late" is flagged now.
  EXPECT_EQ(candidates("overdue", {}, 2000, 10), (Ids{"asked_late", "soon"}));
  // Another kind of flag: all four again.
  EXPECT_EQ(candidates("due_soon", {}, 5000, 10).size(), 4u);
  // Due from a time on ({t, "", ""}): the bound is inclusive, and the limit counts from it.
  EXPECT_EQ(candidates("due_soon", {2000, "", ""}, 5000, 10), (Ids{"soon", "later"}));
  EXPECT_EQ(candidates("due_soon", {2001, "", ""}, 5000, 1), Ids{"later"});
  // Due at the same time: by unit, then by id; after one read, the next in
  // that order, then the later ones.
  put("soon-b", "00004", "in_progress", 2000, 2000);
  put("soon-c", "00001", "in_progress", 2000, 2000);
  EXPECT_EQ(candidates("due_soon", {2000, "", ""}, 5000, 10),
            (Ids{"soon-c", "soon", "soon-b", "later"}));
  EXPECT_EQ(candidates("due_soon", {2000, "00001", "soon-c"}, 5000, 10),
            (Ids{"soon", "soon-b", "later"}));
  EXPECT_EQ(candidates("due_soon", {2000, "00004", "soon"}, 5000, 10), (Ids{"soon-b", "later"}));
  EXPECT_EQ(candidates("due_soon", {2000, "00004", "soon-b"}, 5000, 10), Ids{"later"});
}

TEST_P(DossierStoreTest, BatchKeepsTheOthersWhenAWriteIsRefusedBeforeWriting) {
  create("r0");
  std::vector<DossierWrite> writes;
  writes.push_back([](DossierTxn& t) -> Result<void> {
    DossierRecord r = record("r1");
    auto e = event("submit", "draft", "submitted");
    return t.save(r, 0, e);
  });
  // A refusal after a read, before any write (a stale version, say).
  writes.push_back([](DossierTxn& t) -> Result<void> {
    auto got = t.load("r0");
    if (!got) return got.error();
    return make_error(ErrorKind::kPreconditionFailed, "cũ", "stale");
  });
  writes.push_back([](DossierTxn& t) -> Result<void> {
    auto got = t.load("r0");
    if (!got) return got.error();
    DossierRecord r = record("r0");
    r.state = "received";
    auto e = event("receive", "submitted", "received");
    return t.save(r, (*got)->version, e);
  });
  auto results = dossiers().write_batch(writes);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok());
  ASSERT_FALSE(results[1].ok());
  EXPECT_EQ(results[1].error().kind, ErrorKind::kPreconditionFailed);
  EXPECT_TRUE(results[2].ok()) << (results[2].ok() ? "" : describe(results[2].error()));
  auto r1 = dossiers().get("r1");
  ASSERT_OK(r1);
  EXPECT_TRUE(r1->has_value());
  auto r0 = dossiers().get("r0");
  ASSERT_OK(r0);
  EXPECT_EQ((*r0)->state, "received");
  EXPECT_EQ((*r0)->version, 2);
  auto events = dossiers().events("r0");
  ASSERT_OK(events);
  EXPECT_EQ(events->size(), 2u);
}

// --- The operations centre's counters (written with the dossiers) -----------

stats::Row stat(stats::Level level, std::string unit, std::int64_t day, stats::Counter c,
                std::int64_t n) {
  stats::Row r{{level, std::move(unit), day}, {}};
  r.counters[c] = n;
  return r;
}

TEST_P(DossierStoreTest, StatsAreMergedPerBatchAndRolledBackWithTheirClosure) {
  using stats::Counter;
  using stats::Level;
  std::vector<DossierWrite> batch;
  batch.push_back([](DossierTxn& t) -> Result<void> {
    t.add_stats({stat(Level::kUnit, "00004", 20000, Counter::kReceived, 1)});
    return ok();
  });
  batch.push_back([](DossierTxn& t) -> Result<void> {
    t.add_stats({stat(Level::kUnit, "00004", 20000, Counter::kReceived, 2)});
    return make_error(ErrorKind::kConflict, "thử", "refused");
  });
  batch.push_back([](DossierTxn& t) -> Result<void> {
    t.add_stats({stat(Level::kUnit, "00004", 20000, Counter::kReceived, 4),
                 stat(Level::kUnit, "00004", 20001, Counter::kFinished, 1),
                 stat(Level::kProvince, "01", 20000, Counter::kReceived, 4)});
    return ok();
  });
  auto results = dossiers().write_batch(batch);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_FALSE(results[1].ok());
  EXPECT_TRUE(results[2].ok());
  auto& st = store_->stats();
  auto sum = st.sum(Level::kUnit, "00004", 20000, 20001);
  ASSERT_OK(sum);
  EXPECT_EQ((*sum)[Counter::kReceived], 5);
  EXPECT_EQ((*sum)[Counter::kFinished], 1);
  auto one_day = st.sum(Level::kUnit, "00004", 20001, 20001);
  ASSERT_OK(one_day);
  EXPECT_EQ((*one_day)[Counter::kReceived], 0);
  // A later write adds to the same row; a negative delta takes away.
  ASSERT_OK(dossiers().write([](DossierTxn& t) -> Result<void> {
    t.add_stats({stat(Level::kUnit, "00004", 20000, Counter::kReceived, -2)});
    return ok();
  }));
  sum = st.sum(Level::kUnit, "00004", 20000, 20000);
  ASSERT_OK(sum);
  EXPECT_EQ((*sum)[Counter::kReceived], 3);
  // A closure that fails alone in write() leaves nothing.
  EXPECT_FALSE(dossiers().write([](DossierTxn& t) -> Result<void> {
    t.add_stats({stat(Level::kUnit, "00004", 20000, Counter::kReceived, 100)});
    return make_error(ErrorKind::kConflict, "thử", "refused");
  }).ok());
  sum = st.sum(Level::kUnit, "00004", 20000, 20000);
  ASSERT_OK(sum);
  EXPECT_EQ((*sum)[Counter::kReceived], 3);
}

// A batch whose writes go out without waiting for their answers (PostgreSQL's
// pipeline): a prepared change over a row that moved on, and an insert that
// breaks a constraint, are found only at the commit. The batch then runs again
// closure by closure: each write lands exactly once, the two bad ones fail
// alone, and the counters count the good ones once.
TEST_P(DossierStoreTest, BatchWithLateFailuresWritesEveryGoodChangeOnce) {
  using stats::Counter;
  using stats::Level;
  create("p0");
  auto seen = dossiers().get("p0");
  ASSERT_OK(seen);
  const DossierRecord base = **seen;
  auto change = [&](const std::string& state) { return prepared_change(base, state, state); };
  auto counted = [](DossierTxn& t) {
    t.add_stats({stat(Level::kUnit, "00004", 20000, Counter::kReceived, 1)});
  };
  std::vector<DossierWrite> batch;
  batch.push_back([&](DossierTxn& t) -> Result<void> {
    DossierRecord r = record("p1");
    auto e = event("submit", "draft", "submitted");
    counted(t);
    return t.save(r, 0, e);
  });
  batch.push_back([&, c = change("received")](DossierTxn& t) -> Result<void> {
    counted(t);
    return t.save_prepared(c.first, base.version, c.second);
  });
  batch.push_back([&, c = change("withdrawn")](DossierTxn& t) -> Result<void> {
    counted(t);
    return t.save_prepared(c.first, base.version, c.second);  // p0 moved on just before
  });
  batch.push_back([&](DossierTxn& t) -> Result<void> {
    DossierRecord r = record("p1");  // p1 again: the primary key refuses it
    auto e = event("submit", "draft", "submitted");
    counted(t);
    return t.save(r, 0, e);
  });
  batch.push_back([&](DossierTxn& t) -> Result<void> {
    DossierRecord r = record("p2");
    auto e = event("submit", "draft", "submitted");
    counted(t);
    return t.save(r, 0, e);
  });
  auto results = dossiers().write_batch(batch);
  ASSERT_EQ(results.size(), 5u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_TRUE(results[1].ok()) << (results[1].ok() ? "" : describe(results[1].error()));
  ASSERT_FALSE(results[2].ok());
  EXPECT_EQ(results[2].error().kind, ErrorKind::kPreconditionFailed);
  EXPECT_FALSE(results[3].ok());
  EXPECT_TRUE(results[4].ok());
  auto p0 = dossiers().get("p0");
  ASSERT_OK(p0);
  EXPECT_EQ((*p0)->state, "received");
  EXPECT_EQ((*p0)->version, 2);
  for (const char* id : {"p0", "p1", "p2"}) {
    auto events = dossiers().events(id);
    ASSERT_OK(events);
    EXPECT_EQ(events->size(), std::string(id) == "p0" ? 2u : 1u) << id;
  }
  auto outbox = dossiers().pending_outbox(20);
  ASSERT_OK(outbox);
  EXPECT_EQ(outbox->size(), 4u);  // p0's submit and receive, p1, p2
  auto sum = store_->stats().sum(Level::kUnit, "00004", 20000, 20000);
  ASSERT_OK(sum);
  EXPECT_EQ((*sum)[Counter::kReceived], 3);
}

// New dossiers in one batch (as submissions arrive at the group commit):
// PostgreSQL writes them together, all their columns in one statement, and
// their Idempotency-Keys after them. Every byte of a row arrives as it was
// (quotes, backslashes, tabs, new lines, Vietnamese), a missing code or due
// time stays missing, the batch is written at its first attempt, and a new
// dossier whose id is taken fails alone when the batch runs again.
TEST_P(DossierStoreTest, NewDossiersOfABatchAreWrittenTogetherWithTheirKeys) {
  create("taken");
  auto fresh = [](const std::string& id, const std::string& code, std::optional<std::int64_t> due,
                  const std::string& note) {
    DossierRecord r = record(id);
    r.code = code;
    r.due_at = due;
    r.body = R"({"id":")" + id + R"(","ghi_chu":"Hồ sơ \"gấp\"\tC:\\dữ liệu\n"})";
    dossier::Event e = event("submit", "draft", "submitted");
    e.note = note;
    e.payload_json = R"({"channel":"online","x":"a\"b"})";
    e.dossier_id = r.id;
    e.dossier_code = r.code;
    r.head = dossier::append_event(e, {}, r.body);
    r.version = 1;
    return std::pair{r, e};
  };
  using Made = std::vector<std::pair<DossierRecord, dossier::Event>>;
  auto submit_all = [&](const Made& made) {
    std::vector<DossierWrite> batch;
    for (const auto& m : made) {
      batch.push_back([&m](DossierTxn& t) -> Result<void> {
        if (auto s = t.save_prepared(m.first, 0, m.second); !s) return s;
        return t.put_idempotency({"key-" + m.first.id, "h", m.first.id, 1});
      });
    }
    return dossiers().write_batch(batch);
  };
  auto expect_written = [&](const DossierRecord& r, const dossier::Event& e) {
    auto row = dossiers().get(r.id);
    ASSERT_OK(row);
    ASSERT_TRUE(row->has_value()) << r.id;
    EXPECT_EQ((*row)->body, r.body);
    EXPECT_EQ((*row)->code, r.code);
    EXPECT_EQ((*row)->due_at, r.due_at);
    EXPECT_EQ((*row)->version, 1);
    EXPECT_EQ((*row)->head.hash, e.hash);
    auto events = dossiers().events(r.id);
    ASSERT_OK(events);
    ASSERT_EQ(events->size(), 1u);
    EXPECT_EQ((*events)[0].note, e.note);
    EXPECT_EQ((*events)[0].payload_json, e.payload_json);
    EXPECT_TRUE(dossier::verify_chain(*events, {}, (*row)->head).ok());
    ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
      auto found = t.find_idempotency("key-" + r.id);
      if (!found) return found.error();
      EXPECT_TRUE(found->has_value()) << r.id;
      if (*found) {
        EXPECT_EQ((*found)->dossier_id, r.id);
      }
      return ok();
    }));
  };
  // A batch that all goes in, at the first attempt.
  const std::uint64_t reruns = dossiers().batches_rerun();
  const Made first = {fresh("n1", "", std::nullopt, "tab\there, quote \" and \\"),
                      fresh("n2", "H01.000.04-250701-0001", 1'751'500'000, "dòng một\ndòng hai"),
                      fresh("n3", "", 1'751'600'000, "")};
  auto results = submit_all(first);
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) EXPECT_TRUE(r.ok()) << (r.ok() ? "" : describe(r.error()));
  for (const auto& [r, e] : first) expect_written(r, e);
  EXPECT_EQ(dossiers().batches_rerun(), reruns) << "the batch was written a savepoint a write";
  // One that clashes: it fails alone.
  const Made second = {fresh("n4", "", std::nullopt, "before"),
                       fresh("taken", "", std::nullopt, "an id already used"),
                       fresh("n5", "", std::nullopt, "after")};
  results = submit_all(second);
  ASSERT_EQ(results.size(), 3u);
  EXPECT_TRUE(results[0].ok());
  EXPECT_FALSE(results[1].ok()) << "the id 'taken' was used twice";
  EXPECT_TRUE(results[2].ok());
  // SQLite undoes the failed statement alone and goes on; PostgreSQL's
  // transaction is aborted by it, and the batch runs again.
  EXPECT_EQ(dossiers().batches_rerun(), reruns + (GetParam() == "postgresql" ? 1 : 0));
  expect_written(second[0].first, second[0].second);
  expect_written(second[2].first, second[2].second);
  auto taken = dossiers().get("taken");
  ASSERT_OK(taken);
  EXPECT_NE((*taken)->body, second[1].first.body) << "the failed closure wrote over the first";
  auto outbox = dossiers().pending_outbox(20);
  ASSERT_OK(outbox);
  std::vector<std::string> ids;
  for (const auto& o : *outbox) ids.push_back(o.dossier_id);
  EXPECT_EQ(ids, (std::vector<std::string>{"taken", "n1", "n2", "n3", "n4", "n5"}));
}

TEST_P(DossierStoreTest, BulkWritersAtOnceKeepEveryRowAndShareTheCounters) {
  // As simulate's writers: threads each writing transactions of new dossiers
  // and counters that every transaction upserts (the nation's, the
  // province's). Where the store runs two at once (PostgreSQL), the first
  // transactions wait for each other inside, so both hold their rows and
  // then meet on the same counters; they must neither deadlock nor lose a
  // count.
  using stats::Counter;
  using stats::Level;
  const bool together = dossiers().bulk_writers() >= 2;
  constexpr int kWriters = 2, kRounds = 4, kEach = 3;
  std::atomic<int> inside{0};
  auto id_of = [](int w, int round, int k) {
    return "w" + std::to_string(w) + "-" + std::to_string(round) + "-" + std::to_string(k);
  };
  auto load = [&](int w) -> Result<void> {
    for (int round = 0; round < kRounds; ++round) {
      auto r = dossiers().write_bulk([&](DossierTxn& t) -> Result<void> {
        for (int k = 0; k < kEach; ++k) {
          DossierRecord rec = record(id_of(w, round, k));
          auto e = event("submit", "draft", "submitted");
          if (auto s = t.save(rec, 0, e); !s) return s;
        }
        if (together && round == 0) {
          inside.fetch_add(1);
          const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(20);
          while (inside.load() < kWriters) {
            if (std::chrono::steady_clock::now() > give_up) {
              return make_error(ErrorKind::kInternal, "không cùng lúc",
                                "the bulk writers did not run at once");
            }
            std::this_thread::yield();
          }
        }
        t.add_stats(
            {stat(Level::kUnit, "0000" + std::to_string(w), 20000, Counter::kReceived, kEach),
             stat(Level::kProvince, "01", 20000, Counter::kReceived, kEach),
             stat(Level::kNation, "VN", 20000, Counter::kReceived, kEach)});
        return ok();
      });
      if (!r) return r;
    }
    return ok();
  };
  std::vector<std::future<Result<void>>> runs;
  for (int w = 0; w < kWriters; ++w) runs.push_back(std::async(std::launch::async, load, w));
  for (auto& r : runs) ASSERT_OK(r.get());
  ASSERT_OK(dossiers().sync());

  for (int w = 0; w < kWriters; ++w) {
    for (int round = 0; round < kRounds; ++round) {
      for (int k = 0; k < kEach; ++k) {
        auto got = dossiers().get(id_of(w, round, k));
        ASSERT_OK(got);
        ASSERT_TRUE(got->has_value()) << id_of(w, round, k);
        auto events = dossiers().events(id_of(w, round, k));
        ASSERT_OK(events);
        EXPECT_TRUE(dossier::verify_chain(*events, {}, (*got)->head).ok());
      }
    }
    auto unit = store_->stats().sum(Level::kUnit, "0000" + std::to_string(w), 20000, 20000);
    ASSERT_OK(unit);
    EXPECT_EQ((*unit)[Counter::kReceived], kRounds * kEach) << w;
  }
  for (auto [level, code] : {std::pair{Level::kProvince, "01"}, std::pair{Level::kNation, "VN"}}) {
    auto sum = store_->stats().sum(level, code, 20000, 20000);
    ASSERT_OK(sum);
    EXPECT_EQ((*sum)[Counter::kReceived], kWriters * kRounds * kEach) << code;
  }
}

TEST_P(DossierStoreTest, StatsSumEachDaysAndReplaceAll) {
  using stats::Counter;
  using stats::Level;
  ASSERT_OK(dossiers().write([](DossierTxn& t) -> Result<void> {
    t.add_stats({stat(Level::kUnit, "00004", 20000, Counter::kReceived, 3),
                 stat(Level::kUnit, "00004", 20002, Counter::kReceived, 5),
                 stat(Level::kUnit, "00004", 20002, Counter::kLate, 4),
                 stat(Level::kUnit, "00004", 20002, Counter::kFinished, 6),
                 stat(Level::kUnit, "00007", 20001, Counter::kReceived, 7),
                 stat(Level::kUnit, "00007", stats::kGaugeDay, Counter::kOpen, 2),
                 stat(Level::kUnit, "00010", 20009, Counter::kReceived, 11)});
    return ok();
  }));
  auto& st = store_->stats();
  auto each = st.sum_each(Level::kUnit, {"00004", "00007", "00099"}, 20000, 20005);
  ASSERT_OK(each);
  ASSERT_EQ(each->size(), 2u);
  EXPECT_EQ((*each)[0].first, "00004");
  EXPECT_EQ((*each)[0].second[Counter::kReceived], 8);
  EXPECT_EQ((*each)[1].first, "00007");
  EXPECT_EQ((*each)[1].second[Counter::kReceived], 7);
  EXPECT_EQ((*each)[1].second[Counter::kOpen], 0);  // the gauge is day 0, outside the range
  auto days = st.days(Level::kUnit, "00004", 20000, 20005);
  ASSERT_OK(days);
  ASSERT_EQ(days->size(), 2u);
  EXPECT_EQ((*days)[1].key.day, 20002);
  EXPECT_EQ((*days)[1].counters[Counter::kReceived], 5);
  EXPECT_EQ((*days)[1].counters[Counter::kLate], 4);
  EXPECT_EQ((*days)[1].counters[Counter::kFinished], 6);
  // Only the counters asked for, in the order asked; the others read as 0.
  const Counter only[] = {Counter::kLate, Counter::kReceived};
  auto some = st.days(Level::kUnit, "00004", 20001, 20005, only);
  ASSERT_OK(some);
  ASSERT_EQ(some->size(), 1u);
  EXPECT_EQ((*some)[0].key.day, 20002);
  EXPECT_EQ((*some)[0].key.unit, "00004");
  EXPECT_EQ((*some)[0].counters[Counter::kReceived], 5);
  EXPECT_EQ((*some)[0].counters[Counter::kLate], 4);
  EXPECT_EQ((*some)[0].counters[Counter::kFinished], 0);
  auto all = st.all();
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 5u);
  std::vector<stats::Row> fresh = {stat(Level::kNation, "VN", 20000, Counter::kReceived, 42)};
  // A rebuild computed before a counted change is refused, and changes nothing:
  // the change would be lost under it.
  std::vector<stats::Row> stale = *all;
  stale[0].counters.v[0] += 1;
  auto refused = st.replace_all(fresh, &stale);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kConflict);
  auto unchanged = st.all();
  ASSERT_OK(unchanged);
  EXPECT_EQ(*unchanged, *all);
  ASSERT_OK(st.replace_all(fresh, &*all));  // as seen: replaced
  all = st.all();
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].key, fresh[0].key);
  EXPECT_EQ((*all)[0].counters, fresh[0].counters);
}

// The reads of one answer see one committed state: a write that commits
// between them (here on another thread) is not seen until the snapshot ends;
// snapshots nest; a failure inside ends the snapshot, and reads go on.
TEST_P(DossierStoreTest, ReadsInOneSnapshotDoNotSeeAWriteCommittedBetweenThem) {
  using stats::Counter;
  using stats::Level;
  const auto add = [&](std::int64_t n) {
    return dossiers().write([&](DossierTxn& t) -> Result<void> {
      t.add_stats({stat(Level::kUnit, "00004", 20000, Counter::kReceived, n),
                   stat(Level::kUnit, "00004", stats::kGaugeDay, Counter::kOpen, n)});
      return ok();
    });
  };
  ASSERT_OK(add(3));
  auto& st = store_->stats();
  const auto received = [&] {
    return (*st.sum(Level::kUnit, "00004", 20000, 20000))[Counter::kReceived];
  };
  const auto open = [&] { return (*st.sum(Level::kUnit, "00004", 0, 0))[Counter::kOpen]; };
  std::int64_t before = 0, after_write = 0, open_inside = 0, nested = 0;
  ASSERT_OK(st.in_one_snapshot([&]() -> Result<void> {
    before = received();
    auto w = std::async(std::launch::async, [&] { return add(4); }).get();
    if (!w) return w.error();
    after_write = received();
    open_inside = open();
    return st.in_one_snapshot([&]() -> Result<void> {
      nested = received();
      return ok();
    });
  }));
  EXPECT_EQ(before, 3);
  EXPECT_EQ(after_write, 3) << "a read inside the snapshot saw a later commit";
  EXPECT_EQ(open_inside, 3);
  EXPECT_EQ(nested, 3);
  EXPECT_EQ(received(), 7);  // after it: the commit is there
  EXPECT_EQ(open(), 7);

  auto failed = st.in_one_snapshot([&]() -> Result<void> {
    if (received() != 7) return make_error(ErrorKind::kInternal, "sai", "wrong count");
    return make_error(ErrorKind::kConflict, "dừng", "stopped on purpose");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message_en, "stopped on purpose");
  ASSERT_OK(add(1));
  EXPECT_EQ(received(), 8);  // the failed snapshot's session reads the present again
  ASSERT_OK(st.in_one_snapshot([&]() -> Result<void> {
    return received() == 8 ? ok() : make_error(ErrorKind::kInternal, "sai", "a stale snapshot");
  }));
}

// Rows over three months and a year boundary, written by two batches, so the
// monthly rollup is both inserted and added to.
std::vector<stats::Row> rows_over_months(std::int64_t scale) {
  using stats::Counter;
  using stats::Level;
  const auto d = [](int y, int m, int dd) { return calendar::days_from_civil({y, m, dd}); };
  return {stat(Level::kUnit, "00004", d(2025, 11, 30), Counter::kReceived, 1 * scale),
          stat(Level::kUnit, "00004", d(2025, 12, 1), Counter::kReceived, 2 * scale),
          stat(Level::kUnit, "00004", d(2025, 12, 17), Counter::kLate, 3 * scale),
          stat(Level::kUnit, "00004", d(2025, 12, 31), Counter::kReceived, 4 * scale),
          stat(Level::kUnit, "00004", d(2026, 1, 1), Counter::kReceived, 5 * scale),
          stat(Level::kUnit, "00004", stats::kGaugeDay, Counter::kOpen, 6 * scale),
          stat(Level::kUnit, "00007", d(2025, 12, 2), Counter::kReceived, 7 * scale),
          stat(Level::kNation, "VN", d(2025, 12, 9), Counter::kFinished, 8 * scale)};
}

TEST_P(DossierStoreTest, AFigureOverWholeMonthsEqualsTheSumOfItsDays) {
  using stats::Counter;
  using stats::Level;
  for (std::int64_t scale : {1, 10}) {
    ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
      t.add_stats(rows_over_months(scale));
      return ok();
    }));
  }
  auto& st = store_->stats();
  auto months = st.months();
  ASSERT_OK(months);
  std::vector<stats::Row> want = stats::months_of(rows_over_months(11));
  // The store orders levels by name, the domain by rank.
  std::sort(months->begin(), months->end(),
            [](const stats::Row& a, const stats::Row& b) { return a.key < b.key; });
  ASSERT_EQ(months->size(), want.size());  // Nov, Dec, Jan for 00004; Dec for 00007 and VN
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ((*months)[i].key, want[i].key);
    EXPECT_EQ((*months)[i].counters, want[i].counters);
  }
  // Ranges read as months, as months less some days, and as days: each equals its days.
  const auto d = [](int y, int m, int dd) { return calendar::days_from_civil({y, m, dd}); };
  for (auto [from, to] : {std::pair{d(2025, 12, 1), d(2025, 12, 31)},
                          std::pair{d(2025, 11, 30), d(2026, 1, 1)},
                          std::pair{d(2025, 11, 1), d(2026, 1, 31)},
                          std::pair{d(2025, 12, 2), d(2025, 12, 31)},   // less 1 Dec
                          std::pair{d(2025, 12, 1), d(2025, 12, 30)},   // less 31 Dec
                          std::pair{d(2025, 12, 2), d(2026, 1, 1)},
                          std::pair{d(2025, 1, 1), d(2025, 12, 31)}}) {
    auto days = st.days(Level::kUnit, "00004", from, to);
    ASSERT_OK(days);
    stats::Counters by_day;
    for (const auto& r : *days) by_day += r.counters;
    auto sum = st.sum(Level::kUnit, "00004", from, to);
    ASSERT_OK(sum);
    EXPECT_EQ(*sum, by_day) << stats::day_iso(from) << ".." << stats::day_iso(to);
    auto each = st.sum_each(Level::kUnit, {"00004", "00007"}, from, to);
    ASSERT_OK(each);
    ASSERT_FALSE(each->empty());
    EXPECT_EQ((*each)[0].first, "00004");
    EXPECT_EQ((*each)[0].second, by_day);
    // Some counters only: those equal their days' sums, the others are left 0.
    static constexpr Counter kSome[] = {Counter::kLate, Counter::kReceived};
    auto some = st.sum_each(Level::kUnit, {"00004", "00007"}, from, to, kSome);
    ASSERT_OK(some);
    ASSERT_FALSE(some->empty());
    stats::Counters want;
    want[Counter::kLate] = by_day[Counter::kLate];
    want[Counter::kReceived] = by_day[Counter::kReceived];
    EXPECT_EQ((*some)[0].second, want) << stats::day_iso(from) << ".." << stats::day_iso(to);
  }
  auto whole = st.sum(Level::kUnit, "00004", d(2025, 11, 1), d(2026, 1, 31));
  ASSERT_OK(whole);
  EXPECT_EQ((*whole)[Counter::kReceived], 11 * (1 + 2 + 4 + 5));
  EXPECT_EQ((*whole)[Counter::kLate], 11 * 3);
  EXPECT_EQ((*whole)[Counter::kOpen], 0);  // the gauge has no month
  auto gauge = st.sum(Level::kUnit, "00004", stats::kGaugeDay, stats::kGaugeDay);
  ASSERT_OK(gauge);
  EXPECT_EQ((*gauge)[Counter::kOpen], 66);
  // A rebuild replaces the rollup with its own.
  ASSERT_OK(st.replace_all({stat(Level::kUnit, "00004", d(2025, 12, 5), Counter::kReceived, 1)}));
  months = st.months();
  ASSERT_OK(months);
  ASSERT_EQ(months->size(), 1u);
  EXPECT_EQ((*months)[0].key.day, d(2025, 12, 1));
  EXPECT_EQ((*months)[0].counters[Counter::kReceived], 1);
}

TEST_P(DossierStoreTest, MigrationTwelveFillsTheRollupFromTheDailyRows) {
  ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
    t.add_stats(rows_over_months(3));
    return ok();
  }));
  auto kept = store_->stats().months();
  ASSERT_OK(kept);
  ASSERT_FALSE(kept->empty());
  // Empty the rollup as a database at schema 11 has it, then run the
  // migration's INSERT ... SELECT: it must give what the write path kept.
  const bool sqlite = GetParam() == "sqlite";
  const auto list = sqlite ? migrations::sqlite_migrations() : migrations::postgres_migrations();
  ASSERT_GE(list.size(), 12u);
  ASSERT_STREQ(list[11].name, "stats_monthly");
  const std::string migration = list[11].sql;
  const std::string fill = migration.substr(migration.find("INSERT INTO stats_monthly"));
  const std::string sql = "DELETE FROM stats_monthly; " + fill;
  if (sqlite) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_.sqlite_file().c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  } else {
    ASSERT_TRUE(db_.pg(sql));
  }
  auto filled = store_->stats().months();
  ASSERT_OK(filled);
  ASSERT_EQ(filled->size(), kept->size());
  for (std::size_t i = 0; i < kept->size(); ++i) {
    EXPECT_EQ((*filled)[i].key, (*kept)[i].key);
    EXPECT_EQ((*filled)[i].counters, (*kept)[i].counters);
  }
}

TEST_P(DossierStoreTest, OpenDossiersPastDueAreFoundByUnit) {
  // The store finds dossiers by the live due time the service gives it
  // (dossier::live_due): the due time of an open dossier being processed, or
  // of one waiting for the applicant since it was overdue; none otherwise.
  auto put = [&](const std::string& id, const std::string& unit, const std::string& state,
                 std::int64_t due, std::optional<std::int64_t> live) {
    ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
      DossierRecord r = record(id, unit);
      r.state = state;
      r.due_at = due;
      r.live_due = live;
      auto e = event("receive", "submitted", state);
      return t.save(r, 0, e);
    }));
  };
  put("o1", "00004", "in_progress", 1000, 1000);
  put("o2", "00004", "received", 2000, 2000);
  put("o3", "00007", "approved", 1500, 1500);
  put("o4", "00007", "waiting_supplement", 1000, std::nullopt);  // asked in time: clock stopped
  put("o5", "00007", "returned", 1000, std::nullopt);            // finished
  put("o6", "00004", "in_progress", 9000, 9000);                 // not due yet
  put("o7", "00009", "waiting_supplement", 1200, 1200);          // asked when already overdue
  // The live due time is read back as written, and changes with the row.
  auto seven = dossiers().get("o7");
  ASSERT_OK(seven);
  EXPECT_EQ(seven->value_or(DossierRecord{}).live_due, std::optional<std::int64_t>(1200));
  ASSERT_OK(dossiers().write([&](DossierTxn& t) -> Result<void> {
    DossierRecord r = **seven;
    r.live_due.reset();
    r.version += 1;
    auto e = event("withdraw", "waiting_supplement", "withdrawn");
    return t.save(r, (*seven)->version, e);
  }));
  auto gone = dossiers().get("o7");
  ASSERT_OK(gone);
  EXPECT_EQ(gone->value_or(DossierRecord{}).live_due, std::nullopt);
  put("o8", "00009", "waiting_supplement", 1200, 1200);
  auto counts = dossiers().open_due_counts(5000, {});
  ASSERT_OK(counts);
  std::map<std::string, std::int64_t> by(counts->begin(), counts->end());
  EXPECT_EQ(by, (std::map<std::string, std::int64_t>{{"00004", 2}, {"00007", 1}, {"00009", 1}}));
  // Asked for some units: only theirs, and none for a unit with nothing overdue.
  auto some = dossiers().open_due_counts(5000, {"00007", "00008"});
  ASSERT_OK(some);
  EXPECT_EQ(*some, (std::vector<std::pair<std::string, std::int64_t>>{{"00007", 1}}));
  auto one = dossiers().open_due_counts(1500, {"00004"});
  ASSERT_OK(one);
  EXPECT_EQ(*one, (std::vector<std::pair<std::string, std::int64_t>>{{"00004", 1}}));
  auto waiting = dossiers().open_due_counts(5000, {"00009"});
  ASSERT_OK(waiting);
  EXPECT_EQ(*waiting, (std::vector<std::pair<std::string, std::int64_t>>{{"00009", 1}}));
  const std::int64_t ever = std::numeric_limits<std::int64_t>::min();
  auto ids = [](const std::vector<DossierRecord>& list) {
    std::vector<std::string> out;
    for (const auto& r : list) out.push_back(r.id);
    return out;
  };
  auto list = dossiers().open_due(ever, 5000, {}, 10);
  ASSERT_OK(list);
  EXPECT_EQ(ids(*list), (std::vector<std::string>{"o1", "o8", "o3", "o2"}));
  auto mine = dossiers().open_due(ever, 5000, {"00007", "00009"}, 10);
  ASSERT_OK(mine);
  EXPECT_EQ(ids(*mine), (std::vector<std::string>{"o8", "o3"}));
  // From a lower bound on (due at or after it), for every unit and for some,
  // and no more than the limit.
  auto later = dossiers().open_due(1500, 10000, {}, 10);
  ASSERT_OK(later);
  EXPECT_EQ(ids(*later), (std::vector<std::string>{"o3", "o2", "o6"}));
  auto later_mine = dossiers().open_due(1500, 10000, {"00004"}, 10);
  ASSERT_OK(later_mine);
  EXPECT_EQ(ids(*later_mine), (std::vector<std::string>{"o2", "o6"}));
  auto first = dossiers().open_due(1001, 10000, {}, 1);
  ASSERT_OK(first);
  EXPECT_EQ(ids(*first), std::vector<std::string>{"o8"});
  // The totals of the same ranges, however long a list is asked for.
  auto total = [&](std::int64_t from, std::int64_t before, const std::vector<std::string>& units) {
    auto n = dossiers().open_due_total(from, before, units);
    EXPECT_TRUE(n.ok());
    return n ? *n : -1;
  };
  EXPECT_EQ(total(ever, 5000, {}), 4);
  EXPECT_EQ(total(1500, 10000, {}), 3);
  EXPECT_EQ(total(1500, 10000, {"00004"}), 2);
  EXPECT_EQ(total(1001, 10000, {"00004", "00007", "00009"}), 4);
  EXPECT_EQ(total(9001, 10000, {}), 0);
}

TEST_P(DossierStoreTest, HistoryIsInsertedWithItsChainAndAMismatchIsRefused) {
  DossierRecord r = record("h1");
  r.state = "returned";
  std::vector<dossier::Event> events = {event("submit", "draft", "submitted"),
                                        event("receive", "submitted", "received"),
                                        event("return_result", "result_issued", "returned")};
  dossier::ChainHead head;
  for (auto& e : events) {
    e.dossier_id = "h1";
    // As a simulated history: only the last entry seals the body.
    head = dossier::append_event(
        e, head, &e == &events.back() ? std::optional<std::string_view>(r.body) : std::nullopt);
  }
  r.head = head;
  r.version = 3;
  DossierRecord bad = r;
  bad.id = "h2";  // its events name h1
  EXPECT_FALSE(dossiers().write([&](DossierTxn& t) { return t.insert_history(bad, events); }).ok());
  ASSERT_OK(dossiers().write([&](DossierTxn& t) { return t.insert_history(r, events); }));
  auto stored = dossiers().events("h1");
  ASSERT_OK(stored);
  ASSERT_EQ(stored->size(), 3u);
  EXPECT_TRUE(dossier::verify_chain(*stored, {}, r.head).ok());
  EXPECT_EQ((*stored)[0].body_sha256, "");
  EXPECT_EQ((*stored)[2].body_sha256, sha256_hex(r.body));
  auto got = dossiers().get("h1");
  ASSERT_OK(got);
  EXPECT_EQ((*got)->version, 3);
  auto outbox = dossiers().pending_outbox(10);
  ASSERT_OK(outbox);
  EXPECT_TRUE(outbox->empty());
  EXPECT_FALSE(dossiers().get("h2")->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, DossierStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace motcua::store
