// The dossiers area on SQLite. Writes take the write lock at once (BEGIN
// IMMEDIATE) and commit with synchronous=FULL, so a write is durable when
// write() returns. write_bulk's commit leaves the log's sync to sync()
// (wal_batching_vfs.hpp).
#pragma once

#include <atomic>

#include "store/dossiers_store.hpp"
#include "store/sqlite/database.hpp"

namespace motcua::store::sqlite {

class SqliteDossiersStore final : public DossiersStore {
 public:
  explicit SqliteDossiersStore(Database& db) : db_(db) {}
  ~SqliteDossiersStore() override;
  SqliteDossiersStore(const SqliteDossiersStore&) = delete;
  SqliteDossiersStore& operator=(const SqliteDossiersStore&) = delete;

  Result<void> write(const DossierWrite& fn) override;
  std::vector<Result<void>> write_batch(const std::vector<DossierWrite>& fns) override;
  std::uint64_t batches_rerun() const override { return reruns_.load(); }
  Result<void> write_bulk(const DossierWrite& fn) override;
  Result<void> sync() override;
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
  Result<void> write_in(Connection& c, const DossierWrite& fn, bool sync_apart);

  Database& db_;
  // The log's descriptor for sync(), opened by the first write_bulk: -1
  // until then, and if the log cannot be synced apart.
  std::atomic<int> log_fd_{-1};
  std::atomic<std::uint64_t> reruns_{0};
};

}  // namespace motcua::store::sqlite
