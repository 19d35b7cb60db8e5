// A bounded cache of serialised JSON bodies for answers that are pure
// functions of immutable data (the unit registry never changes while the
// server runs), so a hot GET costs a lookup instead of a fresh encoding.
#pragma once

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
    return it == entries_.end() ? nullptr : it->second;
  }

  std::shared_ptr<const std::string> put(const std::string& key, std::string body) {
    auto shared = std::make_shared<const std::string>(std::move(body));
    std::unique_lock lock(mutex_);
    // Simple bound: start over when full. Keys are (code, date) pairs, so a
    // full cache means unusual traffic, and rebuilding an entry is cheap.
    if (entries_.size() >= max_entries_) entries_.clear();
    entries_.insert_or_assign(key, shared);
    return shared;
  }

 private:
  std::size_t max_entries_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> entries_;
};

}  // namespace motcua::api
