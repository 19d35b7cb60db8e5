#include "services/login_throttle.hpp"

#include <algorithm>
#include <optional>

#include "common/ip_address.hpp"

namespace motcua::services {
namespace {

// The key an address is counted by: its client's (an IPv6 /64, see
// IpAddress::client_key).
std::string address_key(std::string_view address) { return "i:" + client_key(address); }

// The key an attempt's own count is kept by: the known device it comes from,
// else its account.
std::string attempt_key(std::string_view account, std::string_view device) {
  return device.empty() ? "a:" + std::string(account) : "d:" + std::string(device);
}

}  // namespace

long LoginThrottle::wait_for(const std::string& key, Clock::time_point now) {
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.blocked_until <= now) return 0;
  const auto left = it->second.blocked_until - now;
  return static_cast<long>(std::chrono::ceil<std::chrono::seconds>(left).count());
}

long LoginThrottle::begin(std::string_view account, std::string_view address, Clock::time_point now,
                          bool* busy, std::string_view device) {
  if (busy) *busy = false;
  std::lock_guard lock(mutex_);
  const std::string key = attempt_key(account, device);
  const long wait = device.empty()
                        ? std::max(wait_for(key, now), wait_for(address_key(address), now))
                        : wait_for(key, now);
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

void LoginThrottle::end(std::string_view account, std::string_view device) {
  std::lock_guard lock(mutex_);
  auto it = in_flight_.find(attempt_key(account, device));
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
                           Clock::time_point now, std::string_view device) {
  std::lock_guard lock(mutex_);
  if (entries_.size() >= policy_.max_keys) prune(now);
  fail(attempt_key(account, device), policy_.account_free, now);
  if (device.empty()) fail(address_key(address), policy_.address_free, now);
}

void LoginThrottle::succeeded(std::string_view account, std::string_view device) {
  std::lock_guard lock(mutex_);
  entries_.erase(attempt_key(account, device));
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
