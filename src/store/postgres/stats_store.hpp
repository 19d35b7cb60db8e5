// The counters' table on PostgreSQL, read side (rows are written by the
// dossiers area's transactions, DossierTxn::add_stats).
#pragma once

#include "store/dossiers_store.hpp"
#include "store/postgres/database.hpp"

namespace motcua::store::postgres {

class PostgresStatsStore final : public StatsStore {
 public:
  explicit PostgresStatsStore(Database& db) : db_(db) {}

  Result<stats::Counters> sum(stats::Level level, std::string_view unit, std::int64_t from,
                              std::int64_t to) override;
  Result<std::vector<std::pair<std::string, stats::Counters>>> sum_each(
      stats::Level level, const std::vector<std::string>& units, std::int64_t from,
      std::int64_t to, std::span<const stats::Counter> only = {}) override;
  Result<std::vector<stats::Row>> days(stats::Level level, std::string_view unit, std::int64_t from,
                                       std::int64_t to,
                                       std::span<const stats::Counter> only) override;
  Result<std::vector<stats::Row>> all() override;
  Result<std::vector<stats::Row>> months() override;
  Result<void> replace_all(const std::vector<stats::Row>& rows,
                           const std::vector<stats::Row>* seen,
                           const std::vector<std::string>* reasons) override;
  Result<std::vector<std::string>> rebuild_due() override;
  Result<void> mark_units_import() override;
  Result<void> in_one_snapshot(const std::function<Result<void>()>& reads) override {
    return db_.read_snapshot(reads);
  }

 private:
  // Rows of (level, unit, day or month, counters...).
  Result<std::vector<stats::Row>> every_row(const std::string& sql);

  Database& db_;
};

}  // namespace motcua::store::postgres
