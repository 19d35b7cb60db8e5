#include "store/postgres/dossiers_store.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <limits>

#include "store/inbox_branches.hpp"
#include "store/postgres/code_list.hpp"
#include "store/stats_sql.hpp"

namespace motcua::store::postgres {
namespace {

constexpr const char* kColumns =
    "id, coalesce(code, ''), procedure_code, procedure_version, receiving_unit, competent_unit,"
    " channel, state, applicant_user_id, assignee, coalesce(due_at::text, ''), updated_at, body,"
    " version, head_seq, head_hash, coalesce(live_due::text, '')";

std::string text(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}

std::int64_t number(const PGresult* r, int row, int col) {
  std::int64_t v = 0;
  const char* s = PQgetvalue(r, row, col);
  std::from_chars(s, s + PQgetlength(r, row, col), v);
  return v;
}

// A log entry's columns from dossier_code to payload, in the log's order,
// then body_sha256 (NULL: not sealed), read from column `first` of row `i` on.
void read_entry(const PGresult* res, int i, int first, dossier::Event& e) {
  e.dossier_code = text(res, i, first);
  e.at = {number(res, i, first + 1)};
  e.actor_user_id = text(res, i, first + 2);
  e.actor_role = text(res, i, first + 3);
  e.actor_unit = text(res, i, first + 4);
  e.action = text(res, i, first + 5);
  e.from_state = text(res, i, first + 6);
  e.to_state = text(res, i, first + 7);
  e.note = text(res, i, first + 8);
  e.payload_json = text(res, i, first + 9);
  e.body_sha256 = text(res, i, first + 10);
}

DossierRecord record_of(const PGresult* res, int i) {
  DossierRecord r;
  r.id = text(res, i, 0);
  r.code = text(res, i, 1);
  r.procedure_code = text(res, i, 2);
  r.procedure_version = text(res, i, 3);
  r.receiving_unit = text(res, i, 4);
  r.competent_unit = text(res, i, 5);
  r.channel = text(res, i, 6);
  r.state = text(res, i, 7);
  r.applicant_user_id = text(res, i, 8);
  r.assignee = text(res, i, 9);
  if (PQgetlength(res, i, 10) > 0) r.due_at = number(res, i, 10);
  r.updated_at = number(res, i, 11);
  r.body = text(res, i, 12);
  r.version = number(res, i, 13);
  r.head.seq = number(res, i, 14);
  r.head.hash = text(res, i, 15);
  if (PQgetlength(res, i, 16) > 0) r.live_due = number(res, i, 16);
  return r;
}

std::string select_where(const std::string& where) {
  return std::string("SELECT ") + kColumns + " FROM dossiers WHERE " + where;
}

Result<std::optional<DossierRecord>> load_one(Connection& c, const std::string& sql,
                                              std::string_view key) {
  auto r = c.query(sql.c_str(), {std::string(key)});
  if (!r) return r.error();
  if (PQntuples(r->get()) == 0) return std::optional<DossierRecord>();
  return std::optional<DossierRecord>(record_of(r->get(), 0));
}

// The columns every writer of these tables names, in this order: COPY (a
// history), the INSERT of one save and the batch's INSERT of new dossiers.
const std::string kDossierColumns =
    "id, code, procedure_code, procedure_version, receiving_unit, competent_unit, channel, state,"
    " applicant_user_id, assignee, due_at, sort_due, updated_at, body, version, head_seq,"
    " head_hash, live_due";
const std::string kEventColumns =
    "dossier_id, seq, dossier_code, at, actor_user_id, actor_role, actor_unit, action,"
    " from_state, to_state, note, payload, hash, body_sha256";
const std::string kOutboxColumns = "dossier_id, event_seq, topic, payload, created_at";

// Dossiers that arrive with their past (insert_history), as COPY text: a
// closure's own lines until it succeeds, then the batch's, sent before commit.
struct HistoryBuffer {
  std::string rows, events;  // the batch's
  std::string pending_rows, pending_events;
  void keep() {
    rows += pending_rows;
    events += pending_events;
    drop();
  }
  void drop() {
    pending_rows.clear();
    pending_events.clear();
  }
};

// One COPY field; null writes COPY's NULL marker.
struct Field {
  std::string_view text;
  bool null = false;
  Field(std::string_view t) : text(t) {}    // NOLINT: fields are written as plain strings
  Field(const std::string& t) : text(t) {}  // NOLINT
  Field(const char* t) : text(t) {}         // NOLINT
  static Field null_value() {
    Field f("");
    f.null = true;
    return f;
  }
};

void copy_fields(std::string& line, std::initializer_list<Field> fields) {
  bool first = true;
  for (const Field& f : fields) {
    if (!first) line += '\t';
    first = false;
    if (f.null) {
      line += "\\N";
    } else {
      append_copy_field(line, f.text);
    }
  }
  line += '\n';
}

// New dossiers of a pipelined group commit (submissions), each as its
// save_params(), and the Idempotency-Keys that name them: written together
// before the commit, one statement for all the batch's rows, instead of a
// statement each (PostgreSQL sets up every statement's executor, its checks
// and its indexes anew, which cost more than a row's own writing).
struct NewRows {
  std::vector<std::vector<std::string>> rows, pending;
  std::vector<std::vector<std::string>> keys, pending_keys;
  void keep() {
    for (auto& r : pending) rows.push_back(std::move(r));
    for (auto& k : pending_keys) keys.push_back(std::move(k));
    drop();
  }
  void drop() {
    pending.clear();
    pending_keys.clear();
  }
};

// What a batch's closures buffer, kept or dropped with each closure.
struct Buffers {
  StatsBuffer stats;
  HistoryBuffer history;
  NewRows news;
  void settle(bool kept) {
    stats.settle(kept);
    kept ? history.keep() : history.drop();
    kept ? news.keep() : news.drop();
  }
};

constexpr const char* kInsertIdempotency =
    "INSERT INTO dossier_idempotency (key, request_hash, dossier_id, created_at)"
    " VALUES ($1, $2, $3, $4::bigint)";

// The batch's new dossiers, their first events and outbox rows in one
// statement: column k of every row is the text[] parameter $k, in
// save_params() order. Queued in the pipeline; it must return a row each.
Result<void> send_new_rows(Connection& c, const NewRows& news) {
  static const std::string sql =
      "WITH v AS (SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],"
      " $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],"
      " $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[],"
      " $18::text[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[],"
      " $24::text[], $25::text[], $26::text[], $27::text[], $28::text[], $29::text[],"
      " $30::text[])"
      " AS v (id, code, procedure_code, procedure_version, receiving_unit, competent_unit,"
      " channel, state, applicant_user_id, assignee, due_at, sort_due, updated_at, body,"
      " version, head_seq, head_hash, dossier_code, event_at, actor_user_id, actor_role,"
      " actor_unit, action, from_state, to_state, note, payload, topic, live_due,"
      " body_sha256)),"
      " d AS (INSERT INTO dossiers (" +
      kDossierColumns +
      ")"
      " SELECT id, nullif(code, ''), procedure_code, procedure_version, receiving_unit,"
      " competent_unit, channel, state, applicant_user_id, assignee,"
      " nullif(due_at, '')::bigint, sort_due::bigint, updated_at::bigint, body,"
      " version::bigint, head_seq::bigint, head_hash, nullif(live_due, '')::bigint FROM v),"
      " e AS (INSERT INTO dossier_events (" +
      kEventColumns +
      ")"
      " SELECT id, head_seq::bigint, dossier_code, event_at::bigint, actor_user_id,"
      " actor_role, actor_unit, action, from_state, to_state, note, payload, head_hash,"
      " nullif(body_sha256, '') FROM v)"
      " INSERT INTO dossier_outbox (" +
      kOutboxColumns +
      ")"
      " SELECT id, head_seq::bigint, topic, '', updated_at::bigint FROM v"
      " RETURNING event_seq";
  if (news.rows.empty()) return ok();
  const std::size_t columns = news.rows.front().size();
  std::vector<std::string> params;
  params.reserve(columns);
  std::vector<std::string_view> column;
  column.reserve(news.rows.size());
  for (std::size_t k = 0; k < columns; ++k) {
    column.clear();
    for (const auto& row : news.rows) column.push_back(row[k]);
    params.push_back(text_array_binary(column));
  }
  if (auto r = c.send_binary(sql.c_str(), params, static_cast<int>(news.rows.size())); !r) {
    return r;
  }
  // After their dossiers, which they refer to.
  for (const auto& key : news.keys) {
    if (auto r = c.send(kInsertIdempotency, key, -1); !r) return r;
  }
  return ok();
}

// What a batch buffered, written just before its commit (queued in the
// pipeline when `pipelined`).
Result<void> flush(Connection& c, const Buffers& buffers, bool pipelined = false) {
  const StatsBuffer& stats = buffers.stats;
  const HistoryBuffer& history = buffers.history;
  if (auto r = send_new_rows(c, buffers.news); !r) return r;
  if (!history.rows.empty()) {
    static const std::string copy_rows = "COPY dossiers (" + kDossierColumns + ") FROM STDIN";
    static const std::string copy_events = "COPY dossier_events (" + kEventColumns + ") FROM STDIN";
    if (auto r = c.copy_in(copy_rows.c_str(), history.rows); !r) return r;
    if (auto r = c.copy_in(copy_events.c_str(), history.events); !r) return r;
  }
  static const std::string daily = stats_upsert("$", StatsTable::kDaily);
  static const std::string monthly = stats_upsert("$", StatsTable::kMonthly);
  const std::vector<stats::Row> months = stats::months_of(stats.batch());
  for (const auto& [sql, rows] :
       {std::pair{&daily, &stats.batch()}, std::pair{&monthly, &months}}) {
    for (const stats::Row& row : *rows) {
      std::vector<std::string> params = {std::string(stats::level_name(row.key.level)),
                                         row.key.unit, std::to_string(row.key.day)};
      for (auto v : row.counters.v) params.push_back(std::to_string(v));
      if (pipelined) {
        if (auto r = c.send(sql->c_str(), params); !r) return r;
      } else if (auto r = c.query(sql->c_str(), params); !r) {
        return r.error();
      }
    }
  }
  return ok();
}

// save(): the row, its event and its outbox row in one statement (one round
// trip); the event and outbox rows only if the row was written (FROM d).
constexpr const char* kSetColumns =
    "code = nullif($2, ''), procedure_code = $3, procedure_version = $4, receiving_unit = $5,"
    " competent_unit = $6, channel = $7, state = $8, applicant_user_id = $9, assignee = $10,"
    " due_at = nullif($11, '')::bigint, sort_due = $12::bigint, updated_at = $13::bigint,"
    " body = $14, version = $15::bigint, head_seq = $16::bigint, head_hash = $17,"
    " live_due = nullif($29, '')::bigint";
const std::string kEventAndOutbox =
    " , e AS (INSERT INTO dossier_events (" + kEventColumns +
    ")"
    " SELECT $1, $16::bigint, $18, $19::bigint, $20, $21, $22, $23, $24, $25, $26, $27,"
    " $17, nullif($30, '') FROM d)"
    " INSERT INTO dossier_outbox (" +
    kOutboxColumns +
    ")"
    " SELECT $1, $16::bigint, $28, '', $13::bigint FROM d RETURNING event_seq";
const std::string kUpdate = "WITH d AS (UPDATE dossiers SET " + std::string(kSetColumns) +
                            " WHERE id = $1 RETURNING id)" + kEventAndOutbox;
const std::string kInsert = "WITH d AS (INSERT INTO dossiers (" + kDossierColumns +
                            ")"
                            " VALUES ($1, nullif($2, ''), $3, $4, $5, $6, $7, $8, $9, $10,"
                            " nullif($11, '')::bigint, $12::bigint, $13::bigint, $14, $15::bigint,"
                            " $16::bigint, $17, nullif($29, '')::bigint) RETURNING id)" +
                            kEventAndOutbox;

std::vector<std::string> save_params(const DossierRecord& rec, const dossier::Event& event) {
  return {rec.id,
          rec.code,
          rec.procedure_code,
          rec.procedure_version,
          rec.receiving_unit,
          rec.competent_unit,
          rec.channel,
          rec.state,
          rec.applicant_user_id,
          rec.assignee,
          rec.due_at ? std::to_string(*rec.due_at) : std::string(),
          std::to_string(rec.due_at.value_or(kNoDueSortKey)),
          std::to_string(rec.updated_at),
          rec.body,
          std::to_string(rec.version),
          std::to_string(rec.head.seq),
          rec.head.hash,
          event.dossier_code,
          std::to_string(event.at.epoch_seconds),
          event.actor_user_id,
          event.actor_role,
          event.actor_unit,
          event.action,
          event.from_state,
          event.to_state,
          event.note,
          event.payload_json,
          "dossier." + event.action,
          rec.live_due ? std::to_string(*rec.live_due) : std::string(),
          event.body_sha256};
}

class Txn final : public DossierTxn {
 public:
  // pipelined: writes that need no answer to go on are queued in the
  // connection's pipeline (answers checked at the commit, see write_batch).
  Txn(Connection& c, Buffers& buffers, bool pipelined = false)
      : c_(c),
        stats_(buffers.stats),
        history_(buffers.history),
        news_(buffers.news),
        pipelined_(pipelined) {}

  void add_stats(const std::vector<stats::Row>& delta) override { stats_.add(delta); }

  Result<void> insert_history(const DossierRecord& r,
                              const std::vector<dossier::Event>& events) override {
    if (auto c = check_history(r, events); !c) return c;
    const std::string due = r.due_at ? std::to_string(*r.due_at) : std::string();
    const std::string sort_due = std::to_string(r.due_at.value_or(kNoDueSortKey));
    const std::string live = r.live_due ? std::to_string(*r.live_due) : std::string();
    std::string& rows = history_.pending_rows;
    copy_fields(rows, {r.id, r.code.empty() ? Field::null_value() : Field(r.code), r.procedure_code,
                       r.procedure_version, r.receiving_unit, r.competent_unit, r.channel, r.state,
                       r.applicant_user_id, r.assignee, r.due_at ? Field(due) : Field::null_value(),
                       sort_due, std::to_string(r.updated_at), r.body, std::to_string(r.version),
                       std::to_string(r.head.seq), r.head.hash,
                       r.live_due ? Field(live) : Field::null_value()});
    for (const auto& e : events) {
      copy_fields(history_.pending_events,
                  {e.dossier_id, std::to_string(e.seq), e.dossier_code,
                   std::to_string(e.at.epoch_seconds), e.actor_user_id, e.actor_role, e.actor_unit,
                   e.action, e.from_state, e.to_state, e.note, e.payload_json, e.hash,
                   e.body_sha256.empty() ? Field::null_value() : Field(e.body_sha256)});
    }
    return ok();
  }

  // Whether a closure that failed left something to undo: a write, or a
  // failed statement.
  bool needs_rollback() const { return wrote_ || failed_; }

  Result<std::optional<DossierRecord>> load(std::string_view id) override {
    static const std::string sql = select_where("id = $1 FOR UPDATE");
    return remember(load_one(c_, sql, id));
  }
  Result<std::optional<DossierRecord>> load_by_code(std::string_view code) override {
    static const std::string sql = select_where("code = $1 FOR UPDATE");
    return remember(load_one(c_, sql, code));
  }

  Result<std::int64_t> next_sequence(std::string_view agency_code, std::string_view day,
                                     std::int64_t count) override {
    wrote_ = true;
    // The upsert locks the (agency, day) row until the commit: a concurrent
    // receipt waits, then sees the committed number; a rollback gives it back.
    auto r = c_.query(
        "INSERT INTO dossier_code_sequences AS s (agency_code, day, last) VALUES ($1, $2, "
        "$3::bigint)"
        " ON CONFLICT (agency_code, day) DO UPDATE SET last = s.last + $3::bigint RETURNING last",
        {std::string(agency_code), std::string(day), std::to_string(count)});
    if (!r) return r.error();
    return number(r->get(), 0, 0) - count + 1;
  }

  Result<bool> give_back_sequence(std::string_view agency_code, std::string_view day,
                                  std::int64_t last, std::int64_t keep) override {
    wrote_ = true;
    std::vector<std::string> params = {std::string(agency_code), std::string(day),
                                       std::to_string(last)};
    if (keep > 0) params.push_back(std::to_string(keep));
    auto r = c_.query(keep > 0 ? "UPDATE dossier_code_sequences SET last = $4::bigint"
                                 " WHERE agency_code = $1 AND day = $2 AND last = $3::bigint"
                               : "DELETE FROM dossier_code_sequences"
                                 " WHERE agency_code = $1 AND day = $2 AND last = $3::bigint",
                      params);
    if (!r) return r.error();
    return std::string_view(PQcmdTuples(r->get())) != "0";
  }

  Result<std::optional<IdempotencyRecord>> find_idempotency(std::string_view key) override {
    auto r = c_.query(
        "SELECT key, request_hash, dossier_id, created_at FROM dossier_idempotency"
        " WHERE key = $1",
        {std::string(key)});
    if (!r) return failed(r.error());
    const PGresult* res = r->get();
    if (PQntuples(res) == 0) return std::optional<IdempotencyRecord>();
    return std::optional<IdempotencyRecord>(
        IdempotencyRecord{text(res, 0, 0), text(res, 0, 1), text(res, 0, 2), number(res, 0, 3)});
  }

  Result<void> put_idempotency(const IdempotencyRecord& rec) override {
    std::vector<std::string> params = {rec.key, rec.request_hash, rec.dossier_id,
                                       std::to_string(rec.created_at)};
    if (pipelined_) {  // with the new dossiers it may name (send_new_rows)
      news_.pending_keys.push_back(std::move(params));
      return ok();
    }
    return write_statement(kInsertIdempotency, params, -1);
  }

  Result<bool> flag_deadline(std::string_view dossier_id, std::string_view flag, std::int64_t at,
                             std::string_view payload) override {
    wrote_ = true;
    auto r = c_.query(
        "WITH flagged AS (INSERT INTO dossier_deadline_flags (dossier_id, flag, flagged_at)"
        " VALUES ($1, $2, $3::bigint) ON CONFLICT DO NOTHING RETURNING dossier_id)"
        " INSERT INTO dossier_outbox (dossier_id, event_seq, topic, payload, created_at)"
        " SELECT d.id, d.head_seq, 'dossier.' || $2, $4, $3::bigint"
        " FROM dossiers d JOIN flagged f ON f.dossier_id = d.id RETURNING id",
        {std::string(dossier_id), std::string(flag), std::to_string(at), std::string(payload)});
    if (!r) return r.error();
    return PQntuples(r->get()) > 0;
  }

  Result<void> save(DossierRecord& rec, std::int64_t expected_version,
                    dossier::Event& event) override {
    dossier::ChainHead head;
    if (expected_version != 0) {
      // The row as this transaction locked it, else read and lock it now.
      Result<std::optional<DossierRecord>> current = std::optional<DossierRecord>();
      if (locked_ && locked_->id == rec.id) {
        current = locked_;
      } else {
        current = load(rec.id);
      }
      if (!current) return current.error();
      if (!*current || (*current)->version != expected_version) {
        return version_refusal(rec, expected_version, *current);
      }
      head = (*current)->head;
    }
    event.dossier_id = rec.id;
    event.dossier_code = rec.code;
    rec.head = dossier::append_event(event, head, rec.body);
    rec.version = expected_version + 1;
    if (auto w =
            write_statement(expected_version != 0 ? kUpdate : kInsert, save_params(rec, event), 1);
        !w) {
      return w;
    }
    if (locked_ && locked_->id == rec.id) locked_ = rec;
    return ok();
  }

  Result<void> save_prepared(const DossierRecord& rec, std::int64_t expected_version,
                             const dossier::Event& event) override {
    if (auto c = check_prepared(rec, expected_version, event); !c) return c;
    if (expected_version == 0) {
      // Pipelined: with the batch's other new dossiers, before the commit. A
      // clash there (an id or key taken) fails the commit, and the batch
      // runs again on the careful path, a statement each.
      if (pipelined_) {
        news_.pending.push_back(save_params(rec, event));
        return ok();
      }
      return write_statement(kInsert, save_params(rec, event), 1);
    }
    // The version condition in the UPDATE: a row that moved on since it was
    // read updates nothing, and the event and outbox rows (FROM d) follow it.
    static const std::string kUpdateIf =
        "WITH d AS (UPDATE dossiers SET " + std::string(kSetColumns) +
        " WHERE id = $1 AND version = $31::bigint RETURNING id)" + kEventAndOutbox;
    auto params = save_params(rec, event);
    params.push_back(std::to_string(expected_version));
    if (pipelined_) {  // a row that moved on fails the drain: the batch reruns carefully
      if (auto w = write_statement(kUpdateIf, params, 1); !w) return w;
      if (locked_ && locked_->id == rec.id) locked_ = rec;
      return ok();
    }
    auto w = c_.query(kUpdateIf.c_str(), params);
    if (!w) return failed(w.error());
    if (PQntuples(w->get()) == 0) {  // nothing written
      auto current = load(rec.id);
      if (!current) return current.error();
      return version_refusal(rec, expected_version, *current);
    }
    wrote_ = true;
    if (locked_ && locked_->id == rec.id) locked_ = rec;
    return ok();
  }

 private:
  // The last dossier loaded (and locked) in this transaction: save() takes
  // its version and head from it instead of reading the row again.
  Result<std::optional<DossierRecord>> remember(Result<std::optional<DossierRecord>> r) {
    if (!r) return failed(r.error());
    if (*r) locked_ = **r;
    return r;
  }
  // A failed statement aborts the whole PostgreSQL transaction.
  Error failed(Error e) {
    failed_ = true;
    return e;
  }

  Connection& c_;
  StatsBuffer& stats_;
  HistoryBuffer& history_;
  NewRows& news_;
  // One write statement: queued (the row count checked at the drain) or run now.
  Result<void> write_statement(const std::string& sql, const std::vector<std::string>& params,
                               int rows) {
    wrote_ = true;
    if (pipelined_) return c_.send(sql.c_str(), params, rows);
    auto w = c_.query(sql.c_str(), params);
    if (!w) return failed(w.error());
    return ok();
  }

  std::optional<DossierRecord> locked_;
  bool pipelined_ = false;
  bool wrote_ = false;
  bool failed_ = false;
};

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A batch's row in batch_tokens (migration 19), written in its transaction;
// the row of this process's previous batch, whose outcome is known, goes.
constexpr const char* kMarkBatch =
    "WITH gone AS (DELETE FROM batch_tokens WHERE token = $2)"
    " INSERT INTO batch_tokens (token, at) VALUES ($1, $3::bigint)";
// Rows left by processes that stopped; now and then, not a scan every batch.
// Several servers on one database clean up too: a cleanup that waited for
// rows another transaction holds would hold its batch behind that one, and
// two that lock the same rows in different orders would deadlock and fail a
// batch. So it takes only rows it can lock at once, a bounded number, and
// leaves the rest to a later cleanup. A row younger than kTokenLifeSeconds is
// never taken: its batch's outcome may still be asked (committed_before_loss).
constexpr const char* kForgetOldTokens =
    "DELETE FROM batch_tokens WHERE ctid = ANY (ARRAY(SELECT ctid FROM batch_tokens"
    " WHERE at < $1::bigint LIMIT 1000 FOR UPDATE SKIP LOCKED))";
constexpr std::uint64_t kBatchesBetweenCleanups = 1024;
constexpr std::int64_t kTokenLifeSeconds = 86'400;

// After the connection was lost during the commit of the batch marked
// `token`: whether it committed, asked on a new session. The token is
// inserted and kept: should the old transaction still be open on the server,
// the insert waits for its end, and one that had not committed yet never
// can (its own insert of the token would clash).
Result<bool> committed_before_loss(Connection& c, const std::string& token) {
  if (!c.reconnect()) return c.error("kết nối lại", "reconnecting");
  auto fail = [&] {
    if (!c.lost()) (void)c.exec("ROLLBACK");
    return c.error("xác định lô đã ghi hay chưa", "finding whether a batch committed");
  };
  if (!c.exec("BEGIN; SET LOCAL lock_timeout = '10s'")) return fail();
  auto r = c.query(
      "INSERT INTO batch_tokens (token, at) VALUES ($1, $2::bigint) ON CONFLICT DO NOTHING"
      " RETURNING token",
      {token, std::to_string(now_seconds())});
  if (!r) return fail();
  const bool committed = PQntuples(r->get()) == 0;
  if (!c.exec("COMMIT")) return fail();
  return committed;
}

// One closure in one transaction on `c`.
Result<void> write_one(Connection& c, const DossierWrite& fn) {
  auto tx = Transaction::begin(c);
  if (!tx) return tx.error();
  Buffers buffers;
  Txn txn(c, buffers);
  if (auto r = fn(txn); !r) return r;
  buffers.settle(true);
  if (auto f = flush(c, buffers); !f) return f;
  return tx->commit();
}

}  // namespace

Result<void> PostgresDossiersStore::write(const DossierWrite& fn) {
  return db_.run<void>([&](Connection& c) { return write_one(c, fn); });
}

// Durable at its commit, as write(); on the bulk session when it is free, so
// two loaders' transactions run at once (their counters are upserted in key
// order, flush(), so they wait for each other there and never deadlock).
Result<void> PostgresDossiersStore::write_bulk(const DossierWrite& fn) {
  return db_.run_bulk<void>([&](Connection& c) { return write_one(c, fn); });
}

std::vector<Result<void>> PostgresDossiersStore::write_batch(const std::vector<DossierWrite>& fns) {
  std::vector<Result<void>> out;
  // First without savepoints, which cost a round trip each: most refusals (a
  // stale version, an action the state does not allow) come before a closure
  // writes anything, and leave nothing to undo. A closure that fails after a
  // write or a failed statement sends the batch to the careful path below.
  //
  // The writes go out pipelined: BEGIN, every closure's writes and the
  // counters travel together and their answers come back together before
  // COMMIT, two round trips for the batch (a closure that must read first
  // drains what is queued). A queued write that failed, or found its row
  // moved on, fails the commit; the batch then runs again on the careful
  // path, where each closure meets its own outcome.
  //
  // Should the connection be lost during the commit, the batch's token says
  // whether it committed (commit()); it runs again only if it did not.
  bool careful = false;
  bool again = false;
  std::optional<Error> unknown;  // lost at the commit, and whether it committed is not known
  auto fast_once = [&](Connection& c) -> Result<void> {
    out.clear();
    careful = false;
    again = false;
    auto tx = Transaction::begin_pipelined(c);
    if (!tx) return tx.error();
    Buffers buffers;
    for (const auto& fn : fns) {
      Txn txn(c, buffers, true);
      Result<void> r = fn(txn);
      if (!r && txn.needs_rollback()) {
        careful = true;
        return ok();  // the transaction rolls back as it goes out of scope
      }
      buffers.settle(r.ok());
      out.push_back(std::move(r));
    }
    if (auto f = flush(c, buffers, true); !f) return f;
    Error why;
    const Outcome committed = commit(c, *tx, true, why);
    if (committed == Outcome::kUnknown) unknown = why;  // not for db_.run to run again
    careful = committed == Outcome::kRefused;
    again = committed == Outcome::kLost;
    return ok();
  };
  auto fast = db_.run<void>(fast_once);
  if (fast && again) fast = db_.run<void>(fast_once);  // once more, as db_.run does
  if (fast && again) fast = lost_twice();
  if (fast && unknown) fast = *unknown;
  if (!fast) return std::vector<Result<void>>(fns.size(), fast.error());
  if (!careful) return out;
  ++reruns_;
  auto careful_once = [&](Connection& c) -> Result<void> {
    out.clear();
    again = false;
    auto tx = Transaction::begin(c);
    if (!tx) return tx.error();
    // A savepoint per closure, each released as the next is taken (one round
    // trip between closures); a closure that fails rolls back to its own.
    if (auto r = c.exec("SAVEPOINT dossier_write"); !r) return r.error();
    Buffers buffers;
    for (std::size_t i = 0; i < fns.size(); ++i) {
      Txn txn(c, buffers);
      Result<void> r = fns[i](txn);
      buffers.settle(r.ok());
      if (!r) {
        if (auto rb = c.exec("ROLLBACK TO SAVEPOINT dossier_write"); !rb) return rb.error();
      }
      const char* next = i + 1 < fns.size()
                             ? "RELEASE SAVEPOINT dossier_write; SAVEPOINT dossier_write"
                             : "RELEASE SAVEPOINT dossier_write";
      if (auto rel = c.exec(next); !rel) return rel.error();
      out.push_back(std::move(r));
    }
    if (auto f = flush(c, buffers); !f) return f;
    Error why;
    const Outcome committed = commit(c, *tx, false, why);
    if (committed == Outcome::kRefused) return why;
    if (committed == Outcome::kUnknown) unknown = why;
    again = committed == Outcome::kLost;
    return ok();
  };
  auto all = db_.run<void>(careful_once);
  if (all && again) all = db_.run<void>(careful_once);
  if (all && again) all = lost_twice();
  if (all && unknown) all = *unknown;
  if (!all) return std::vector<Result<void>>(fns.size(), all.error());
  return out;
}

Error PostgresDossiersStore::lost_twice() {
  return make_error(
      ErrorKind::kUnavailable,
      "Mất kết nối tới PostgreSQL hai lần khi ghi lô; không có thay đổi nào được ghi.",
      "Lost the connection to PostgreSQL twice while writing a batch; no change"
      " was written.");
}

PostgresDossiersStore::Outcome PostgresDossiersStore::commit(Connection& c, Transaction& tx,
                                                             bool pipelined, Error& why) {
  char token[33];
  std::snprintf(token, sizeof token, "%016llx%016llx", static_cast<unsigned long long>(rng_()),
                static_cast<unsigned long long>(rng_()));
  const std::string now = std::to_string(now_seconds());
  auto write = [&](const char* sql, const std::vector<std::string>& params) -> Result<void> {
    if (pipelined) return c.send(sql, params);
    if (auto r = c.query(sql, params); !r) return r.error();
    return ok();
  };
  auto marked = write(kMarkBatch, {token, last_token_, now});
  if (marked && ++batches_ % kBatchesBetweenCleanups == 0) {
    marked = write(kForgetOldTokens, {std::to_string(now_seconds() - kTokenLifeSeconds)});
  }
  if (marked) marked = tx.commit();
  if (!marked) {
    if (!c.lost()) {
      why = marked.error();
      return Outcome::kRefused;
    }
    tx.abandon();  // its session is gone; the next one has no transaction to end
    auto known = committed_before_loss(c, token);
    if (!known) {
      why = with_log_detail(
          outcome_unknown("Mất kết nối tới cơ sở dữ liệu lúc ghi, và không kiểm tra lại được.",
                          "The connection to the database was lost as the write was committed, "
                          "and could not be checked again."),
          known.error().message_en +
              (known.error().log_detail.empty() ? "" : " (" + known.error().log_detail + ")"));
      return Outcome::kUnknown;
    }
    if (!*known) return Outcome::kLost;
  }
  last_token_ = token;
  return Outcome::kCommitted;
}

Result<std::optional<DossierRecord>> PostgresDossiersStore::get(std::string_view id) {
  static const std::string sql = select_where("id = $1");
  return db_.read<std::optional<DossierRecord>>(
      [&](Connection& c) { return load_one(c, sql, id); });
}

Result<std::optional<DossierRecord>> PostgresDossiersStore::get_by_code(std::string_view code) {
  static const std::string sql = select_where("code = $1");
  return db_.read<std::optional<DossierRecord>>(
      [&](Connection& c) { return load_one(c, sql, code); });
}

Result<std::vector<dossier::Event>> PostgresDossiersStore::events(std::string_view dossier_id) {
  return db_.read<std::vector<dossier::Event>>(
      [&](Connection& c) -> Result<std::vector<dossier::Event>> {
        auto r = c.query(
            "SELECT dossier_id, seq, dossier_code, at, actor_user_id, actor_role, actor_unit,"
            " action, from_state, to_state, note, payload, body_sha256, hash FROM dossier_events"
            " WHERE dossier_id = $1 ORDER BY seq",
            {std::string(dossier_id)});
        if (!r) return r.error();
        const PGresult* res = r->get();
        std::vector<dossier::Event> out;
        for (int i = 0; i < PQntuples(res); ++i) {
          dossier::Event e;
          e.dossier_id = text(res, i, 0);
          e.seq = number(res, i, 1);
          read_entry(res, i, 2, e);
          e.hash = text(res, i, 13);
          out.push_back(std::move(e));
        }
        dossier::link_stored_chain(out);
        return out;
      });
}

std::string inbox_sql(const InboxQuery& q, std::vector<std::string>& params) {
  auto param = [&](std::string v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  // What every scan shares: the filters, the cursor, the page size (a
  // parameter too: one statement prepared per set of filters, not per page
  // size).
  std::string shared;
  if (!q.state.empty()) shared += " AND state = " + param(q.state);
  if (!q.procedure_code.empty()) shared += " AND procedure_code = " + param(q.procedure_code);
  if (!q.channel.empty()) shared += " AND channel = " + param(q.channel);
  if (q.after) {
    const std::string due = param(std::to_string(q.after->first)) + "::bigint";
    shared += " AND (sort_due, id) > (" + due + ", " + param(q.after->second) + ")";
  }
  const std::string limit = param(std::to_string(q.limit)) + "::bigint";
  const std::string order = " ORDER BY sort_due, id LIMIT " + limit;
  // One scan per branch and state, each a range of its index in page order
  // that stops at the page, in the generic plan too: with several states in
  // one scan PostgreSQL read every match of the unit and sorted them
  // (tests/store/pg_inbox_plan_test.cpp). A branch's states are one
  // parameter, the scan run once per state (LATERAL): a statement of one
  // subquery per state took longer to plan, again at every run while its
  // plans are custom, than the scans took.
  std::vector<std::string> arms;
  std::string single;  // the one plain scan, when that is all there is
  for (const InboxBranch& b : inbox_branches(q)) {
    const InboxClause& cl = *b.clause;
    if (cl.states.empty()) continue;
    std::string head = std::string(b.column) + " = " + param(cl.value) + b.condition;
    if (!cl.assignee.empty()) head += " AND assignee = " + param(cl.assignee);
    std::string scan;
    if (b.scan_per_state && cl.states.size() > 1) {
      arms.push_back("(SELECT p.sort_due AS top_due, p.id AS top_id FROM unnest(string_to_array(" +
                     param(comma_list(cl.states)) +
                     ", ',')) AS s (st) CROSS JOIN LATERAL (SELECT sort_due, id FROM dossiers"
                     " WHERE " +
                     head + " AND state = s.st" + shared + order + ") AS p)");
      continue;
    }
    if (b.scan_per_state) {
      scan = head + " AND state = " + param(cl.states.front()) + shared;
    } else {
      scan = head + " AND state = ANY (string_to_array(" + param(comma_list(cl.states)) +
             ", ','))" + shared;
    }
    single = arms.empty() ? scan : "";
    arms.push_back("(SELECT sort_due AS top_due, id AS top_id FROM dossiers WHERE " + scan + order +
                   ")");
  }
  if (arms.empty()) return "";
  if (arms.size() == 1 && !single.empty()) return select_where(single) + order;
  // The page is within the union of the scans' pages. The scans give keys
  // only, which the union compares to keep a dossier two branches find once;
  // only the page's rows are then read.
  std::string pages;
  for (const std::string& arm : arms) pages += (pages.empty() ? "" : " UNION ") + arm;
  const std::string sql = std::string("SELECT ") + kColumns + " FROM (" + pages +
                          " ORDER BY top_due, top_id LIMIT " + limit +
                          ") AS top JOIN dossiers ON id = top_id ORDER BY top_due, top_id";
  return sql;
}

Result<std::vector<DossierRecord>> PostgresDossiersStore::inbox(const InboxQuery& q) {
  std::vector<std::string> params;
  const std::string sql = inbox_sql(q, params);
  if (sql.empty()) return std::vector<DossierRecord>();
  return db_.read<std::vector<DossierRecord>>(
      [&](Connection& c) -> Result<std::vector<DossierRecord>> {
        auto r = c.query(sql.c_str(), params);
        if (!r) return r.error();
        std::vector<DossierRecord> out;
        for (int i = 0; i < PQntuples(r->get()); ++i) out.push_back(record_of(r->get(), i));
        return out;
      });
}

Result<std::int64_t> PostgresDossiersStore::event_count() {
  return db_.read<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
    auto r = c.query("SELECT count(*) FROM dossier_events");
    if (!r) return r.error();
    return number(r->get(), 0, 0);
  });
}

Result<void> PostgresDossiersStore::audit_scan(
    const std::function<Result<void>(const AuditDossier&)>& fn) {
  // Rows in id order, a page at a time, and the page's entries as one range
  // of the log's key (dossier_id, seq): two ordered scans, merged.
  static const std::string rows_sql = select_where("id > $1") + " ORDER BY id LIMIT 1000";
  std::string after;
  for (;;) {
    std::vector<AuditDossier> page;
    auto read = db_.read<bool>([&](Connection& c) -> Result<bool> {
      auto rows = c.query(rows_sql.c_str(), {after});
      if (!rows) return rows.error();
      for (int i = 0; i < PQntuples(rows->get()); ++i) {
        page.push_back(AuditDossier{record_of(rows->get(), i), {}});
      }
      if (page.empty()) return true;
      auto r = c.query(
          "SELECT dossier_id, seq, dossier_code, at, actor_user_id, actor_role, actor_unit,"
          " action, from_state, to_state, note, payload, body_sha256, hash FROM dossier_events"
          " WHERE dossier_id >= $1 AND dossier_id <= $2 ORDER BY dossier_id, seq",
          {page.front().row.id, page.back().row.id});
      if (!r) return r.error();
      const PGresult* res = r->get();
      std::size_t at = 0;
      for (int i = 0; i < PQntuples(res); ++i) {
        const std::string id = text(res, i, 0);
        while (at < page.size() && page[at].row.id < id) ++at;
        if (at == page.size() || page[at].row.id != id) continue;  // its row is gone
        dossier::Event e;
        e.dossier_id = id;
        e.seq = number(res, i, 1);
        read_entry(res, i, 2, e);
        e.hash = text(res, i, 13);
        page[at].events.push_back(std::move(e));
      }
      return true;
    });
    if (!read) return read.error();
    if (page.empty()) return ok();
    for (auto& d : page) {
      dossier::link_stored_chain(d.events);
      if (auto s = fn(d); !s) return s;
    }
    after = page.back().row.id;
  }
}

Result<std::vector<CodeSequence>> PostgresDossiersStore::code_sequences() {
  return db_.read<std::vector<CodeSequence>>(
      [&](Connection& c) -> Result<std::vector<CodeSequence>> {
        auto r = c.query(
            "SELECT agency_code, day, last FROM dossier_code_sequences ORDER BY agency_code, day");
        if (!r) return r.error();
        std::vector<CodeSequence> out;
        for (int i = 0; i < PQntuples(r->get()); ++i) {
          out.push_back(
              CodeSequence{text(r->get(), i, 0), text(r->get(), i, 1), number(r->get(), i, 2)});
        }
        return out;
      });
}

Result<std::vector<DossierRecord>> PostgresDossiersStore::heads() {
  return db_.read<std::vector<DossierRecord>>(
      [&](Connection& c) -> Result<std::vector<DossierRecord>> {
        auto r =
            c.query("SELECT id, coalesce(code, ''), head_seq, head_hash FROM dossiers ORDER BY id");
        if (!r) return r.error();
        std::vector<DossierRecord> out;
        for (int i = 0; i < PQntuples(r->get()); ++i) {
          DossierRecord d;
          d.id = text(r->get(), i, 0);
          d.code = text(r->get(), i, 1);
          d.head.seq = number(r->get(), i, 2);
          d.head.hash = text(r->get(), i, 3);
          out.push_back(std::move(d));
        }
        return out;
      });
}

Result<std::vector<DossierRecord>> PostgresDossiersStore::deadline_candidates(
    std::string_view flag, const SweepKey& after, std::int64_t due_before, std::size_t limit) {
  static const std::string sql =
      select_where(
          "live_due IS NOT NULL AND (live_due, competent_unit, id) > ($4::bigint, $5, $6)"
          " AND live_due <= $1::bigint"
          " AND NOT EXISTS (SELECT 1 FROM dossier_deadline_flags f"
          " WHERE f.dossier_id = dossiers.id AND f.flag = $2)") +
      " ORDER BY live_due, competent_unit, id LIMIT $3::bigint";
  return db_.read<std::vector<DossierRecord>>(
      [&](Connection& c) -> Result<std::vector<DossierRecord>> {
        auto r = c.query(sql.c_str(),
                         {std::to_string(due_before), std::string(flag), std::to_string(limit),
                          std::to_string(after.live_due), after.unit, after.id});
        if (!r) return r.error();
        std::vector<DossierRecord> out;
        for (int i = 0; i < PQntuples(r->get()); ++i) out.push_back(record_of(r->get(), i));
        return out;
      });
}

Result<bool> PostgresDossiersStore::reindex_due(const std::string& id, std::int64_t version,
                                                std::optional<std::int64_t> due_at,
                                                std::optional<std::int64_t> live_due) {
  const auto text_of = [](std::optional<std::int64_t> v) {
    return v ? std::to_string(*v) : std::string();
  };
  return db_.run<bool>([&](Connection& c) -> Result<bool> {
    auto r = c.query(
        "UPDATE dossiers SET due_at = nullif($3, '')::bigint, sort_due = $4::bigint,"
        " live_due = nullif($5, '')::bigint WHERE id = $1 AND version = $2::bigint RETURNING 1",
        {id, std::to_string(version), text_of(due_at),
         std::to_string(due_at.value_or(kNoDueSortKey)), text_of(live_due)});
    if (!r) return r.error();
    return PQntuples(r->get()) > 0;
  });
}

Result<bool> PostgresDossiersStore::record_upload(const UploadRecord& u) {
  return db_.run<bool>([&](Connection& c) -> Result<bool> {
    auto r = c.query(
        "INSERT INTO attachment_uploads (sha256, uploaded_by, size, media_type, file_name,"
        " created_at) VALUES ($1, $2, $3::bigint, $4, $5, $6::bigint)"
        " ON CONFLICT (sha256, uploaded_by) DO UPDATE SET file_name = excluded.file_name"
        " WHERE excluded.file_name <> ''"
        // A row the insert wrote has no deleting transaction yet (xmax 0).
        " RETURNING xmax = 0",
        {u.sha256, u.uploaded_by, std::to_string(u.size), u.media_type, u.file_name,
         std::to_string(u.created_at)});
    if (!r) return r.error();
    return PQntuples(r->get()) > 0 && text(r->get(), 0, 0) == "t";
  });
}

Result<std::optional<UploadRecord>> PostgresDossiersStore::find_upload(std::string_view sha256,
                                                                       std::string_view by) {
  return db_.read<std::optional<UploadRecord>>(
      [&](Connection& c) -> Result<std::optional<UploadRecord>> {
        auto r = c.query(
            "SELECT sha256, uploaded_by, size, media_type, file_name, created_at"
            " FROM attachment_uploads WHERE sha256 = $1 AND uploaded_by = $2",
            {std::string(sha256), std::string(by)});
        if (!r) return r.error();
        const PGresult* res = r->get();
        if (PQntuples(res) == 0) return std::optional<UploadRecord>();
        return std::optional<UploadRecord>(UploadRecord{text(res, 0, 0), text(res, 0, 1),
                                                        number(res, 0, 2), text(res, 0, 3),
                                                        text(res, 0, 4), number(res, 0, 5)});
      });
}

Result<std::vector<OutboxRow>> PostgresDossiersStore::pending_outbox(std::size_t limit) {
  return db_.read<std::vector<OutboxRow>>([&](Connection& c) -> Result<std::vector<OutboxRow>> {
    // A change's row (empty payload) finds its entry in the log.
    auto r = c.query(
        "SELECT o.id, o.dossier_id, o.event_seq, o.topic, o.payload, e.seq IS NOT NULL,"
        " e.dossier_code, e.at, e.actor_user_id, e.actor_role, e.actor_unit, e.action,"
        " e.from_state, e.to_state, e.note, e.payload, e.body_sha256"
        " FROM dossier_outbox o LEFT JOIN dossier_events e"
        " ON o.payload = '' AND e.dossier_id = o.dossier_id AND e.seq = o.event_seq"
        " WHERE o.sent_at IS NULL ORDER BY o.id LIMIT $1::bigint",
        {std::to_string(limit)});
    if (!r) return r.error();
    const PGresult* res = r->get();
    std::vector<OutboxRow> out;
    for (int i = 0; i < PQntuples(res); ++i) {
      OutboxRow row{number(res, i, 0), text(res, i, 1), number(res, i, 2), text(res, i, 3),
                    text(res, i, 4)};
      if (row.payload.empty()) {
        if (text(res, i, 5) != "t") return outbox_entry_missing(row);
        dossier::Event e;
        e.dossier_id = row.dossier_id;
        e.seq = row.event_seq;
        read_entry(res, i, 6, e);
        row.payload = dossier::canonical_event(e);
      }
      out.push_back(std::move(row));
    }
    return out;
  });
}

Result<std::vector<std::pair<std::string, std::int64_t>>> PostgresDossiersStore::open_due_counts(
    std::int64_t before, const std::vector<std::string>& units) {
  // Two statements, so that each keeps its own plan: the whole country reads
  // the live-due index, a few units their ranges of the unit-then-time index.
  static const char* every =
      "SELECT competent_unit, count(*) FROM dossiers WHERE live_due < $1::bigint"
      " GROUP BY competent_unit";
  static const char* some =
      "SELECT competent_unit, count(*) FROM dossiers WHERE live_due < $1::bigint"
      " AND competent_unit = ANY (string_to_array($2, ',')) GROUP BY competent_unit";
  return db_.read<std::vector<std::pair<std::string, std::int64_t>>>(
      [&](Connection& c) -> Result<std::vector<std::pair<std::string, std::int64_t>>> {
        auto r = units.empty() ? c.query(every, {std::to_string(before)})
                               : c.query(some, {std::to_string(before), comma_list(units)});
        if (!r) return r.error();
        std::vector<std::pair<std::string, std::int64_t>> out;
        for (int i = 0; i < PQntuples(r->get()); ++i) {
          out.emplace_back(text(r->get(), i, 0), number(r->get(), i, 1));
        }
        return out;
      });
}

Result<std::int64_t> PostgresDossiersStore::open_due_total(std::int64_t from, std::int64_t before,
                                                           const std::vector<std::string>& units) {
  static const std::string every =
      "SELECT count(*) FROM dossiers WHERE live_due >= $1::bigint AND live_due < $2::bigint";
  static const std::string some = every + " AND competent_unit = ANY (string_to_array($3, ','))";
  return db_.read<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
    auto r = units.empty() ? c.query(every.c_str(), {std::to_string(from), std::to_string(before)})
                           : c.query(some.c_str(), {std::to_string(from), std::to_string(before),
                                                    comma_list(units)});
    if (!r) return r.error();
    return number(r->get(), 0, 0);
  });
}

Result<std::vector<DossierRecord>> PostgresDossiersStore::open_due(
    std::int64_t from, std::int64_t before, const std::vector<std::string>& units,
    std::size_t limit) {
  // Two statements, so that each plan is made for its own index: the open
  // dossiers by live due time for all units, by unit then time for some.
  // Ordered as the first index is, and by id only among a unit's dossiers
  // due at one time: by id alone, every dossier due at the first time (the
  // whole country's due at 17:00 on a Monday) was sorted.
  static const std::string order = " ORDER BY live_due, competent_unit, id LIMIT $2::bigint";
  static const std::string due = "live_due >= $3::bigint AND live_due < $1::bigint";
  static const std::string every = select_where(due) + order;
  static const std::string some =
      select_where(due + " AND competent_unit = ANY (string_to_array($4, ','))") + order;
  std::vector<std::string> params = {std::to_string(before), std::to_string(limit),
                                     std::to_string(from)};
  if (!units.empty()) params.push_back(comma_list(units));
  return db_.read<std::vector<DossierRecord>>(
      [&](Connection& c) -> Result<std::vector<DossierRecord>> {
        auto r = c.query(units.empty() ? every.c_str() : some.c_str(), params);
        if (!r) return r.error();
        std::vector<DossierRecord> out;
        for (int i = 0; i < PQntuples(r->get()); ++i) out.push_back(record_of(r->get(), i));
        return out;
      });
}

Result<void> PostgresDossiersStore::scan(
    const std::function<Result<void>(const DossierRecord&)>& fn) {
  static const std::string sql = select_where("id > $1") + " ORDER BY id LIMIT 5000";
  std::string after;
  for (;;) {
    auto page = db_.read<std::vector<DossierRecord>>(
        [&](Connection& c) -> Result<std::vector<DossierRecord>> {
          auto r = c.query(sql.c_str(), {after});
          if (!r) return r.error();
          std::vector<DossierRecord> out;
          for (int i = 0; i < PQntuples(r->get()); ++i) out.push_back(record_of(r->get(), i));
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

}  // namespace motcua::store::postgres
