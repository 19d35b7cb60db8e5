// The dossiers area on PostgreSQL. Each write is one transaction at the default durability;
// the dossier row is locked (SELECT ... FOR UPDATE) while it changes, and a
// sequence row is locked from its upsert to the commit, so receipts stay gap-free.
#pragma once

#include <atomic>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "store/dossiers_store.hpp"
#include "store/postgres/database.hpp"

namespace motcua::store::postgres {

class PostgresDossiersStore final : public DossiersStore {
 public:
  explicit PostgresDossiersStore(Database& db) : db_(db) {}

  Result<void> write(const DossierWrite& fn) override;
  std::vector<Result<void>> write_batch(const std::vector<DossierWrite>& fns) override;
  std::uint64_t batches_rerun() const override { return reruns_.load(); }
  Result<void> write_bulk(const DossierWrite& fn) override;
  std::size_t bulk_writers() const override { return 2; }
  Result<std::optional<DossierRecord>> get(std::string_view id) override;
  Result<std::optional<DossierRecord>> get_by_code(std::string_view code) override;
  Result<std::vector<dossier::Event>> events(std::string_view dossier_id) override;
  Result<std::vector<DossierRecord>> inbox(const InboxQuery& query) override;
  Result<std::vector<DossierRecord>> heads() override;
  Result<std::int64_t> event_count() override;
  Result<void> audit_scan(const std::function<Result<void>(const AuditDossier&)>& fn) override;
  Result<std::vector<CodeSequence>> code_sequences() override;
  Result<std::vector<DossierRecord>> deadline_candidates(std::string_view flag,
                                                         const SweepKey& after,
                                                         std::int64_t due_before,
                                                         std::size_t limit) override;
  Result<bool> reindex_due(const std::string& id, std::int64_t version,
                           std::optional<std::int64_t> due_at,
                           std::optional<std::int64_t> live_due) override;
  Result<bool> record_upload(const UploadRecord& upload) override;
  Result<std::optional<UploadRecord>> find_upload(std::string_view sha256,
                                                  std::string_view uploaded_by) override;
  Result<std::vector<OutboxRow>> pending_outbox(std::size_t limit) override;
  Result<std::vector<std::pair<std::string, std::int64_t>>> open_due_counts(
      std::int64_t before, const std::vector<std::string>& units) override;
  Result<std::int64_t> open_due_total(std::int64_t from, std::int64_t before,
                                      const std::vector<std::string>& units) override;
  Result<std::vector<DossierRecord>> open_due(std::int64_t from, std::int64_t before,
                                              const std::vector<std::string>& units,
                                              std::size_t limit) override;
  Result<void> scan(const std::function<Result<void>(const DossierRecord&)>& fn) override;

 private:
  enum class Outcome { kCommitted, kRefused, kLost, kUnknown };
  // Commits a batch's transaction with its token row (migration 19). kRefused:
  // not committed, the session still there (`why` says why); kLost: the
  // session was lost and the batch had not committed, so it may run again;
  // kUnknown: lost, and the new session could not tell (`why`).
  Outcome commit(Connection& c, Transaction& tx, bool pipelined, Error& why);
  static Error lost_twice();

  Database& db_;
  std::atomic<std::uint64_t> reruns_{0};
  // Used under the writing session's lock (inside db_.run).
  std::mt19937_64 rng_{std::random_device{}()};
  std::string last_token_;  // of the last batch known committed
  std::uint64_t batches_ = 0;
};

// The statement PostgresDossiersStore::inbox runs, its parameters appended to
// `params`; "" when nothing can match. tests/store/pg_inbox_plan_test.cpp
// plans it: the server's view of a running statement keeps only its first
// kilobyte.
std::string inbox_sql(const InboxQuery& q, std::vector<std::string>& params);

}  // namespace motcua::store::postgres
