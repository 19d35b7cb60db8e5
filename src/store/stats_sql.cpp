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

std::string stats_upsert(const char* mark) {
  std::string values, updates;
  for (int i = 0; i < stats::kCounterCount + 3; ++i) {
    if (i) values += ", ";
    values += mark + std::to_string(i + 1);
  }
  for (int i = 0; i < stats::kCounterCount; ++i) {
    const std::string n(stats::counter_name(static_cast<stats::Counter>(i)));
    if (i) updates += ", ";
    updates += n + " = stats_daily." + n + " + excluded." + n;
  }
  return "INSERT INTO stats_daily (level, unit, day, " + stats_columns() + ") VALUES (" + values +
         ") ON CONFLICT (level, unit, day) DO UPDATE SET " + updates;
}

}  // namespace motcua::store
