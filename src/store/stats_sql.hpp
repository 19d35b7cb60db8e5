// What both back ends share about the counters' table: its column list (from
// stats::counter_name, so the table, the upsert and the JSON keys never
// disagree) and the buffer in which a batch's deltas are merged until commit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/stats/contribution.hpp"
#include "domain/stats/counters.hpp"
#include "domain/stats/rollup.hpp"

namespace motcua::store {

// "received, received_online, ..., open"
const std::string& stats_columns();
// "sum(received), ..., sum(open)"
const std::string& stats_sums();
// The daily rows, or their monthly rollup (domain/stats/rollup.hpp), whose
// key column is `month` instead of `day`.
enum class StatsTable { kDaily, kMonthly };

// INSERT ... ON CONFLICT DO UPDATE adding the counters; parameters 1..3 are
// level, unit, day (or month), then one per counter. `mark` is "?" (SQLite)
// or "$" (PostgreSQL).
std::string stats_upsert(const char* mark, StatsTable table);

// A range read through its split (stats::split_range) as one UNION ALL under
// `where` (the level and unit condition): the two day ranges added, the
// months, and the two day ranges subtracted (their counters negated). `unit`
// adds the unit column first. The ten bounds are parameters first..first+9,
// each followed by `cast`.
std::string stats_split_union(bool unit, const std::string& where, const char* mark, int first,
                              const char* cast);
// The ten bounds, in the order of stats_split_union's parameters.
std::vector<std::int64_t> split_bounds(const stats::RangeSplit& s);

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
