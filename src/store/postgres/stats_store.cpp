#include "store/postgres/stats_store.hpp"

#include <charconv>

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

std::string text(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}

}  // namespace

Result<stats::Counters> PostgresStatsStore::sum(stats::Level level, std::string_view unit,
                                                std::int64_t from, std::int64_t to) {
  static const std::string sql = "SELECT " + stats_sums() +
                                 " FROM stats_daily WHERE level = $1 AND unit = $2"
                                 " AND day BETWEEN $3::bigint AND $4::bigint";
  return db_.read<stats::Counters>([&](Connection& c) -> Result<stats::Counters> {
    auto r = c.query(sql.c_str(), {std::string(stats::level_name(level)), std::string(unit),
                                   std::to_string(from), std::to_string(to)});
    if (!r) return r.error();
    return counters_of(r->get(), 0, 0);
  });
}

Result<std::vector<std::pair<std::string, stats::Counters>>> PostgresStatsStore::sum_each(
    stats::Level level, const std::vector<std::string>& units, std::int64_t from,
    std::int64_t to) {
  static const std::string sql = "SELECT unit, " + stats_sums() +
                                 " FROM stats_daily WHERE level = $1 AND unit = ANY"
                                 " (string_to_array($2, ',')) AND day BETWEEN $3::bigint AND"
                                 " $4::bigint GROUP BY unit ORDER BY unit";
  std::string list;
  for (const auto& u : units) list += (list.empty() ? "" : ",") + u;
  using Out = std::vector<std::pair<std::string, stats::Counters>>;
  return db_.read<Out>([&](Connection& c) -> Result<Out> {
    auto r = c.query(sql.c_str(), {std::string(stats::level_name(level)), list,
                                   std::to_string(from), std::to_string(to)});
    if (!r) return r.error();
    Out out;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      out.emplace_back(text(r->get(), i, 0), counters_of(r->get(), i, 1));
    }
    return out;
  });
}

Result<std::vector<stats::Row>> PostgresStatsStore::days(stats::Level level, std::string_view unit,
                                                         std::int64_t from, std::int64_t to) {
  static const std::string sql = "SELECT day, " + stats_columns() +
                                 " FROM stats_daily WHERE level = $1 AND unit = $2"
                                 " AND day BETWEEN $3::bigint AND $4::bigint ORDER BY day";
  return db_.read<std::vector<stats::Row>>([&](Connection& c) -> Result<std::vector<stats::Row>> {
    auto r = c.query(sql.c_str(), {std::string(stats::level_name(level)), std::string(unit),
                                   std::to_string(from), std::to_string(to)});
    if (!r) return r.error();
    std::vector<stats::Row> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      out.push_back({{level, std::string(unit), number(r->get(), i, 0)}, counters_of(r->get(), i, 1)});
    }
    return out;
  });
}

Result<std::vector<stats::Row>> PostgresStatsStore::all() {
  static const std::string sql = "SELECT level, unit, day, " + stats_columns() +
                                 " FROM stats_daily ORDER BY level, unit COLLATE \"C\", day";
  return db_.read<std::vector<stats::Row>>([&](Connection& c) -> Result<std::vector<stats::Row>> {
    auto r = c.query(sql.c_str());
    if (!r) return r.error();
    std::vector<stats::Row> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) {
      out.push_back({{*stats::parse_level(text(r->get(), i, 0)), text(r->get(), i, 1),
                      number(r->get(), i, 2)},
                     counters_of(r->get(), i, 3)});
    }
    return out;
  });
}

Result<void> PostgresStatsStore::replace_all(const std::vector<stats::Row>& rows) {
  return db_.run<void>([&](Connection& c) -> Result<void> {
    auto tx = Transaction::begin(c);
    if (!tx) return tx.error();
    if (auto r = c.exec("DELETE FROM stats_daily"); !r) return r.error();
    std::string data;
    for (const auto& row : rows) {
      data += stats::level_name(row.key.level);
      data += '\t';
      append_copy_field(data, row.key.unit);
      data += '\t' + std::to_string(row.key.day);
      for (auto v : row.counters.v) data += '\t' + std::to_string(v);
      data += '\n';
    }
    if (!data.empty()) {
      const std::string sql = "COPY stats_daily (level, unit, day, " + stats_columns() + ") FROM STDIN";
      if (auto r = c.copy_in(sql.c_str(), data); !r) return r;
    }
    return tx->commit();
  });
}

}  // namespace motcua::store::postgres
