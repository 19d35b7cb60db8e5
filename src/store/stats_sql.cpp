#include "store/stats_sql.hpp"

#include <map>
#include <mutex>

namespace motcua::store {

Error stats_changed_meanwhile() {
  return make_error(ErrorKind::kConflict,
                    "Hồ sơ đã thay đổi trong lúc tính lại số liệu; hãy chạy lại (nên chạy vào "
                    "lúc ít hồ sơ được ghi).",
                    "Dossiers changed while the figures were recomputed; run it again (or when "
                    "fewer are being written).");
}

const std::string& stats_columns() {
  static const std::string s = [] {
    std::string out;
    for (int i = 0; i < stats::kCounterCount; ++i) {
      if (i) out += ", ";
      out += stats::counter_name(static_cast<stats::Counter>(i));
    }
    return out;
  }();
  return s;
}

namespace {

// A counter table's name and the name of its day (or month) column.
struct TableNames {
  std::string name, key;
};
TableNames names_of(StatsTable table) {
  return table == StatsTable::kDaily ? TableNames{"stats_daily", "day"}
                                     : TableNames{"stats_monthly", "month"};
}

// ", " between the counters, each as `each(its name, its parameter number)`.
template <class Each>
std::string each_counter(Each each) {
  std::string out;
  for (int i = 0; i < stats::kCounterCount; ++i) {
    if (i) out += ", ";
    out += each(std::string(stats::counter_name(static_cast<stats::Counter>(i))), i + 4);
  }
  return out;
}

}  // namespace

std::string stats_insert(const char* mark, StatsTable table) {
  const auto t = names_of(table);
  std::string values;
  for (int i = 0; i < stats::kCounterCount + 3; ++i) {
    if (i) values += ", ";
    values += mark + std::to_string(i + 1);
  }
  return "INSERT INTO " + t.name + " (level, unit, " + t.key + ", " + stats_columns() +
         ") VALUES (" + values + ")";
}

std::string stats_upsert(const char* mark, StatsTable table) {
  const auto t = names_of(table);
  return stats_insert(mark, table) + " ON CONFLICT (level, unit, " + t.key + ") DO UPDATE SET " +
         each_counter([&](const std::string& n, int) {
           return n + " = " + t.name + "." + n + " + excluded." + n;
         });
}

std::string stats_add(StatsTable table) {
  const auto t = names_of(table);
  return "UPDATE " + t.name + " SET " +
         each_counter([](const std::string& n, int at) {
           return n + " = " + n + " + ?" + std::to_string(at);
         }) +
         " WHERE level = ?1 AND unit = ?2 AND " + t.key + " = ?3";
}

namespace {

// `only`, or every counter when it is empty.
std::vector<stats::Counter> every_or(std::span<const stats::Counter> only) {
  std::vector<stats::Counter> out(only.begin(), only.end());
  for (int i = 0; only.empty() && i < stats::kCounterCount; ++i) {
    out.push_back(static_cast<stats::Counter>(i));
  }
  return out;
}

RangeSql build_range_sql(bool each, const std::string& where, const char* mark, const char* cast,
                         std::span<const stats::Counter> only) {
  RangeSql out;
  out.counters = every_or(only);
  std::string columns, negated, sums;
  for (const stats::Counter c : out.counters) {
    const std::string n(stats::counter_name(c));
    if (!columns.empty()) {
      columns += ", ";
      negated += ", ";
      sums += ", ";
    }
    columns += n;
    negated += "-" + n;
    sums += "coalesce(sum(" + n + "), 0)";
  }
  const std::string head = each ? "unit, " : "";
  // SELECT over one table's rows with `key` in [$n, $n+1].
  auto part = [&](const std::string& cols, const char* table, const char* key, int n) {
    return "SELECT " + head + cols + " FROM " + table + " WHERE " + where + " AND " + key +
           " BETWEEN " + mark + std::to_string(n) + cast + " AND " + mark + std::to_string(n + 1) +
           cast;
  };
  const std::string outer = "SELECT " + head + sums + " FROM (";
  const std::string tail = each ? ") AS s GROUP BY unit ORDER BY unit" : ") AS s";
  // The split's five parts: two day ranges and the months with `added`, two
  // day ranges with `subtracted`.
  auto split = [&](const std::string& added, const std::string& subtracted) {
    return part(added, "stats_daily", "day", 3) + " UNION ALL " +
           part(added, "stats_daily", "day", 5) + " UNION ALL " +
           part(added, "stats_monthly", "month", 7) + " UNION ALL " +
           part(subtracted, "stats_daily", "day", 9) + " UNION ALL " +
           part(subtracted, "stats_daily", "day", 11);
  };
  out.days = outer + part(columns, "stats_daily", "day", 3) + tail;
  out.months = outer + split(columns, negated) + tail;
  if (!each) {
    const std::string plus = "1, " + columns, minus = "-1, " + columns;
    out.days_rows = part(plus, "stats_daily", "day", 3);
    out.months_rows = split(plus, minus);
  }
  return out;
}

DaysSql build_days_sql(const char* mark, const char* cast, std::span<const stats::Counter> only) {
  DaysSql out;
  out.counters = every_or(only);
  std::string sql = "SELECT day";
  for (const stats::Counter c : out.counters) sql += ", " + std::string(stats::counter_name(c));
  const std::string m(mark);
  out.sql = sql + " FROM stats_daily WHERE level = " + m + "1 AND unit = " + m +
            "2 AND day BETWEEN " + m + "3" + cast + " AND " + m + "4" + cast + " ORDER BY day";
  return out;
}

// build() once for each key, then kept for the process's life: map nodes stay
// put, so the references handed out stay valid. `key` ends with `only`.
template <class Sql, class Build>
const Sql& built_once(std::string key, std::span<const stats::Counter> only, Build build) {
  static std::mutex mutex;
  static std::map<std::string, Sql> built;
  for (const stats::Counter c : only) key += std::to_string(static_cast<int>(c)) + ",";
  std::lock_guard lock(mutex);
  auto it = built.find(key);
  if (it == built.end()) it = built.emplace(std::move(key), build()).first;
  return it->second;
}

}  // namespace

const RangeSql& stats_range_sql(bool each, const std::string& where, const char* mark,
                                const char* cast, std::span<const stats::Counter> only) {
  return built_once<RangeSql>(
      std::string(each ? "each|" : "one|") + where + "|" + mark + "|" + cast + "|", only,
      [&] { return build_range_sql(each, where, mark, cast, only); });
}

const DaysSql& stats_days_sql(const char* mark, const char* cast,
                              std::span<const stats::Counter> only) {
  return built_once<DaysSql>(std::string(mark) + "|" + cast + "|", only,
                             [&] { return build_days_sql(mark, cast, only); });
}

RangeBounds range_bounds(std::int64_t from, std::int64_t to) {
  const stats::RangeSplit s = stats::split_range(from, to);
  if (s.months.empty()) return {false, {from, to}};
  return {true,
          {s.add[0].from, s.add[0].to, s.add[1].from, s.add[1].to, s.months.from, s.months.to,
           s.subtract[0].from, s.subtract[0].to, s.subtract[1].from, s.subtract[1].to}};
}

}  // namespace motcua::store
