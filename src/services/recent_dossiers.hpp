// The dossiers this process wrote or read lately, by id and by code, each at
// the version it was seen at: an action whose If-Match names that version
// starts from the cached row instead of reading it again.
//
// Why that is safe, with several processes on one database too: every write
// of a dossier is conditional on the version before it, so version N of a
// dossier is one row, whoever wrote it. A cached record asked for at its own
// version is that row; whether the dossier is still at that version is for
// the conditional write to decide (412 when it has moved on). An If-Match
// naming another version misses and the row is read from the store.
//
// Bounded: past `capacity` dossiers, or past `max_bytes` of their bodies (a
// dossier's form data may be a megabyte), the longest-cached goes first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "store/dossiers_store.hpp"

namespace motcua::services {

class RecentDossiers {
 public:
  explicit RecentDossiers(std::size_t capacity, std::size_t max_bytes = std::size_t{64} << 20)
      : capacity_(capacity), max_bytes_(max_bytes) {}

  // The record of `ref` (id or code) if it is cached at `version`.
  std::optional<store::DossierRecord> at(const std::string& ref, std::int64_t version) const;
  // Keeps `r` unless a later version of it is already kept.
  void put(store::DossierRecord r);
  std::size_t size() const;
  std::size_t bytes() const;  // the bodies' bytes kept

 private:
  struct Entry {
    std::shared_ptr<const store::DossierRecord> record;
    std::uint64_t stamp = 0;  // when it was last put: its place in `order_`
  };
  mutable std::mutex mutex_;
  std::size_t capacity_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::uint64_t next_stamp_ = 0;
  std::unordered_map<std::string, Entry> by_id_;
  std::unordered_map<std::string, std::string> id_of_code_;
  std::deque<std::pair<std::string, std::uint64_t>> order_;  // (id, stamp), oldest first
};

}  // namespace motcua::services
