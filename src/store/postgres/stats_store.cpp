#include "store/postgres/stats_store.hpp"

#include <charconv>
#include <tuple>

#include "store/postgres/code_list.hpp"
#include "store/reference_rows.hpp"
#include "store/stats_sql.hpp"

namespace motcua::store::postgres {
namespace {

std::int64_t number(const PGresult* r, int row, int col) {
  std::int64_t v = 0;
  const char* s = PQgetvalue(r, row, col);
  std::from_chars(s, s + PQgetlength(r, row, col), v);
  return v;
}

stats::Counters counters_of(const PGresult* r, int row, int first) {
  stats::Counters c;
  for (int i = 0; i < stats::kCounterCount; ++i) c.v[i] = number(r, row, first + i);
  return c;
}

// The counters `which` (a RangeSql's or DaysSql's), from columns 1.. of
// `row` in their order; the others 0.
stats::Counters counters_of(const PGresult* r, int row, const std::vector<stats::Counter>& which) {
  stats::Counters c;
  for (std::size_t k = 0; k < which.size(); ++k)
    c[which[k]] = number(r, row, static_cast<int>(k + 1));
  return c;
}

std::string text(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}

std::string copy_rows(const std::vector<stats::Row>& rows) {
  std::string data;
  for (const auto& row : rows) {
    data += stats::level_name(row.key.level);
    data += '\t';
    append_copy_field(data, row.key.unit);
    data += '\t' + std::to_string(row.key.day);
    for (auto v : row.counters.v) data += '\t' + std::to_string(v);
    data += '\n';
  }
  return data;
}

// Rows of `sql`: level, unit, day (or month), then the counters.
Result<std::vector<stats::Row>> rows_of(Connection& c, const std::string& sql) {
  auto r = c.query(sql.c_str());
  if (!r) return r.error();
  std::vector<stats::Row> out;
  for (int i = 0; i < PQntuples(r->get()); ++i) {
    out.push_back(
        {{*stats::parse_level(text(r->get(), i, 0)), text(r->get(), i, 1), number(r->get(), i, 2)},
         counters_of(r->get(), i, 3)});
  }
  return out;
}

const std::string& all_daily_sql() {
  static const std::string sql = "SELECT level, unit, day, " + stats_columns() +
                                 " FROM stats_daily ORDER BY level, unit COLLATE \"C\", day";
  return sql;
}

}  // namespace

Result<stats::Counters> PostgresStatsStore::sum(stats::Level level, std::string_view unit,
                                                std::int64_t from, std::int64_t to) {
  static const RangeSql& sql = stats_range_sql(false, "level = $1 AND unit = $2", "$", "::bigint");
  std::vector<std::string> params = {std::string(stats::level_name(level)), std::string(unit)};
  const RangeBounds bounds = range_bounds(from, to);
  for (std::int64_t v : bounds.values) params.push_back(std::to_string(v));
  return db_.read<stats::Counters>([&](Connection& c) -> Result<stats::Counters> {
    auto r = c.query(bounds.months ? sql.months.c_str() : sql.days.c_str(), params);
    if (!r) return r.error();
    return counters_of(r->get(), 0, 0);
  });
}

Result<std::vector<std::pair<std::string, stats::Counters>>> PostgresStatsStore::sum_each(
    stats::Level level, const std::vector<std::string>& units, std::int64_t from,
    std::int64_t to, std::span<const stats::Counter> only) {
  static const std::string where = "level = $1 AND unit = ANY (string_to_array($2, ','))";
  const RangeSql& sql = stats_range_sql(true, where, "$", "::bigint", only);
  std::vector<std::string> params = {std::string(stats::level_name(level)), comma_list(units)};
  const RangeBounds bounds = range_bounds(from, to);
  for (std::int64_t v : bounds.values) params.push_back(std::to_string(v));
  using Out = std::vector<std::pair<std::string, stats::Counters>>;
  return db_.read<Out>([&](Connection& c) -> Result<Out> {
    auto r = c.query(bounds.months ? sql.months.c_str() : sql.days.c_str(), params);
    if (!r) return r.error();
    Out out;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      out.emplace_back(text(r->get(), i, 0), counters_of(r->get(), i, sql.counters));
    }
    return out;
  });
}

Result<std::vector<stats::Row>> PostgresStatsStore::days(stats::Level level, std::string_view unit,
                                                         std::int64_t from, std::int64_t to,
                                                         std::span<const stats::Counter> only) {
  const DaysSql& sql = stats_days_sql("$", "::bigint", only);
  return db_.read<std::vector<stats::Row>>([&](Connection& c) -> Result<std::vector<stats::Row>> {
    auto r = c.query(sql.sql.c_str(), {std::string(stats::level_name(level)), std::string(unit),
                                       std::to_string(from), std::to_string(to)});
    if (!r) return r.error();
    std::vector<stats::Row> out;
    out.reserve(static_cast<std::size_t>(PQntuples(r->get())));
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      out.push_back({{level, std::string(unit), number(r->get(), i, 0)},
                     counters_of(r->get(), i, sql.counters)});
    }
    return out;
  });
}

Result<std::vector<stats::Row>> PostgresStatsStore::every_row(const std::string& sql) {
  return db_.read<std::vector<stats::Row>>(
      [&](Connection& c) -> Result<std::vector<stats::Row>> { return rows_of(c, sql); });
}

Result<std::vector<stats::Row>> PostgresStatsStore::all() { return every_row(all_daily_sql()); }

Result<std::vector<stats::Row>> PostgresStatsStore::months() {
  static const std::string sql = "SELECT level, unit, month, " + stats_columns() +
                                 " FROM stats_monthly ORDER BY level, unit COLLATE \"C\", month";
  return every_row(sql);
}

Result<void> PostgresStatsStore::replace_all(const std::vector<stats::Row>& rows,
                                             const std::vector<stats::Row>* seen,
                                             const std::vector<std::string>* reasons) {
  return db_.run<void>([&](Connection& c) -> Result<void> {
    auto tx = Transaction::begin(c);
    if (!tx) return tx.error();
    if (seen) {
      // Writers add to the rows in their own transactions: held off until the
      // commit, so that the rows compared are the rows replaced.
      if (auto r = c.exec("LOCK TABLE stats_daily IN EXCLUSIVE MODE"); !r) return r.error();
      auto now = rows_of(c, all_daily_sql());
      if (!now) return now.error();
      if (*now != *seen) return stats_changed_meanwhile();
    }
    for (const char* table : {"stats_daily", "stats_monthly"}) {
      if (auto r = c.exec((std::string("DELETE FROM ") + table).c_str()); !r) return r.error();
    }
    static const std::vector<std::string> kNone;
    if (!reasons) {
      if (auto r = c.exec("DELETE FROM stats_rebuild_due; DELETE FROM stats_units_due"); !r)
        return r.error();
    }
    for (const auto& reason : reasons ? *reasons : kNone) {
      const auto import = units_import_of(reason);
      auto r = import ? c.query("DELETE FROM stats_units_due WHERE import_id = $1::bigint",
                                {std::to_string(*import)})
                      : c.query("DELETE FROM stats_rebuild_due WHERE reason = $1", {reason});
      if (!r) return r.error();
    }
    const std::string daily = copy_rows(rows);
    const std::string monthly = copy_rows(stats::months_of(rows));
    for (const auto& [table, key, data] : {std::tuple{"stats_daily", "day", &daily},
                                           std::tuple{"stats_monthly", "month", &monthly}}) {
      if (data->empty()) continue;
      const std::string sql = std::string("COPY ") + table + " (level, unit, " + key + ", " +
                              stats_columns() + ") FROM STDIN";
      if (auto r = c.copy_in(sql.c_str(), *data); !r) return r;
    }
    return tx->commit();
  });
}

Result<std::vector<std::string>> PostgresStatsStore::rebuild_due() {
  return db_.read<std::vector<std::string>>([&](Connection& c) -> Result<std::vector<std::string>> {
    auto r = c.query(kRebuildDueSql);
    if (!r) return r.error();
    std::vector<std::string> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) out.push_back(text(r->get(), i, 0));
    return out;
  });
}

Result<void> PostgresStatsStore::mark_units_import() {
  return db_.run<void>([&](Connection& c) -> Result<void> {
    if (auto r = c.exec(kMarkUnitsImportSql); !r) return r.error();
    return ok();
  });
}

}  // namespace motcua::store::postgres
