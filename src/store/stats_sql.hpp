// What both back ends share about the counters' table: its column list (from
// stats::counter_name, so the table, the upsert and the JSON keys never
// disagree) and the buffer in which a batch's deltas are merged until commit.
#pragma once

#include <string>
#include <vector>

#include "domain/stats/contribution.hpp"
#include "domain/stats/counters.hpp"

namespace motcua::store {

// "received, received_online, ..., open"
const std::string& stats_columns();
// "sum(received), ..., sum(open)"
const std::string& stats_sums();
// INSERT ... ON CONFLICT DO UPDATE adding the counters; parameters 1..3 are
// level, unit, day, then one per counter. `mark` is "?" (SQLite) or "$" (PostgreSQL).
std::string stats_upsert(const char* mark);

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
