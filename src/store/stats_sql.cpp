#include "store/stats_sql.hpp"

namespace motcua::store {

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

const std::string& stats_sums() {
  static const std::string s = [] {
    std::string out;
    for (int i = 0; i < stats::kCounterCount; ++i) {
      if (i) out += ", ";
      out += "coalesce(sum(" + std::string(stats::counter_name(static_cast<stats::Counter>(i))) +
             "), 0)";
    }
    return out;
  }();
  return s;
}

std::string stats_upsert(const char* mark, StatsTable table) {
  const std::string name = table == StatsTable::kDaily ? "stats_daily" : "stats_monthly";
  const std::string key = table == StatsTable::kDaily ? "day" : "month";
  std::string values, updates;
  for (int i = 0; i < stats::kCounterCount + 3; ++i) {
    if (i) values += ", ";
    values += mark + std::to_string(i + 1);
  }
  for (int i = 0; i < stats::kCounterCount; ++i) {
    const std::string n(stats::counter_name(static_cast<stats::Counter>(i)));
    if (i) updates += ", ";
    updates += n + " = " + name + "." + n + " + excluded." + n;
  }
  return "INSERT INTO " + name + " (level, unit, " + key + ", " + stats_columns() + ") VALUES (" +
         values + ") ON CONFLICT (level, unit, " + key + ") DO UPDATE SET " + updates;
}

std::string stats_split_union(bool unit, const std::string& where, const char* mark, int first,
                              const char* cast) {
  static const std::string negated = [] {
    std::string out;
    for (int i = 0; i < stats::kCounterCount; ++i) {
      if (i) out += ", ";
      out += "-" + std::string(stats::counter_name(static_cast<stats::Counter>(i)));
    }
    return out;
  }();
  const std::string head = unit ? "unit, " : "";
  int n = first;
  auto part = [&](const std::string& columns, const char* table, const char* key) {
    const std::string sql = "SELECT " + head + columns + " FROM " + table + " WHERE " + where +
                            " AND " + key + " BETWEEN " + mark + std::to_string(n) + cast +
                            " AND " + mark + std::to_string(n + 1) + cast;
    n += 2;
    return sql;
  };
  std::string sql = part(stats_columns(), "stats_daily", "day");
  sql += " UNION ALL " + part(stats_columns(), "stats_daily", "day");
  sql += " UNION ALL " + part(stats_columns(), "stats_monthly", "month");
  sql += " UNION ALL " + part(negated, "stats_daily", "day");
  sql += " UNION ALL " + part(negated, "stats_daily", "day");
  return sql;
}

std::vector<std::int64_t> split_bounds(const stats::RangeSplit& s) {
  return {s.add[0].from,      s.add[0].to,      s.add[1].from,      s.add[1].to,
          s.months.from,      s.months.to,      s.subtract[0].from, s.subtract[0].to,
          s.subtract[1].from, s.subtract[1].to};
}

}  // namespace motcua::store
