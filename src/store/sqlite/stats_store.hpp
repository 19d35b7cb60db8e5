// The counters' table on SQLite, read side (rows are written by the dossiers
// area's transactions, DossierTxn::add_stats).
#pragma once

#include "store/dossiers_store.hpp"
#include "store/sqlite/database.hpp"

namespace motcua::store::sqlite {

// Adds `rows` to the daily table and their rollup to the monthly one (an
// upsert each) in the caller's transaction.
Result<void> add_stats_rows(Connection& c, const std::vector<stats::Row>& rows);

class SqliteStatsStore final : public StatsStore {
 public:
  explicit SqliteStatsStore(Database& db) : db_(db) {}

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
  Database& db_;
};

}  // namespace motcua::store::sqlite
