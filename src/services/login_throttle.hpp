// Login throttling, per account name and per client address, in memory. An
// IPv6 client is counted by its /64 (it may hold every address in it), an
// IPv4 one, or one written IPv4-mapped, by its address.
//
// Each key counts failed attempts in a 15-minute window (reset after 15 quiet
// minutes). The allowance is 5 failures per account and 30 per address: the
// failure that uses it up, and every one after, blocks the key for a delay
// that doubles: 30 s, 1 min, 2 min, ... up to 15 min. A blocked key is refused before the password
// is checked, so guessing costs the attacker time, not the server CPU. A success clears the
// account's count, not the address's (one known account must not unlock an address that guesses
// others). Unknown account names are counted like known ones, so the throttle reveals nothing about
// which exist.
//
// An attempt from a device the account signed in from before (KnownDevices)
// is counted by that device alone, with the account's allowance: the
// account's and the address's blocks do not hold it, and its failures and
// its success leave their counts as they are. Whoever guesses at a known
// username then blocks their own guesses, not the account's owner; and the
// owner's sign-in does not clear the guesses counted against the account.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace motcua::services {

struct ThrottlePolicy {
  int account_free = 5;
  int address_free = 30;
  std::chrono::seconds window{15 * 60};
  std::chrono::seconds first_delay{30};
  std::chrono::seconds max_delay{15 * 60};
  std::size_t max_keys = 100000;  // beyond this, the oldest quiet keys are dropped
};

class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LoginThrottle(ThrottlePolicy policy = {}) : policy_(policy) {}

  // Seconds to wait before (account, address) may try again; 0 = may try now,
  // and the attempt is under way until end(account). Checked before the slow
  // password hash and counted after it, parallel guesses would all pass the
  // check that the failures before them would close: so an account has at
  // most as many attempts under way as failures left before it blocks, and
  // one more waits a second (`busy` then says so). Two right passwords at
  // once (a browser and a phone) both pass. `device`: the id of a known
  // device the attempt comes from, empty for none; the same in each call
  // about one attempt.
  long begin(std::string_view account, std::string_view address, Clock::time_point now,
             bool* busy = nullptr, std::string_view device = {});
  void end(std::string_view account, std::string_view device = {});
  void failed(std::string_view account, std::string_view address, Clock::time_point now,
              std::string_view device = {});
  void succeeded(std::string_view account, std::string_view device = {});

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point last_failure{};
    Clock::time_point blocked_until{};
  };
  long wait_for(const std::string& key, Clock::time_point now);
  void fail(const std::string& key, int free, Clock::time_point now);
  void prune(Clock::time_point now);

  ThrottlePolicy policy_;
  std::mutex mutex_;
  // "a:" account, "i:" address or /64, "d:" known device
  std::unordered_map<std::string, Entry> entries_;
  std::unordered_map<std::string, int> in_flight_;  // attempts under way, by account or device
};

}  // namespace motcua::services
