#include "store/sqlite/stats_store.hpp"

#include <algorithm>

#include "store/reference_rows.hpp"
#include "store/sqlite/json_list.hpp"
#include "store/stats_sql.hpp"

namespace motcua::store::sqlite {
namespace {

// Counters from columns first..first+kCounterCount-1.
stats::Counters counters_of(Statement& s, int first) {
  stats::Counters c;
  for (int i = 0; i < stats::kCounterCount; ++i) c.v[i] = s.column_int(first + i);
  return c;
}

// The counters `which` (a RangeSql's or DaysSql's), from columns 1.. in
// their order; the others 0.
stats::Counters counters_of(Statement& s, const std::vector<stats::Counter>& which) {
  stats::Counters c;
  for (std::size_t i = 0; i < which.size(); ++i)
    c[which[i]] = s.column_int(static_cast<int>(i + 1));
  return c;
}

// Parameters 1-4 of the day-by-day queries: level, unit, first and last day.
void bind_scope(Statement& s, stats::Level level, std::string_view unit, std::int64_t from,
                std::int64_t to) {
  s.bind(1, stats::level_name(level));
  s.bind(2, unit);
  s.bind(3, from);
  s.bind(4, to);
}

// Parameters 3.. of the range sums (range_bounds).
void bind_bounds(Statement& s, const std::vector<std::int64_t>& bounds) {
  int i = 3;
  for (std::int64_t v : bounds) s.bind(i++, v);
}

Result<std::vector<stats::Row>> rows_of(Connection& c, const std::string& sql) {
  auto stmt = c.cached(sql.c_str());
  if (!stmt) return stmt.error();
  StatementUse use(**stmt);
  std::vector<stats::Row> out;
  int rc;
  while ((rc = use->step()) == SQLITE_ROW) {
    out.push_back(
        {{*stats::parse_level(use->column_text(0)), use->column_text(1), use->column_int(2)},
         counters_of(**stmt, 3)});
  }
  if (rc != SQLITE_DONE) return c.error("đọc số liệu thống kê", "reading the statistics");
  return out;
}

Result<std::vector<stats::Row>> every_row(Database& db, const std::string& sql) {
  return db.read([&](Connection& c) { return rows_of(c, sql); });
}

const std::string& daily_rows_sql() {
  static const std::string sql =
      "SELECT level, unit, day, " + stats_columns() + " FROM stats_daily ORDER BY level, unit, day";
  return sql;
}

// Parameters 1..3: the row's key; then one per counter.
void bind_row(Statement& s, const stats::Row& row) {
  s.bind(1, stats::level_name(row.key.level));
  s.bind(2, row.key.unit);
  s.bind(3, row.key.day);
  for (int i = 0; i < stats::kCounterCount; ++i) s.bind(i + 4, row.counters.v[i]);
}

// Adds each row's counters to its stored row, or stores it when there is
// none yet: an UPDATE, then an INSERT only when it changed nothing (see
// stats_add).
Result<void> upsert_rows(Connection& c, const std::vector<stats::Row>& rows, StatsTable table) {
  static const std::string add[] = {stats_add(StatsTable::kDaily), stats_add(StatsTable::kMonthly)};
  static const std::string insert[] = {stats_insert("?", StatsTable::kDaily),
                                       stats_insert("?", StatsTable::kMonthly)};
  const int t = table == StatsTable::kDaily ? 0 : 1;
  auto update = c.cached(add[t].c_str());
  if (!update) return update.error();
  for (const auto& row : rows) {
    {
      StatementUse use(**update);
      bind_row(**update, row);
      if (use->step() != SQLITE_DONE) {
        return c.error("ghi số liệu thống kê", "writing the statistics");
      }
    }
    if (c.changes() > 0) continue;
    auto fresh = c.cached(insert[t].c_str());
    if (!fresh) return fresh.error();
    StatementUse use(**fresh);
    bind_row(**fresh, row);
    if (use->step() != SQLITE_DONE) return c.error("ghi số liệu thống kê", "writing the statistics");
  }
  return ok();
}

}  // namespace

Result<stats::Counters> SqliteStatsStore::sum(stats::Level level, std::string_view unit,
                                              std::int64_t from, std::int64_t to) {
  static const RangeSql& sql = stats_range_sql(false, "level = ?1 AND unit = ?2", "?", "");
  const RangeBounds bounds = range_bounds(from, to);
  // The rows, added up here: a unit's year is some sixty rows of every
  // counter, and SQLite's sum() cost more a value than reading it (a
  // commune's year in one process: 0.027 against 0.036 ms).
  return db_.read([&](Connection& c) -> Result<stats::Counters> {
    auto stmt = c.cached(bounds.months ? sql.months_rows.c_str() : sql.days_rows.c_str());
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, stats::level_name(level));
    use->bind(2, unit);
    bind_bounds(**stmt, bounds.values);
    stats::Counters total;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) {
      const std::int64_t sign = use->column_int(0);
      for (int i = 0; i < stats::kCounterCount; ++i) total.v[i] += sign * use->column_int(i + 1);
    }
    if (rc != SQLITE_DONE) return c.error("đọc số liệu thống kê", "reading the statistics");
    return total;
  });
}

Result<std::vector<std::pair<std::string, stats::Counters>>> SqliteStatsStore::sum_each(
    stats::Level level, const std::vector<std::string>& units, std::int64_t from,
    std::int64_t to, std::span<const stats::Counter> only) {
  // One index range per unit and part: the list is a json array walked by json_each.
  static const std::string where = "level = ?1 AND unit IN (SELECT value FROM json_each(?2))";
  const RangeSql& sql = stats_range_sql(true, where, "?", "", only);
  const RangeBounds bounds = range_bounds(from, to);
  const std::string list = json_list(units);
  return db_.read([&](Connection& c) -> Result<std::vector<std::pair<std::string, stats::Counters>>> {
    auto stmt = c.cached(bounds.months ? sql.months.c_str() : sql.days.c_str());
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, stats::level_name(level));
    use->bind(2, list);
    bind_bounds(**stmt, bounds.values);
    std::vector<std::pair<std::string, stats::Counters>> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) {
      out.emplace_back(use->column_text(0), counters_of(**stmt, sql.counters));
    }
    if (rc != SQLITE_DONE) return c.error("đọc số liệu thống kê", "reading the statistics");
    return out;
  });
}

Result<std::vector<stats::Row>> SqliteStatsStore::days(stats::Level level, std::string_view unit,
                                                       std::int64_t from, std::int64_t to,
                                                       std::span<const stats::Counter> only) {
  const DaysSql& sql = stats_days_sql("?", "", only);
  return db_.read([&](Connection& c) -> Result<std::vector<stats::Row>> {
    auto stmt = c.cached(sql.sql.c_str());
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    bind_scope(**stmt, level, unit, from, to);
    std::vector<stats::Row> out;
    out.reserve(static_cast<std::size_t>(std::max<std::int64_t>(0, to - from + 1)));
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) {
      out.push_back(
          {{level, std::string(unit), use->column_int(0)}, counters_of(**stmt, sql.counters)});
    }
    if (rc != SQLITE_DONE) return c.error("đọc số liệu thống kê", "reading the statistics");
    return out;
  });
}

Result<std::vector<stats::Row>> SqliteStatsStore::all() { return every_row(db_, daily_rows_sql()); }

Result<std::vector<stats::Row>> SqliteStatsStore::months() {
  static const std::string sql = "SELECT level, unit, month, " + stats_columns() +
                                 " FROM stats_monthly ORDER BY level, unit, month";
  return every_row(db_, sql);
}

Result<void> add_stats_rows(Connection& c, const std::vector<stats::Row>& rows) {
  if (rows.empty()) return ok();
  if (auto r = upsert_rows(c, rows, StatsTable::kDaily); !r) return r;
  return upsert_rows(c, stats::months_of(rows), StatsTable::kMonthly);
}

Result<void> SqliteStatsStore::replace_all(const std::vector<stats::Row>& rows,
                                           const std::vector<stats::Row>* seen,
                                           const std::vector<std::string>* reasons) {
  return db_.with([&](Connection& c) -> Result<void> {
    auto tx = Transaction::begin(c, true);
    if (!tx) return tx.error();
    if (seen) {  // the write lock is held: nobody adds to the rows until the commit
      auto now = rows_of(c, daily_rows_sql());
      if (!now) return now.error();
      if (*now != *seen) return stats_changed_meanwhile();
    }
    if (auto r = c.exec("DELETE FROM stats_daily"); !r) return r;
    if (auto r = c.exec("DELETE FROM stats_monthly"); !r) return r;
    if (auto r = add_stats_rows(c, rows); !r) return r;
    static const std::vector<std::string> kNone;
    if (!reasons) {
      if (auto r = c.exec("DELETE FROM stats_rebuild_due; DELETE FROM stats_units_due"); !r)
        return r;
    }
    for (const auto& reason : reasons ? *reasons : kNone) {
      const auto import = units_import_of(reason);
      auto stmt = c.cached(import ? "DELETE FROM stats_units_due WHERE import_id = ?1"
                                  : "DELETE FROM stats_rebuild_due WHERE reason = ?1");
      if (!stmt) return stmt.error();
      StatementUse use(**stmt);
      if (import) {
        use->bind(1, *import);
      } else {
        use->bind(1, reason);
      }
      if (use->step() != SQLITE_DONE) {
        return c.error("xoá dấu cần tính lại", "clearing a recompute mark");
      }
    }
    return tx->commit();
  });
}

Result<std::vector<std::string>> SqliteStatsStore::rebuild_due() {
  return db_.read([&](Connection& c) -> Result<std::vector<std::string>> {
    auto stmt = c.cached(kRebuildDueSql);
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    std::vector<std::string> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) out.push_back(use->column_text(0));
    if (rc != SQLITE_DONE) return c.error("đọc số liệu thống kê", "reading the statistics");
    return out;
  });
}

Result<void> SqliteStatsStore::mark_units_import() {
  return db_.with([&](Connection& c) -> Result<void> { return c.exec(kMarkUnitsImportSql); });
}

}  // namespace motcua::store::sqlite
