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

std::string stats_split_union(const std::string& select, const std::string& where,
                              const char* mark, int first, const char* cast) {
  auto part = [&](const char* table, const char* key, int n) {
    return "SELECT " + select + " FROM " + table + " WHERE " + where + " AND " + key + " BETWEEN " +
           mark + std::to_string(n) + cast + " AND " + mark + std::to_string(n + 1) + cast;
  };
  return part("stats_daily", "day", first) + " UNION ALL " +
         part("stats_monthly", "month", first + 2) + " UNION ALL " +
         part("stats_daily", "day", first + 4);
}

}  // namespace motcua::store
