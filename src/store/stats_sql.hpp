// What both back ends share about the counters' table: its column list (from
// stats::counter_name, so the table, the upsert and the JSON keys never
// disagree) and the buffer in which a batch's deltas are merged until commit.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "domain/stats/contribution.hpp"
#include "domain/stats/counters.hpp"
#include "domain/stats/rollup.hpp"

namespace motcua::store {

// "received, received_online, ..., open"
const std::string& stats_columns();
// A rebuild's replace refused: the rows changed after its snapshot (kConflict).
Error stats_changed_meanwhile();
// The daily rows, or their monthly rollup (domain/stats/rollup.hpp), whose
// key column is `month` instead of `day`.
enum class StatsTable { kDaily, kMonthly };

// INSERT ... ON CONFLICT DO UPDATE adding the counters; parameters 1..3 are
// level, unit, day (or month), then one per counter. `mark` is "?" (SQLite)
// or "$" (PostgreSQL).
std::string stats_upsert(const char* mark, StatsTable table);

// The two halves of that upsert, for SQLite: an UPDATE adding the counters
// to the row of (level, unit, day), and the INSERT of a new row, with the
// same parameters. SQLite 3.40 checks the level's IN list on every INSERT
// (and so every upsert) through a temporary table built for it; an UPDATE
// that leaves the level alone does not check it.
std::string stats_add(StatsTable table);
std::string stats_insert(const char* mark, StatsTable table);

// The sums of the counters over a range, under `where` (the level and unit
// condition; parameters 1 and 2), grouped by unit when `each`. The range is
// read through its split (stats::split_range) as one UNION ALL: the two day
// ranges added, the months, and the two day ranges subtracted (counters
// negated); or, when it holds no month (a week, the gauge), as one range of
// days. Its bounds are parameters 3.. (range_bounds), each followed by `cast`.
// `mark` is "?" (SQLite) or "$" (PostgreSQL). The sums are those of `only`,
// in its order, or of every counter when it is empty: each one summed costs
// as much as the rows it reads, so a reader that needs four pays for four.
struct RangeSql {
  std::string days;    // no month: 2 bounds
  std::string months;  // a month or more: 10 bounds
  std::vector<stats::Counter> counters;  // what the sums are, in column order
  // Not `each`: the same parts' rows unsummed, each led by its sign (1, or -1
  // for a part subtracted), for a reader that adds them up itself.
  std::string days_rows, months_rows;
};
// Built once for each set of arguments, then kept for the process's life.
const RangeSql& stats_range_sql(bool each, const std::string& where, const char* mark,
                                const char* cast, std::span<const stats::Counter> only = {});
// (level, unit)'s daily rows over [day $3, day $4], by day: the day, then
// the counters of `only` in its order (every counter when it is empty).
struct DaysSql {
  std::string sql;
  std::vector<stats::Counter> counters;  // columns 2.. (1-based), in order
};
// Built once for each set of arguments, then kept for the process's life.
const DaysSql& stats_days_sql(const char* mark, const char* cast,
                              std::span<const stats::Counter> only = {});
// The bounds of [from, to] for the statement it needs: RangeSql::months when
// `months`, else RangeSql::days.
struct RangeBounds {
  bool months = false;
  std::vector<std::int64_t> values;
};
RangeBounds range_bounds(std::int64_t from, std::int64_t to);

// The deltas of one batch: a closure's own until it succeeds (keep) or fails
// (drop), then merged with the batch's, written once before the commit.
class StatsBuffer {
 public:
  void add(const std::vector<stats::Row>& delta) { stats::merge_into(pending_, delta); }
  void keep() {
    stats::merge_into(batch_, pending_);
    pending_.clear();
  }
  void drop() { pending_.clear(); }
  void settle(bool kept) { kept ? keep() : drop(); }
  void clear() {
    pending_.clear();
    batch_.clear();
  }
  const std::vector<stats::Row>& batch() const { return batch_; }

 private:
  std::vector<stats::Row> pending_;
  std::vector<stats::Row> batch_;
};

}  // namespace motcua::store
