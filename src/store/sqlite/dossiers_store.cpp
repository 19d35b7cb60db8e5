#include "store/sqlite/dossiers_store.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <limits>
#include <map>
#include <span>
#include <variant>

#include "store/inbox_branches.hpp"
#include "store/sqlite/json_list.hpp"
#include "store/sqlite/stats_store.hpp"
#include "store/stats_sql.hpp"

namespace motcua::store::sqlite {
namespace {

// The most entries a dossier's log holds: its seq is the low 20 bits of the
// entry's key (migration 13).
constexpr std::int64_t kMaxSeq = (std::int64_t{1} << 20) - 1;

// An INSERT of n log entries, n from 1 to kEventsPerInsert, kEventParams
// parameters each.
constexpr std::size_t kEventsPerInsert = 8;
constexpr int kEventParams = 14;
const std::string& insert_events_sql(std::size_t n) {
  static const auto sqls = [] {
    std::array<std::string, kEventsPerInsert + 1> out;
    for (std::size_t rows = 1; rows <= kEventsPerInsert; ++rows) {
      std::string& sql = out[rows];
      sql =
          "INSERT INTO dossier_events (key, dossier_code, at, actor_user_id, actor_role,"
          " actor_unit, action, from_state, to_state, note, payload, hash, body_sha256) VALUES ";
      for (std::size_t r = 0; r < rows; ++r) {
        const int at = static_cast<int>(r) * kEventParams;
        sql += r ? ", (" : "(";
        sql += "?" + std::to_string(at + 1) + " * 1048576 + ?" + std::to_string(at + 2);
        for (int p = 3; p <= kEventParams; ++p) sql += ", ?" + std::to_string(at + p);
        sql += ")";
      }
    }
    return out;
  }();
  return sqls[n];
}

constexpr const char* kColumns =
    "id, coalesce(code, ''), procedure_code, procedure_version, receiving_unit, competent_unit,"
    " channel, state, applicant_user_id, assignee, due_at IS NULL, coalesce(due_at, 0),"
    " updated_at, body, version, head_seq, head_hash, live_due IS NULL, coalesce(live_due, 0)";

std::string select_where(const char* where) {
  return std::string("SELECT ") + kColumns + " FROM dossiers WHERE " + where;
}

DossierRecord record_of(Statement& s) {
  DossierRecord r;
  r.id = s.column_text(0);
  r.code = s.column_text(1);
  r.procedure_code = s.column_text(2);
  r.procedure_version = s.column_text(3);
  r.receiving_unit = s.column_text(4);
  r.competent_unit = s.column_text(5);
  r.channel = s.column_text(6);
  r.state = s.column_text(7);
  r.applicant_user_id = s.column_text(8);
  r.assignee = s.column_text(9);
  if (s.column_int(10) == 0) r.due_at = s.column_int(11);
  r.updated_at = s.column_int(12);
  r.body = s.column_text(13);
  r.version = s.column_int(14);
  r.head.seq = s.column_int(15);
  r.head.hash = s.column_text(16);
  if (s.column_int(17) == 0) r.live_due = s.column_int(18);
  return r;
}

Result<std::optional<DossierRecord>> load_one(Connection& c, const char* sql,
                                              std::string_view key) {
  auto stmt = c.cached(sql);
  if (!stmt) return stmt.error();
  StatementUse use(**stmt);
  use->bind(1, key);
  const int rc = use->step();
  if (rc == SQLITE_ROW) return std::optional<DossierRecord>(record_of(**stmt));
  if (rc != SQLITE_DONE) return c.error("đọc hồ sơ", "reading a dossier");
  return std::optional<DossierRecord>();
}

const std::string& by_id_sql() {
  static const std::string s = select_where("id = ?1");
  return s;
}
const std::string& by_code_sql() {
  static const std::string s = select_where("code = ?1");
  return s;
}

// What every change of a transaction SQLite rolled back by itself gets: none
// of them was written. `cause` is the failure that ended it, when known.
Error transaction_lost(const Connection& c, const Result<void>& cause) {
  const std::string vi = cause ? c.errmsg() : cause.error().message_vi;
  const std::string en = cause ? c.errmsg() : cause.error().message_en;
  return make_error(ErrorKind::kUnavailable,
                    "SQLite đã huỷ cả giao dịch (" + vi + "); thay đổi chưa được ghi, hãy thử lại.",
                    "SQLite rolled back the whole transaction (" + en +
                        "); the change was not written, try again.");
}

class Txn final : public DossierTxn {
 public:
  Txn(Connection& c, StatsBuffer& stats) : c_(c), stats_(stats) {}

  // Whether a closure that failed may have left a write to undo.
  bool wrote() const { return wrote_; }

  void add_stats(const std::vector<stats::Row>& delta) override { stats_.add(delta); }

  Result<void> insert_history(const DossierRecord& r,
                              const std::vector<dossier::Event>& events) override {
    if (auto g = in_transaction(); !g) return g;
    wrote_ = true;
    if (auto c = check_history(r, events); !c) return c;
    auto ref = write_row(r, false);
    if (!ref) return ref.error();
    return write_events(events, **ref);
  }

  Result<std::optional<DossierRecord>> load(std::string_view id) override {
    return load_one(c_, by_id_sql().c_str(), id);
  }
  Result<std::optional<DossierRecord>> load_by_code(std::string_view code) override {
    return load_one(c_, by_code_sql().c_str(), code);
  }

  Result<std::int64_t> next_sequence(std::string_view agency_code, std::string_view day,
                                     std::int64_t count) override {
    if (auto g = in_transaction(); !g) return g.error();
    wrote_ = true;
    auto stmt = c_.cached(
        "INSERT INTO dossier_code_sequences (agency_code, day, last) VALUES (?1, ?2, ?3)"
        " ON CONFLICT (agency_code, day) DO UPDATE SET last = last + ?3 RETURNING last - ?3 + 1");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, agency_code);
    use->bind(2, day);
    use->bind(3, count);
    if (use->step() != SQLITE_ROW) {
      return c_.error("cấp số thứ tự hồ sơ", "allocating a dossier sequence number");
    }
    return use->column_int(0);
  }

  Result<bool> give_back_sequence(std::string_view agency_code, std::string_view day,
                                  std::int64_t last, std::int64_t keep) override {
    if (auto g = in_transaction(); !g) return g.error();
    wrote_ = true;
    auto stmt = c_.cached(keep > 0 ? "UPDATE dossier_code_sequences SET last = ?4"
                                     " WHERE agency_code = ?1 AND day = ?2 AND last = ?3"
                                   : "DELETE FROM dossier_code_sequences"
                                     " WHERE agency_code = ?1 AND day = ?2 AND last = ?3");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, agency_code);
    use->bind(2, day);
    use->bind(3, last);
    if (keep > 0) use->bind(4, keep);
    if (use->step() != SQLITE_DONE) {
      return c_.error("trả lại số thứ tự hồ sơ", "giving back dossier sequence numbers");
    }
    return c_.changes() > 0;
  }

  Result<std::optional<IdempotencyRecord>> find_idempotency(std::string_view key) override {
    auto stmt = c_.cached(
        "SELECT key, request_hash, dossier_id, created_at FROM dossier_idempotency WHERE key = ?1");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, key);
    const int rc = use->step();
    if (rc == SQLITE_DONE) return std::optional<IdempotencyRecord>();
    if (rc != SQLITE_ROW) return c_.error("đọc khoá Idempotency-Key", "reading an Idempotency-Key");
    return std::optional<IdempotencyRecord>(IdempotencyRecord{
        use->column_text(0), use->column_text(1), use->column_text(2), use->column_int(3)});
  }

  Result<void> put_idempotency(const IdempotencyRecord& r) override {
    if (auto g = in_transaction(); !g) return g;
    wrote_ = true;
    auto stmt = c_.cached(
        "INSERT INTO dossier_idempotency (key, request_hash, dossier_id, created_at)"
        " VALUES (?1, ?2, ?3, ?4)");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, r.key);
    use->bind(2, r.request_hash);
    use->bind(3, r.dossier_id);
    use->bind(4, r.created_at);
    if (use->step() != SQLITE_DONE) {
      return c_.error("ghi khoá Idempotency-Key", "writing an Idempotency-Key");
    }
    return ok();
  }

  Result<void> save(DossierRecord& r, std::int64_t expected_version,
                    dossier::Event& event) override {
    if (auto g = in_transaction(); !g) return g;
    dossier::ChainHead head;
    if (expected_version != 0) {
      auto current = load(r.id);
      if (!current) return current.error();
      if (!*current || (*current)->version != expected_version) {
        return version_refusal(r, expected_version, *current);
      }
      head = (*current)->head;
    }
    wrote_ = true;  // from here on a failure may leave a write behind
    event.dossier_id = r.id;
    event.dossier_code = r.code;
    r.head = dossier::append_event(event, head, r.body);
    r.version = expected_version + 1;
    auto ref = write_row(r, expected_version != 0);
    if (!ref) return ref.error();
    if (!*ref)
      return make_error(ErrorKind::kNotFound, "Không có hồ sơ " + r.id + ".",
                        "There is no dossier " + r.id + ".", "id");
    return write_logged(event, **ref, r.updated_at);
  }

  Result<void> save_prepared(const DossierRecord& r, std::int64_t expected_version,
                             const dossier::Event& event) override {
    if (auto c = check_prepared(r, expected_version, event); !c) return c;
    if (auto g = in_transaction(); !g) return g;
    // Version 0: a new dossier, inserted; else only over expected_version.
    auto ref = expected_version == 0 ? write_row(r, false) : write_row(r, true, expected_version);
    if (!ref) return ref.error();
    if (!*ref) {  // moved on since it was read: nothing written
      auto current = load(r.id);
      if (!current) return current.error();
      return version_refusal(r, expected_version, *current);
    }
    wrote_ = true;
    return write_logged(event, **ref, r.updated_at);
  }

 private:
  // Once SQLite has rolled the transaction back, a write would run (and
  // commit) on its own, outside the batch: refused instead.
  Result<void> in_transaction() const {
    if (c_.in_transaction()) return ok();
    return transaction_lost(c_, ok());
  }

  // Returns the row's ref (its log's keys start there), or nothing when no
  // row was written: an update of an id not stored, or `if_version` (only
  // while the row is still at that version) no longer true.
  Result<std::optional<std::int64_t>> write_row(
      const DossierRecord& r, bool update, std::optional<std::int64_t> if_version = std::nullopt) {
    auto stmt = c_.cached(
        if_version ? "UPDATE dossiers SET code = ?2, procedure_code = ?3, procedure_version = ?4,"
                     " receiving_unit = ?5, competent_unit = ?6, channel = ?7, state = ?8,"
                     " applicant_user_id = ?9, assignee = ?10, due_at = ?11, sort_due = ?12,"
                     " updated_at = ?13, body = ?14, version = ?15, head_seq = ?16,"
                     " head_hash = ?17, live_due = ?18 WHERE id = ?1 AND version = ?19"
        : update   ? "UPDATE dossiers SET code = ?2, procedure_code = ?3, procedure_version = ?4,"
                     " receiving_unit = ?5, competent_unit = ?6, channel = ?7, state = ?8,"
                     " applicant_user_id = ?9, assignee = ?10, due_at = ?11, sort_due = ?12,"
                     " updated_at = ?13, body = ?14, version = ?15, head_seq = ?16, head_hash = ?17,"
                     " live_due = ?18 WHERE id = ?1"
                   : "INSERT INTO dossiers (id, code, procedure_code, procedure_version,"
                     " receiving_unit, competent_unit, channel, state, applicant_user_id, assignee,"
                     " due_at, sort_due, updated_at, body, version, head_seq, head_hash, live_due)"
                     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                     " ?16, ?17, ?18)");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, r.id);
    if (!r.code.empty()) use->bind(2, r.code);  // unbound: NULL
    use->bind(3, r.procedure_code);
    use->bind(4, r.procedure_version);
    use->bind(5, r.receiving_unit);
    use->bind(6, r.competent_unit);
    use->bind(7, r.channel);
    use->bind(8, r.state);
    use->bind(9, r.applicant_user_id);
    use->bind(10, r.assignee);
    if (r.due_at) use->bind(11, *r.due_at);
    use->bind(12, r.due_at.value_or(kNoDueSortKey));
    use->bind(13, r.updated_at);
    use->bind(14, r.body);
    use->bind(15, r.version);
    use->bind(16, r.head.seq);
    use->bind(17, r.head.hash);
    if (r.live_due) use->bind(18, *r.live_due);  // unbound: NULL
    if (if_version) use->bind(19, *if_version);
    if (use->step() != SQLITE_DONE) return c_.error("ghi hồ sơ", "writing a dossier");
    // Not RETURNING ref: that makes SQLite keep a statement journal, a copy
    // of every page the write touches (the row's and five indexes'). It cost
    // the committer about a fifth of its time per submission (36-44 against
    // 30-33 us of CPU a write).
    if (!update) return std::optional<std::int64_t>(c_.last_insert_rowid());
    if (c_.changes() == 0) return std::optional<std::int64_t>();
    return ref_of(r.id);
  }

  Result<std::optional<std::int64_t>> ref_of(const std::string& id) {
    auto stmt = c_.cached("SELECT ref FROM dossiers WHERE id = ?1");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, id);
    const int rc = use->step();
    if (rc == SQLITE_DONE) return std::optional<std::int64_t>();
    if (rc != SQLITE_ROW) return c_.error("đọc hồ sơ", "reading a dossier");
    return std::optional<std::int64_t>(use->column_int(0));
  }

  // A change's entry in its dossier's log and its outbox row.
  Result<void> write_logged(const dossier::Event& e, std::int64_t ref, std::int64_t at) {
    if (auto w = write_event(e, ref); !w) return w;
    return write_outbox(e, at);
  }

  // The entry's key is its dossier's ref * 2^20 + seq (migration 13).
  Result<void> write_event(const dossier::Event& e, std::int64_t ref) {
    return write_events(std::span<const dossier::Event>(&e, 1), ref);
  }

  // A dossier's entries, up to kEventsPerInsert in one statement: per row,
  // the statement's own start, cursor and reset cost as much as the row.
  Result<void> write_events(std::span<const dossier::Event> events, std::int64_t ref) {
    for (const auto& e : events) {
      if (e.seq < 1 || e.seq > kMaxSeq) {
        return make_error(ErrorKind::kInternal,
                          "Nhật ký hồ sơ đã đầy (" + std::to_string(kMaxSeq) + " mục).",
                          "The dossier's log is full (" + std::to_string(kMaxSeq) + " entries).");
      }
    }
    while (!events.empty()) {
      const std::size_t n = std::min(events.size(), kEventsPerInsert);
      auto stmt = c_.cached(insert_events_sql(n).c_str());
      if (!stmt) return stmt.error();
      StatementUse use(**stmt);
      for (std::size_t i = 0; i < n; ++i) {
        const auto& e = events[i];
        const int at = static_cast<int>(i) * kEventParams;
        use->bind(at + 1, ref);
        use->bind(at + 2, e.seq);
        use->bind(at + 3, e.dossier_code);
        use->bind(at + 4, e.at.epoch_seconds);
        use->bind(at + 5, e.actor_user_id);
        use->bind(at + 6, e.actor_role);
        use->bind(at + 7, e.actor_unit);
        use->bind(at + 8, e.action);
        use->bind(at + 9, e.from_state);
        use->bind(at + 10, e.to_state);
        use->bind(at + 11, e.note);
        use->bind(at + 12, e.payload_json);
        use->bind(at + 13, e.hash);
        if (!e.body_sha256.empty()) use->bind(at + 14, e.body_sha256);  // unbound: NULL
      }
      if (use->step() != SQLITE_DONE) {
        return c_.error("ghi nhật ký hồ sơ", "appending to the dossier log");
      }
      events = events.subspan(n);
    }
    return ok();
  }

  Result<bool> flag_deadline(std::string_view dossier_id, std::string_view flag, std::int64_t at,
                             std::string_view payload) override {
    if (auto g = in_transaction(); !g) return g.error();
    wrote_ = true;
    auto stmt = c_.cached(
        "INSERT INTO dossier_deadline_flags (dossier_id, flag, flagged_at) VALUES (?1, ?2, ?3)"
        " ON CONFLICT DO NOTHING");
    if (!stmt) return stmt.error();
    {
      StatementUse use(**stmt);
      use->bind(1, dossier_id);
      use->bind(2, flag);
      use->bind(3, at);
      if (use->step() != SQLITE_DONE) return c_.error("ghi cảnh báo hạn", "flagging a deadline");
    }
    if (c_.changes() == 0) return false;
    auto out = c_.cached(
        "INSERT INTO dossier_outbox (dossier_id, event_seq, topic, payload, created_at)"
        " SELECT id, head_seq, ?2, ?3, ?4 FROM dossiers WHERE id = ?1");
    if (!out) return out.error();
    StatementUse use(**out);
    const std::string topic = "dossier." + std::string(flag);
    use->bind(1, dossier_id);
    use->bind(2, topic);
    use->bind(3, payload);
    use->bind(4, at);
    if (use->step() != SQLITE_DONE) return c_.error("ghi hộp thư đi", "writing the outbox");
    return true;
  }

  // The payload stays empty: pending_outbox reads the entry from the log
  // (migration 16).
  Result<void> write_outbox(const dossier::Event& e, std::int64_t at) {
    const std::string topic = "dossier." + e.action;
    auto stmt = c_.cached(
        "INSERT INTO dossier_outbox (dossier_id, event_seq, topic, payload, created_at)"
        " VALUES (?1, ?2, ?3, '', ?4)");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, e.dossier_id);
    use->bind(2, e.seq);
    use->bind(3, topic);
    use->bind(4, at);
    if (use->step() != SQLITE_DONE) return c_.error("ghi hộp thư đi", "writing the outbox");
    return ok();
  }

  Connection& c_;
  StatsBuffer& stats_;
  bool wrote_ = false;
};

// Writes a batch's merged counters, just before its commit.
Result<void> flush_stats(Connection& c, const StatsBuffer& buffer) {
  return add_stats_rows(c, buffer.batch());
}

// A log entry's columns from dossier_code to payload, in the log's order,
// then body_sha256 (NULL: not sealed), read from column `first` on.
void read_entry(const Statement& row, int first, dossier::Event& e) {
  e.dossier_code = row.column_text(first);
  e.at = {row.column_int(first + 1)};
  e.actor_user_id = row.column_text(first + 2);
  e.actor_role = row.column_text(first + 3);
  e.actor_unit = row.column_text(first + 4);
  e.action = row.column_text(first + 5);
  e.from_state = row.column_text(first + 6);
  e.to_state = row.column_text(first + 7);
  e.note = row.column_text(first + 8);
  e.payload_json = row.column_text(first + 9);
  e.body_sha256 = row.column_text(first + 10);
}

std::string join_states(const std::vector<std::string>& states) {
  std::string out = ",";
  for (const auto& s : states) out += s + ",";
  return out;
}

}  // namespace

Result<void> SqliteDossiersStore::write(const DossierWrite& fn) {
  return db_.with([&](Connection& c) { return write_in(c, fn, false); });
}

Result<void> SqliteDossiersStore::write_bulk(const DossierWrite& fn) {
  return db_.with([&](Connection& c) { return write_in(c, fn, true); });
}

Result<void> SqliteDossiersStore::write_in(Connection& c, const DossierWrite& fn, bool sync_apart) {
  auto tx = Transaction::begin(c, true);
  if (!tx) return tx.error();
  StatsBuffer stats;
  Txn txn(c, stats);
  auto r = fn(txn);
  if (!c.in_transaction()) return transaction_lost(c, r);
  if (!r) return r;
  stats.keep();
  if (auto f = flush_stats(c, stats); !f) return f;
  if (!sync_apart) return tx->commit();
  // Inside the transaction the log is open. Without a descriptor to sync it
  // by, the commit syncs itself.
  if (log_fd_.load() < 0) log_fd_.store(c.log_sync_descriptor());
  const bool apart = log_fd_.load() >= 0 && c.skip_next_commit_sync(true);
  auto done = tx->commit();
  if (apart) c.skip_next_commit_sync(false);  // should the commit have failed before its sync
  return done;
}

SqliteDossiersStore::~SqliteDossiersStore() {
  if (const int fd = log_fd_.load(); fd >= 0) ::close(fd);
}

Result<void> SqliteDossiersStore::sync() {
  const int fd = log_fd_.load();
  if (fd < 0) return ok();  // every commit synced itself
  if (::fdatasync(fd) == 0) return ok();
  const std::string why = std::strerror(errno);
  return make_error(ErrorKind::kUnavailable,
                    "Không đồng bộ được nhật ký ghi trước SQLite xuống đĩa: " + why,
                    "Could not sync the SQLite write-ahead log to disk: " + why);
}

std::vector<Result<void>> SqliteDossiersStore::write_batch(const std::vector<DossierWrite>& fns) {
  return db_.with([&](Connection& c) -> std::vector<Result<void>> {
    auto all = [&](const Error& e) { return std::vector<Result<void>>(fns.size(), e); };
    std::vector<Result<void>> out;
    // First without savepoints, which cost two statements per closure: most
    // refusals (a stale version, an action the state does not allow) come
    // before a closure writes anything and leave nothing to undo. A closure
    // that fails after writing sends the batch to the careful path below.
    {
      auto tx = Transaction::begin(c, true);
      if (!tx) return all(tx.error());
      StatsBuffer stats;
      bool careful = false;
      for (const auto& fn : fns) {
        Txn txn(c, stats);
        Result<void> r = fn(txn);
        // Rolled back by SQLite: the earlier closures' writes are gone too.
        if (!c.in_transaction()) return all(transaction_lost(c, r));
        if (!r && txn.wrote()) {
          careful = true;
          break;  // the transaction rolls back as it goes out of scope
        }
        stats.settle(r.ok());
        out.push_back(std::move(r));
      }
      if (!careful) {
        if (auto f = flush_stats(c, stats); !f) return all(f.error());
        if (auto r = tx->commit(); !r) return all(r.error());
        return out;
      }
    }
    out.clear();
    ++reruns_;
    auto tx = Transaction::begin(c, true);
    if (!tx) return all(tx.error());
    StatsBuffer stats;
    for (const auto& fn : fns) {
      if (auto r = c.run("SAVEPOINT dossier_write"); !r) return all(r.error());
      Txn txn(c, stats);
      Result<void> r = fn(txn);
      if (!c.in_transaction()) return all(transaction_lost(c, r));
      stats.settle(r.ok());
      if (!r) (void)c.run("ROLLBACK TO dossier_write");
      if (auto rel = c.run("RELEASE dossier_write"); !rel) return all(rel.error());
      out.push_back(std::move(r));
    }
    if (auto f = flush_stats(c, stats); !f) return all(f.error());
    if (auto r = tx->commit(); !r) return all(r.error());
    return out;
  });
}

Result<std::optional<DossierRecord>> SqliteDossiersStore::get(std::string_view id) {
  return db_.read([&](Connection& c) { return load_one(c, by_id_sql().c_str(), id); });
}

Result<std::optional<DossierRecord>> SqliteDossiersStore::get_by_code(std::string_view code) {
  return db_.read([&](Connection& c) { return load_one(c, by_code_sql().c_str(), code); });
}

Result<std::vector<dossier::Event>> SqliteDossiersStore::events(std::string_view dossier_id) {
  return db_.read([&](Connection& c) -> Result<std::vector<dossier::Event>> {
    // A dossier's entries are the keys ref * 2^20 + 1 .. ref * 2^20 + kMaxSeq.
    auto stmt = c.cached(
        "SELECT e.key & 1048575, e.dossier_code, e.at, e.actor_user_id, e.actor_role,"
        " e.actor_unit, e.action, e.from_state, e.to_state, e.note, e.payload,"
        " e.body_sha256, e.hash FROM dossiers d JOIN dossier_events e"
        " ON e.key BETWEEN d.ref * 1048576 + 1 AND d.ref * 1048576 + 1048575"
        " WHERE d.id = ?1 ORDER BY e.key");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, dossier_id);
    std::vector<dossier::Event> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) {
      dossier::Event e;
      e.dossier_id = std::string(dossier_id);
      e.seq = use->column_int(0);
      read_entry(**stmt, 1, e);
      e.hash = use->column_text(12);
      out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) return c.error("đọc nhật ký hồ sơ", "reading the dossier log");
    dossier::link_stored_chain(out);
    return out;
  });
}

Result<std::vector<DossierRecord>> SqliteDossiersStore::inbox(const InboxQuery& q) {
  // Values bound by position; the text stays alive in `values` until the reset.
  std::vector<std::variant<std::string, std::int64_t>> values;
  auto param = [&](auto value) {
    values.emplace_back(std::move(value));
    return "?" + std::to_string(values.size());
  };
  // What every scan shares: the filters, the cursor, the page size (bound
  // too: one statement kept per set of filters, not per page size).
  std::string shared;
  if (!q.state.empty()) shared += " AND state = " + param(q.state);
  if (!q.procedure_code.empty()) shared += " AND procedure_code = " + param(q.procedure_code);
  if (!q.channel.empty()) shared += " AND channel = " + param(q.channel);
  if (q.after) {
    shared +=
        " AND (sort_due, id) > (" + param(q.after->first) + ", " + param(q.after->second) + ")";
  }
  const std::string limit = param(static_cast<std::int64_t>(q.limit));
  const std::string order = " ORDER BY sort_due, id LIMIT " + limit;
  // One scan per branch and state, each a range of its index in page order
  // that stops at the page: with several states in one scan SQLite read every
  // match of the unit and sorted them.
  std::vector<std::string> scans;
  for (const InboxBranch& b : inbox_branches(q)) {
    const InboxClause& cl = *b.clause;
    if (cl.states.empty()) continue;  // matches nothing: binds nothing
    std::string head = std::string(b.column) + " = " + param(cl.value) + b.condition;
    if (!cl.assignee.empty()) head += " AND assignee = " + param(cl.assignee);
    if (b.scan_per_state) {
      for (const std::string& state : cl.states) {
        scans.push_back(head + " AND state = " + param(state) + shared);
      }
    } else {
      scans.push_back(head + " AND instr(" + param(join_states(cl.states)) +
                      ", ',' || state || ',') > 0" + shared);
    }
  }
  if (scans.empty()) return std::vector<DossierRecord>();
  std::string sql;
  if (scans.size() == 1) {
    sql = select_where(scans.front().c_str()) + order;
  } else {
    // The page is within the union of the scans' pages. The scans give keys
    // only, which the union compares to keep a dossier two branches find
    // once; only the page's rows are then read.
    std::string pages;
    for (const std::string& scan : scans) {
      if (!pages.empty()) pages += " UNION ";
      pages +=
          "SELECT * FROM (SELECT ref AS top_ref, sort_due AS top_due, id AS top_id"
          " FROM dossiers WHERE " +
          scan + order + ")";
    }
    sql = std::string("SELECT ") + kColumns + " FROM (" + pages +
          " ORDER BY top_due, top_id LIMIT " + limit +
          ") CROSS JOIN dossiers ON ref = top_ref ORDER BY top_due, top_id";
  }
  return db_.read([&](Connection& c) -> Result<std::vector<DossierRecord>> {
    auto stmt = c.cached(sql.c_str());
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    for (std::size_t i = 0; i < values.size(); ++i) {
      std::visit([&](const auto& v) { use->bind(static_cast<int>(i + 1), v); }, values[i]);
    }
    std::vector<DossierRecord> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) out.push_back(record_of(**stmt));
    if (rc != SQLITE_DONE) return c.error("đọc hộp hồ sơ", "reading the inbox");
    return out;
  });
}

Result<std::int64_t> SqliteDossiersStore::event_count() {
  return db_.read([&](Connection& c) -> Result<std::int64_t> {
    auto stmt = c.cached("SELECT count(*) FROM dossier_events");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    if (use->step() != SQLITE_ROW) return c.error("đếm nhật ký hồ sơ", "counting the log");
    return use->column_int(0);
  });
}

Result<void> SqliteDossiersStore::audit_scan(
    const std::function<Result<void>(const AuditDossier&)>& fn) {
  // Rows in ref order, a page at a time, and the page's entries as one range
  // of the log's key (ref * 2^20 + seq): two ordered scans, merged.
  static const std::string rows_sql = std::string("SELECT ") + kColumns +
                                      ", ref FROM dossiers WHERE ref > ?1 ORDER BY ref LIMIT 1000";
  std::int64_t after = std::numeric_limits<std::int64_t>::min();
  for (;;) {
    std::vector<AuditDossier> page;
    std::vector<std::int64_t> refs;
    auto read = db_.read([&](Connection& c) -> Result<void> {
      {
        auto stmt = c.cached(rows_sql.c_str());
        if (!stmt) return stmt.error();
        StatementUse use(**stmt);
        use->bind(1, after);
        int rc;
        while ((rc = use->step()) == SQLITE_ROW) {
          page.push_back(AuditDossier{record_of(**stmt), {}});
          refs.push_back(use->column_int(19));
        }
        if (rc != SQLITE_DONE) return c.error("đọc hồ sơ", "reading the dossiers");
      }
      if (page.empty()) return ok();
      auto stmt = c.cached(
          "SELECT key >> 20, key & 1048575, dossier_code, at, actor_user_id, actor_role,"
          " actor_unit, action, from_state, to_state, note, payload, body_sha256, hash"
          " FROM dossier_events"
          " WHERE key BETWEEN ?1 * 1048576 + 1 AND ?2 * 1048576 + 1048575 ORDER BY key");
      if (!stmt) return stmt.error();
      StatementUse use(**stmt);
      use->bind(1, refs.front());
      use->bind(2, refs.back());
      std::size_t at = 0;
      int rc;
      while ((rc = use->step()) == SQLITE_ROW) {
        const std::int64_t ref = use->column_int(0);
        while (at < refs.size() && refs[at] < ref) ++at;
        if (at == refs.size() || refs[at] != ref) continue;  // its row is gone
        dossier::Event e;
        e.dossier_id = page[at].row.id;
        e.seq = use->column_int(1);
        read_entry(**stmt, 2, e);
        e.hash = use->column_text(13);
        page[at].events.push_back(std::move(e));
      }
      if (rc != SQLITE_DONE) return c.error("đọc nhật ký hồ sơ", "reading the dossier log");
      return ok();
    });
    if (!read) return read.error();
    if (page.empty()) return ok();
    for (auto& d : page) {
      dossier::link_stored_chain(d.events);
      if (auto s = fn(d); !s) return s;
    }
    after = refs.back();
  }
}

Result<std::vector<CodeSequence>> SqliteDossiersStore::code_sequences() {
  return db_.read([&](Connection& c) -> Result<std::vector<CodeSequence>> {
    auto stmt = c.cached(
        "SELECT agency_code, day, last FROM dossier_code_sequences ORDER BY agency_code, day");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    std::vector<CodeSequence> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) {
      out.push_back(CodeSequence{use->column_text(0), use->column_text(1), use->column_int(2)});
    }
    if (rc != SQLITE_DONE)
      return c.error("đọc bộ đếm số tiếp nhận", "reading the receipt counters");
    return out;
  });
}

Result<std::vector<DossierRecord>> SqliteDossiersStore::heads() {
  return db_.read([&](Connection& c) -> Result<std::vector<DossierRecord>> {
    auto stmt =
        c.cached("SELECT id, coalesce(code, ''), head_seq, head_hash FROM dossiers ORDER BY id");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    std::vector<DossierRecord> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) {
      DossierRecord r;
      r.id = use->column_text(0);
      r.code = use->column_text(1);
      r.head.seq = use->column_int(2);
      r.head.hash = use->column_text(3);
      out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) return c.error("đọc danh sách hồ sơ", "listing the dossiers");
    return out;
  });
}

Result<std::vector<DossierRecord>> SqliteDossiersStore::deadline_candidates(std::string_view flag,
                                                                            const SweepKey& after,
                                                                            std::int64_t due_before,
                                                                            std::size_t limit) {
  // INDEXED BY: should the query ever stop matching the index, it fails at
  // once instead of walking every dossier.
  static const std::string sql =
      std::string("SELECT ") + kColumns +
      " FROM dossiers INDEXED BY dossiers_by_live_due WHERE live_due IS NOT NULL"
      " AND (live_due, competent_unit, id) > (?4, ?5, ?6) AND live_due <= ?1"
      " AND NOT EXISTS (SELECT 1 FROM dossier_deadline_flags f"
      " WHERE f.dossier_id = dossiers.id AND f.flag = ?2)"
      " ORDER BY live_due, competent_unit, id LIMIT ?3";
  return db_.read([&](Connection& c) -> Result<std::vector<DossierRecord>> {
    auto stmt = c.cached(sql.c_str());
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, due_before);
    use->bind(2, flag);
    use->bind(3, static_cast<std::int64_t>(limit));
    use->bind(4, after.live_due);
    use->bind(5, after.unit);
    use->bind(6, after.id);
    std::vector<DossierRecord> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) out.push_back(record_of(**stmt));
    if (rc != SQLITE_DONE) return c.error("tìm hồ sơ sắp đến hạn", "finding dossiers near due");
    return out;
  });
}

Result<bool> SqliteDossiersStore::reindex_due(const std::string& id, std::int64_t version,
                                              std::optional<std::int64_t> due_at,
                                              std::optional<std::int64_t> live_due) {
  return db_.with([&](Connection& c) -> Result<bool> {
    auto stmt = c.cached(
        "UPDATE dossiers SET due_at = ?3, sort_due = ?4, live_due = ?5"
        " WHERE id = ?1 AND version = ?2");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, id);
    use->bind(2, version);
    if (due_at) use->bind(3, *due_at);  // unbound: NULL
    use->bind(4, due_at.value_or(kNoDueSortKey));
    if (live_due) use->bind(5, *live_due);
    if (use->step() != SQLITE_DONE)
      return c.error("cập nhật hạn xử lý của hồ sơ", "updating a dossier's due time");
    return c.changes() > 0;
  });
}

Result<bool> SqliteDossiersStore::record_upload(const UploadRecord& u) {
  return db_.with([&](Connection& c) -> Result<bool> {
    auto stmt = c.cached(
        "INSERT INTO attachment_uploads (sha256, uploaded_by, size, media_type, file_name,"
        " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, u.sha256);
    use->bind(2, u.uploaded_by);
    use->bind(3, u.size);
    use->bind(4, u.media_type);
    use->bind(5, u.file_name);
    use->bind(6, u.created_at);
    if (use->step() != SQLITE_DONE) return c.error("ghi tệp tải lên", "recording an upload");
    if (c.changes() > 0) return true;
    if (u.file_name.empty()) return false;
    auto rename = c.cached(
        "UPDATE attachment_uploads SET file_name = ?3 WHERE sha256 = ?1 AND uploaded_by = ?2");
    if (!rename) return rename.error();
    StatementUse again(**rename);
    again->bind(1, u.sha256);
    again->bind(2, u.uploaded_by);
    again->bind(3, u.file_name);
    if (again->step() != SQLITE_DONE) return c.error("ghi tệp tải lên", "recording an upload");
    return false;
  });
}

Result<std::optional<UploadRecord>> SqliteDossiersStore::find_upload(std::string_view sha256,
                                                                     std::string_view by) {
  return db_.read([&](Connection& c) -> Result<std::optional<UploadRecord>> {
    auto stmt = c.cached(
        "SELECT sha256, uploaded_by, size, media_type, file_name, created_at"
        " FROM attachment_uploads WHERE sha256 = ?1 AND uploaded_by = ?2");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, sha256);
    use->bind(2, by);
    const int rc = use->step();
    if (rc == SQLITE_DONE) return std::optional<UploadRecord>();
    if (rc != SQLITE_ROW) return c.error("đọc tệp tải lên", "reading an upload");
    return std::optional<UploadRecord>(UploadRecord{use->column_text(0), use->column_text(1),
                                                    use->column_int(2), use->column_text(3),
                                                    use->column_text(4), use->column_int(5)});
  });
}

Result<std::vector<OutboxRow>> SqliteDossiersStore::pending_outbox(std::size_t limit) {
  return db_.read([&](Connection& c) -> Result<std::vector<OutboxRow>> {
    // A change's row (empty payload) finds its entry by the dossier's ref.
    auto stmt = c.cached(
        "SELECT o.id, o.dossier_id, o.event_seq, o.topic, o.payload, e.key IS NOT NULL,"
        " e.dossier_code, e.at, e.actor_user_id, e.actor_role, e.actor_unit, e.action,"
        " e.from_state, e.to_state, e.note, e.payload, e.body_sha256"
        " FROM dossier_outbox o"
        " LEFT JOIN dossiers d ON o.payload = '' AND d.id = o.dossier_id"
        " LEFT JOIN dossier_events e ON e.key = d.ref * 1048576 + o.event_seq"
        " WHERE o.sent_at IS NULL ORDER BY o.id LIMIT ?1");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, static_cast<std::int64_t>(limit));
    std::vector<OutboxRow> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) {
      OutboxRow row{use->column_int(0), use->column_text(1), use->column_int(2),
                    use->column_text(3), use->column_text(4)};
      if (row.payload.empty()) {
        if (use->column_int(5) == 0) return outbox_entry_missing(row);
        dossier::Event e;
        e.dossier_id = row.dossier_id;
        e.seq = row.event_seq;
        read_entry(**stmt, 6, e);
        row.payload = dossier::canonical_event(e);
      }
      out.push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) return c.error("đọc hộp thư đi", "reading the outbox");
    return out;
  });
}

Result<std::vector<std::pair<std::string, std::int64_t>>> SqliteDossiersStore::open_due_counts(
    std::int64_t before, const std::vector<std::string>& units) {
  using Counts = std::vector<std::pair<std::string, std::int64_t>>;
  static const char* every =
      "SELECT competent_unit, count(*) FROM dossiers INDEXED BY dossiers_by_live_due"
      " WHERE live_due < ?1 GROUP BY competent_unit";
  // One unit's few open dossiers sit together in the unit's index; the
  // time index would walk the whole country's past due.
  static const char* one =
      "SELECT count(*) FROM dossiers INDEXED BY dossiers_by_unit_live_due"
      " WHERE competent_unit = ?2 AND live_due < ?1";
  return db_.read([&](Connection& c) -> Result<Counts> {
    auto stmt = c.cached(units.empty() ? every : one);
    if (!stmt) return stmt.error();
    Counts out;
    auto fail = [&] { return c.error("đếm hồ sơ quá hạn", "counting overdue dossiers"); };
    if (units.empty()) {
      StatementUse use(**stmt);
      use->bind(1, before);
      int rc;
      while ((rc = use->step()) == SQLITE_ROW)
        out.emplace_back(use->column_text(0), use->column_int(1));
      if (rc != SQLITE_DONE) return fail();
      return out;
    }
    for (const auto& unit : units) {
      StatementUse use(**stmt);
      use->bind(1, before);
      use->bind(2, unit);
      if (use->step() != SQLITE_ROW) return fail();
      if (const auto n = use->column_int(0); n > 0) out.emplace_back(unit, n);
    }
    return out;
  });
}

Result<std::int64_t> SqliteDossiersStore::open_due_total(std::int64_t from, std::int64_t before,
                                                         const std::vector<std::string>& units) {
  static const char* every =
      "SELECT count(*) FROM dossiers INDEXED BY dossiers_by_live_due"
      " WHERE live_due >= ?1 AND live_due < ?2";
  static const char* one =
      "SELECT count(*) FROM dossiers INDEXED BY dossiers_by_unit_live_due"
      " WHERE competent_unit = ?3 AND live_due >= ?1 AND live_due < ?2";
  return db_.read([&](Connection& c) -> Result<std::int64_t> {
    auto stmt = c.cached(units.empty() ? every : one);
    if (!stmt) return stmt.error();
    std::int64_t total = 0;
    // The whole country: one range of the live-due index. Some units: each
    // its own range of the unit-then-time index.
    const std::size_t rounds = units.empty() ? 1 : units.size();
    for (std::size_t i = 0; i < rounds; ++i) {
      StatementUse use(**stmt);
      use->bind(1, from);
      use->bind(2, before);
      if (!units.empty()) use->bind(3, units[i]);
      if (use->step() != SQLITE_ROW)
        return c.error("đếm hồ sơ đến hạn", "counting dossiers by due time");
      total += use->column_int(0);
    }
    return total;
  });
}

Result<std::vector<DossierRecord>> SqliteDossiersStore::open_due(
    std::int64_t from, std::int64_t before, const std::vector<std::string>& units,
    std::size_t limit) {
  // The rows' keys first, from an index that holds every column the
  // condition and the order need; then only those rows. Reading whole rows
  // while sorting fetched every open dossier past the horizon (the nation's,
  // for a commune): 70 ms at ten million dossiers, against 1 ms this way.
  // The order is the due-time index's own, so that the whole country's list
  // stops after `limit` entries of it: ordered by id instead, the 33,000
  // dossiers the nation had due on one day were all read and sorted (140 ms).
  static const std::string order = " ORDER BY live_due, competent_unit, id";
  static const std::string condition = "live_due >= ?4 AND live_due < ?1" + order + " LIMIT ?2";
  static const std::string every =
      select_where(("ref IN (SELECT ref FROM dossiers INDEXED BY dossiers_by_live_due WHERE " +
                    condition + ")")
                       .c_str()) +
      order;
  static const std::string some =
      select_where(("ref IN (SELECT ref FROM dossiers INDEXED BY dossiers_by_unit_live_due WHERE"
                    " competent_unit IN (SELECT value FROM json_each(?3)) AND " +
                    condition + ")")
                       .c_str()) +
      order;
  const std::string list = json_list(units);  // bound without a copy: it outlives the step
  return db_.read([&](Connection& c) -> Result<std::vector<DossierRecord>> {
    auto stmt = c.cached(units.empty() ? every.c_str() : some.c_str());
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, before);
    use->bind(2, static_cast<std::int64_t>(limit));
    if (!units.empty()) use->bind(3, list);
    use->bind(4, from);
    std::vector<DossierRecord> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) out.push_back(record_of(**stmt));
    if (rc != SQLITE_DONE) return c.error("tìm hồ sơ sắp đến hạn", "finding dossiers near due");
    return out;
  });
}

Result<void> SqliteDossiersStore::scan(
    const std::function<Result<void>(const DossierRecord&)>& fn) {
  static const std::string sql = select_where("id > ?1") + " ORDER BY id LIMIT 5000";
  std::string after;
  for (;;) {
    auto page = db_.read([&](Connection& c) -> Result<std::vector<DossierRecord>> {
      auto stmt = c.cached(sql.c_str());
      if (!stmt) return stmt.error();
      StatementUse use(**stmt);
      use->bind(1, after);
      std::vector<DossierRecord> out;
      int rc;
      while ((rc = use->step()) == SQLITE_ROW) out.push_back(record_of(**stmt));
      if (rc != SQLITE_DONE) return c.error("đọc hồ sơ", "reading the dossiers");
      return out;
    });
    if (!page) return page.error();
    if (page->empty()) return ok();
    for (const auto& r : *page) {
      if (auto s = fn(r); !s) return s;
    }
    after = page->back().id;
  }
}

}  // namespace motcua::store::sqlite
