// Storage area `dossiers`: the dossiers (the current state as columns plus the
// whole dossier as JSON text), their hash-chained event log, the chain head of
// each dossier, the receipt sequences per agency and day, idempotency keys and
// the outbox to the national portal.
//
// Every change runs through write(): one transaction in which the caller's
// closure reads what it needs (locking the dossier), allocates a sequence and
// saves. save() writes the row, appends the event to the dossier's chain
// (seq, prev_hash and hash are set by the store from the stored head) and
// queues an outbox row, so the three never disagree. A closure that returns
// an error rolls the whole transaction back: a receipt that fails gives its
// sequence number back, and the sequences stay gap-free.
//
// The store keeps the JSON body as given (services/dossier_json encodes it);
// the columns are what queries filter and sort on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/dossier/event_chain.hpp"
#include "domain/stats/counters.hpp"

namespace motcua::store {

struct DossierRecord {
  std::string id;
  std::string code;  // "" until received
  std::string procedure_code;
  std::string procedure_version;
  std::string receiving_unit;
  std::string competent_unit;
  std::string channel;  // dossier::channel_name
  std::string state;    // dossier::state_name
  std::string applicant_user_id;
  std::string assignee;
  // Epoch seconds, set on receipt: the effective due time as of the last
  // change (the legal one pushed back by answered supplement pauses), so that
  // "past due" can be asked of the index.
  std::optional<std::int64_t> due_at;
  // dossier::live_due of due_at: the due time that counts now (none when not
  // open, or waiting since before it), so that the overdue and the due soon
  // are one range of an index, those waiting overdue among them.
  std::optional<std::int64_t> live_due;
  std::int64_t updated_at = 0;         // epoch seconds
  std::string body;                    // the whole dossier as JSON text
  std::int64_t version = 0;            // 1 on creation, +1 per change (ETag)
  dossier::ChainHead head;             // the last event of the dossier's chain
};

// What one submission's Idempotency-Key remembers: the dossier it made and a
// fingerprint of the request, so a retry with another body is told apart.
struct IdempotencyRecord {
  std::string key;  // scoped by the caller: "<user id>:<key>"
  std::string request_hash;
  std::string dossier_id;
  std::int64_t created_at = 0;
};

// One person's upload of a file (the bytes are on disk by their SHA-256).
struct UploadRecord {
  std::string sha256;       // 64 lower-case hex digits
  std::string uploaded_by;  // user id
  std::int64_t size = 0;
  std::string media_type;
  std::string file_name;
  std::int64_t created_at = 0;
};

// What a write closure may do inside its transaction.
class DossierTxn {
 public:
  virtual ~DossierTxn() = default;
  // The dossier as committed, locked until the end of the transaction.
  virtual Result<std::optional<DossierRecord>> load(std::string_view id) = 0;
  virtual Result<std::optional<DossierRecord>> load_by_code(std::string_view code) = 0;
  // The next receipt number of (agency code, day "yymmdd"): 1, 2, 3, ...
  // With `count` > 1, takes that many consecutive numbers and returns the first.
  virtual Result<std::int64_t> next_sequence(std::string_view agency_code, std::string_view day,
                                             std::int64_t count = 1) = 0;
  // Gives back the numbers above `keep` that were taken and not used, if the
  // last taken is still `last` (no receipt has taken one since): the
  // counter then stands at `keep` (0: as if none was taken). Whether it did.
  virtual Result<bool> give_back_sequence(std::string_view agency_code, std::string_view day,
                                          std::int64_t last, std::int64_t keep) = 0;
  virtual Result<std::optional<IdempotencyRecord>> find_idempotency(std::string_view key) = 0;
  virtual Result<void> put_idempotency(const IdempotencyRecord& record) = 0;
  // expected_version 0: inserts a new dossier (version 1); else updates the
  // row if its version is still expected_version (kPreconditionFailed if not).
  // Appends `event` (its seq and hashes are set here) and queues its outbox
  // row. `record` comes back with its new version and head.
  virtual Result<void> save(DossierRecord& record, std::int64_t expected_version,
                            dossier::Event& event) = 0;
  // A change prepared outside the transaction from the row at
  // expected_version: record.version and record.head, and the event's seq and
  // hashes, already follow that row (dossier::append_event from its head).
  // Writes the row, the event and the outbox row in one statement if the row
  // is still at expected_version; kPreconditionFailed (kNotFound) if not, and
  // nothing written. Nothing is read first, so an action costs one round trip.
  // expected_version 0: a new dossier (version 1, its event chained from the
  // empty head), inserted; the committer then hashes nothing.
  virtual Result<void> save_prepared(const DossierRecord& record, std::int64_t expected_version,
                                     const dossier::Event& event) = 0;
  // Records deadline warning `flag` ("due_soon" or "overdue") of a dossier and
  // queues `payload` (a JSON object: never empty, which marks a change's
  // row) in the outbox as topic "dossier.<flag>"; false (and
  // nothing written) when the dossier was flagged so before.
  virtual Result<bool> flag_deadline(std::string_view dossier_id, std::string_view flag,
                                     std::int64_t at, std::string_view payload) = 0;
  // Adds `delta` (stats::delta of the change) to the operations centre's
  // counters, in this transaction: the figures move exactly when the dossier
  // does. Rows of one batch are merged before they are written.
  virtual void add_stats(const std::vector<stats::Row>& delta) = 0;
  // A dossier that arrives with its whole past (simulate): inserts the row and
  // `events`, already chained from the genesis by dossier::append_event, with
  // record.head and record.version (the number of events) set from them; a
  // record that does not match its events is refused (check_history). Nothing
  // goes to the outbox: a drill's history is not reported to the national portal.
  virtual Result<void> insert_history(const DossierRecord& record,
                                      const std::vector<dossier::Event>& events) = 0;
};

using DossierWrite = std::function<Result<void>(DossierTxn&)>;

// What insert_history checks, cheaply: the events belong to the record, run
// 1..n linked by prev_hash, and end at the record's head.
Result<void> check_history(const DossierRecord& record, const std::vector<dossier::Event>& events);
// What save_prepared checks: the event belongs to the record and is its new
// head, one version on from expected_version.
Result<void> check_prepared(const DossierRecord& record, std::int64_t expected_version,
                            const dossier::Event& event);
// Why a write over expected_version is refused, given the row as read now:
// kNotFound without a row, else kPreconditionFailed naming both versions.
Error version_refusal(const DossierRecord& record, std::int64_t expected_version,
                      const std::optional<DossierRecord>& current);

// The inbox: dossiers matching any clause, then the filters.
struct InboxClause {
  enum class Column { kReceivingUnit, kCompetentUnit, kApplicant };
  Column column = Column::kCompetentUnit;
  std::string value;     // unit code, or applicant user id
  std::string assignee;  // non-empty: only dossiers assigned to this user
  std::vector<std::string> states;
};

struct InboxQuery {
  std::vector<InboxClause> clauses;  // none: nothing matches
  std::string state;                 // filters, "" = any
  std::string procedure_code;
  std::string channel;
  // Keyset cursor: after (sort_due, id) of the previous page's last row.
  std::optional<std::pair<std::int64_t, std::string>> after;
  std::size_t limit = 50;
};

// A dossier as `audit verify` reads it: its row (every column, the body too)
// and its chain, in order, linked (link_stored_chain).
struct AuditDossier {
  DossierRecord row;
  std::vector<dossier::Event> events;
};

// A receipt counter: the last number given for (agency code, day "yymmdd").
struct CodeSequence {
  std::string agency_code;
  std::string day;
  std::int64_t last = 0;
};

// Sort key of a dossier with no due time yet: after every dated one.
inline constexpr std::int64_t kNoDueSortKey = 9'000'000'000'000;

// Where the deadline sweep stopped reading: a dossier's live due time,
// competent unit and id. Units and ids are never empty, so {t, "", ""} comes
// just before every dossier due at t.
struct SweepKey {
  std::int64_t live_due = std::numeric_limits<std::int64_t>::min();
  std::string unit;
  std::string id;
};

struct OutboxRow {
  std::int64_t id = 0;
  std::string dossier_id;
  std::int64_t event_seq = 0;
  std::string topic;
  std::string payload;
};
// An outbox row of a change whose entry is not in the log (kInternal): the
// log is append-only, so the database was edited by hand.
Error outbox_entry_missing(const OutboxRow& row);

// What group commit (group_commit.hpp) needs of a store.
class BatchWriter {
 public:
  virtual ~BatchWriter() = default;
  // Runs each closure in its own savepoint of ONE transaction (group commit):
  // a failing closure is rolled back alone. Returns each closure's result; a
  // failed commit fails them all.
  virtual std::vector<Result<void>> write_batch(const std::vector<DossierWrite>& fns) = 0;
  // How many write_batch() calls ran a second time, a savepoint a closure,
  // because a closure failed after writing (or, on PostgreSQL, a write sent
  // ahead failed at the commit): such a batch costs twice.
  virtual std::uint64_t batches_rerun() const { return 0; }
};

class DossiersStore : public BatchWriter {
 public:
  // Runs `fn` in one durable transaction; commits only if it succeeds. On
  // PostgreSQL `fn` may run twice (once more after a lost connection): it
  // must be a function of what it reads.
  virtual Result<void> write(const DossierWrite& fn) = 0;
  // For a bulk load (simulate): as write(), except that the commit may be
  // durable only once a later sync() returns; one sync() makes every such
  // commit before it durable, so a loader syncs on another thread while it
  // writes its next transaction. Readers may see the commit before then.
  virtual Result<void> write_bulk(const DossierWrite& fn) { return write(fn); }
  virtual Result<void> sync() { return ok(); }
  // How many write_bulk() calls gain from running at once (from as many
  // threads); a loader's transactions must then touch shared rows (the
  // counters) in one order, as add_stats() does.
  virtual std::size_t bulk_writers() const { return 1; }

  virtual Result<std::optional<DossierRecord>> get(std::string_view id) = 0;
  virtual Result<std::optional<DossierRecord>> get_by_code(std::string_view code) = 0;
  // The dossier's events, in chain order.
  virtual Result<std::vector<dossier::Event>> events(std::string_view dossier_id) = 0;
  virtual Result<std::vector<DossierRecord>> inbox(const InboxQuery& query) = 0;
  // Every dossier's id, code and stored head, in id order (for audit verify).
  virtual Result<std::vector<DossierRecord>> heads() = 0;
  // How many entries the log holds, whoever they belong to (for audit verify:
  // more than the dossiers' chains hold is entries whose row is gone).
  virtual Result<std::int64_t> event_count() = 0;
  // Every dossier with its chain, a page of rows at a time, each page's
  // entries read in one range of the log (for audit verify: run it in one
  // snapshot). Entries whose row is gone are skipped (event_count tells).
  // Stops at the first error `fn` returns.
  virtual Result<void> audit_scan(const std::function<Result<void>(const AuditDossier&)>& fn) = 0;
  // Every receipt counter (dossier_code_sequences), in key order.
  virtual Result<std::vector<CodeSequence>> code_sequences() = 0;
  // Dossiers with a live due time (DossierRecord::live_due: open, and not
  // waiting since before their due) coming after `after` in (live due time,
  // competent unit, id) order and due at or before `due_before` (epoch
  // seconds), not yet flagged `flag`, in that order: one range of the
  // live-due index.
  virtual Result<std::vector<DossierRecord>> deadline_candidates(std::string_view flag,
                                                                 const SweepKey& after,
                                                                 std::int64_t due_before,
                                                                 std::size_t limit) = 0;
  // Sets the row's indexed due times (due_at, its sort key, live_due) if it
  // is still at `version`; false if it moved on (its writer indexed it).
  // For a calendar change, which moves the due time of a dossier whose
  // supplement pause it spans, with no change to the dossier itself.
  virtual Result<bool> reindex_due(const std::string& id, std::int64_t version,
                                   std::optional<std::int64_t> due_at,
                                   std::optional<std::int64_t> live_due) = 0;
  // Records an upload; false when this person uploaded these bytes before:
  // the first record stays, but takes the new file name if one was kept (the
  // name is what the uploader now calls the file). Durable when it returns.
  virtual Result<bool> record_upload(const UploadRecord& upload) = 0;
  virtual Result<std::optional<UploadRecord>> find_upload(std::string_view sha256,
                                                          std::string_view uploaded_by) = 0;
  // Outbox rows not yet sent, oldest first. A change's row keeps no copy of
  // its log entry: its payload is read from the log (canonical_event).
  virtual Result<std::vector<OutboxRow>> pending_outbox(std::size_t limit) = 0;

  // --- For the operations centre (stats_service) ---
  // Open dossiers whose live due time (DossierRecord::live_due) is before
  // `before`: being processed, or waiting for the applicant since they were
  // overdue. Counted by competent unit; `units` empty: every unit (a range of
  // the live-due index), else only those units, each its own index range.
  virtual Result<std::vector<std::pair<std::string, std::int64_t>>> open_due_counts(
      std::int64_t before, const std::vector<std::string>& units) = 0;
  // How many of them are due at or after `from` and before `before`, in all
  // (`units` empty: every unit); a count of one range, not a grouping.
  virtual Result<std::int64_t> open_due_total(std::int64_t from, std::int64_t before,
                                              const std::vector<std::string>& units) = 0;
  // The dossiers themselves, due at or after `from` and before `before`,
  // soonest due first, at most `limit`; `units` empty: every unit. The lower
  // bound lets the dossiers due soon be listed apart from the overdue ones,
  // however many of those there are. Those due at the same time come in an
  // order of the back end's choosing, the same at every call.
  virtual Result<std::vector<DossierRecord>> open_due(std::int64_t from, std::int64_t before,
                                                      const std::vector<std::string>& units,
                                                      std::size_t limit) = 0;
  // Every dossier (its body), in id order, `chunk` at a time: for rebuilding
  // the counters from scratch. Stops at the first error `fn` returns.
  virtual Result<void> scan(const std::function<Result<void>(const DossierRecord&)>& fn) = 0;
};

// The counters' table, read side (the write side is DossierTxn::add_stats).
class StatsStore {
 public:
  virtual ~StatsStore() = default;
  // Sum of (level, unit)'s rows over days [from, to]: the days of the partial
  // months at its ends and the monthly rollup of the whole months between.
  virtual Result<stats::Counters> sum(stats::Level level, std::string_view unit, std::int64_t from,
                                      std::int64_t to) = 0;
  // The same for each of `units` that has rows (one query); only the
  // counters in `only` when it is not empty (the others stay 0).
  virtual Result<std::vector<std::pair<std::string, stats::Counters>>> sum_each(
      stats::Level level, const std::vector<std::string>& units, std::int64_t from,
      std::int64_t to, std::span<const stats::Counter> only = {}) = 0;
  // (level, unit)'s rows over days [from, to], by day; only the counters in
  // `only` when it is not empty (the others stay 0).
  virtual Result<std::vector<stats::Row>> days(stats::Level level, std::string_view unit,
                                               std::int64_t from, std::int64_t to,
                                               std::span<const stats::Counter> only = {}) = 0;
  // Every daily row, in key order.
  virtual Result<std::vector<stats::Row>> all() = 0;
  // Every monthly row (key.day: the month's first day), in key order.
  virtual Result<std::vector<stats::Row>> months() = 0;
  // Replaces every daily row with `rows`, and the monthly rows with their
  // rollup, in one transaction (a rebuild), which clears `reasons` from
  // rebuild_due() (every reason when null): the ones read before the
  // rebuild's snapshot, as a mark left meanwhile is for a change it missed.
  // With `seen` (the daily rows as all() read them in the snapshot the
  // rebuild was computed in): only if they are still so, else kConflict.
  // A dossier change committed after that snapshot has added to those rows,
  // and replacing them would lose it; a change that counts nothing is
  // nothing to lose.
  virtual Result<void> replace_all(const std::vector<stats::Row>& rows,
                                   const std::vector<stats::Row>* seen = nullptr,
                                   const std::vector<std::string>* reasons = nullptr) = 0;
  // Why the rows must be rebuilt before they are right (an upgrade changed
  // what a counter counts, migration 17; a calendar change, CalendarStore);
  // empty: they are current.
  virtual Result<std::vector<std::string>> rebuild_due() = 0;
  // Leaves the newest units import's mark (store/reference_rows.hpp) again,
  // when there are counters: a process that counted by an older registry
  // after that import does so as it stops.
  virtual Result<void> mark_units_import() = 0;
  // Runs `reads` so that every read it makes on this thread, of this store
  // and of the dossiers store of the same Store, sees one committed state:
  // the figures of one answer agree with each other.
  virtual Result<void> in_one_snapshot(const std::function<Result<void>()>& reads) = 0;
};

}  // namespace motcua::store
