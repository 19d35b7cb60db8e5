// A bounded cache of serialised JSON bodies, so a hot GET costs a lookup
// instead of a read and a fresh encoding: for answers that are pure functions
// of immutable data (the unit registry never changes while the server runs),
// or, with a maximum age and erase() on every local change, for data that
// changes (a dossier's public status).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace motcua::api {

class ResponseCache {
 public:
  explicit ResponseCache(std::size_t max_entries) : max_entries_(max_entries) {}

  // The cached body for key, or null. Bodies are shared, so a hit copies no
  // bytes under the lock.
  std::shared_ptr<const std::string> find(const std::string& key) const {
    std::shared_lock lock(mutex_);
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : it->second.body;
  }

  // The same, if stored less than `max_age` ago: changes made by another
  // process show within that time.
  std::shared_ptr<const std::string> find(const std::string& key,
                                          std::chrono::steady_clock::duration max_age) const {
    std::shared_lock lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end() || Clock::now() - it->second.at > max_age) return nullptr;
    return it->second.body;
  }

  std::shared_ptr<const std::string> put(const std::string& key, std::string body) {
    auto shared = std::make_shared<const std::string>(std::move(body));
    std::unique_lock lock(mutex_);
    // Simple bound: start over when full. A full cache means unusual
    // traffic, and rebuilding an entry is cheap.
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_.insert_or_assign(key, Entry{shared, Clock::now()});
    return shared;
  }

  void erase(const std::string& key) {
    std::unique_lock lock(mutex_);
    entries_.erase(key);
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::shared_ptr<const std::string> body;
    Clock::time_point at;
  };
  std::size_t max_entries_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace motcua::api
