#include "services/login_throttle.hpp"

#include <algorithm>
#include <optional>

#include "common/ip_address.hpp"

namespace motcua::services {
namespace {

// The key an address is counted by: its client's (an IPv6 /64, see
// IpAddress::client_key).
std::string address_key(std::string_view address) { return "i:" + client_key(address); }

}  // namespace

long LoginThrottle::wait_for(const std::string& key, Clock::time_point now) {
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.blocked_until <= now) return 0;
  const auto left = it->second.blocked_until - now;
  return static_cast<long>(std::chrono::ceil<std::chrono::seconds>(left).count());
}

long LoginThrottle::begin(std::string_view account, std::string_view address, Clock::time_point now,
                          bool* busy) {
  if (busy) *busy = false;
  std::lock_guard lock(mutex_);
  const std::string key = "a:" + std::string(account);
  const long wait = std::max(wait_for(key, now), wait_for(address_key(address), now));
  if (wait > 0) return wait;
  int failures = 0;
  if (auto it = entries_.find(key);
      it != entries_.end() && now - it->second.last_failure <= policy_.window)
    failures = it->second.failures;
  int& under_way = in_flight_[key];
  if (under_way >= std::max(1, policy_.account_free - failures)) {
    if (busy) *busy = true;
    return 1;
  }
  ++under_way;
  return 0;
}

void LoginThrottle::end(std::string_view account) {
  std::lock_guard lock(mutex_);
  auto it = in_flight_.find("a:" + std::string(account));
  if (it != in_flight_.end() && --it->second <= 0) in_flight_.erase(it);
}

void LoginThrottle::fail(const std::string& key, int free, Clock::time_point now) {
  Entry& e = entries_[key];
  if (e.failures > 0 && now - e.last_failure > policy_.window) e.failures = 0;
  ++e.failures;
  e.last_failure = now;
  const int over = e.failures - free + 1;  // the free-th failure already blocks
  if (over <= 0) return;
  auto delay = policy_.first_delay * (1L << std::min(over - 1, 20));
  if (delay > policy_.max_delay) delay = policy_.max_delay;
  e.blocked_until = now + delay;
}

void LoginThrottle::failed(std::string_view account, std::string_view address,
                           Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= policy_.max_keys) prune(now);
  fail("a:" + std::string(account), policy_.account_free, now);
  fail(address_key(address), policy_.address_free, now);
}

void LoginThrottle::succeeded(std::string_view account) {
  std::lock_guard lock(mutex_);
  entries_.erase("a:" + std::string(account));
}

void LoginThrottle::prune(Clock::time_point now) {
  std::erase_if(entries_, [&](const auto& kv) {
    return kv.second.blocked_until <= now && now - kv.second.last_failure > policy_.window;
  });
  // Still full (a flood of distinct names): forget the unblocked ones.
  if (entries_.size() >= policy_.max_keys)
    std::erase_if(entries_, [&](const auto& kv) { return kv.second.blocked_until <= now; });
}

}  // namespace motcua::services
