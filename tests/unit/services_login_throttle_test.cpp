// The login throttle's count by client address: an IPv6 client by its /64,
// as a client walking the addresses of its /64 would try it; IPv4 by the
// address, however it is written.
#include <gtest/gtest.h>

#include <string>

#include "services/login_throttle.hpp"

namespace motcua::services {
namespace {

using Clock = LoginThrottle::Clock;

// Three failures an address; accounts never block first (each try names a new one).
ThrottlePolicy policy() {
  ThrottlePolicy p;
  p.account_free = 1000;
  p.address_free = 3;
  return p;
}

// Whether a new account name may try from `address` now.
bool may_try(LoginThrottle& t, const std::string& address, Clock::time_point now) {
  static int n = 0;
  const std::string account = "probe." + std::to_string(++n);
  const long wait = t.begin(account, address, now);
  if (wait == 0) t.end(account);
  return wait == 0;
}

// Fails once from each address in turn, each time under a new account name.
void fail_from(LoginThrottle& t, std::initializer_list<const char*> addresses,
               Clock::time_point now) {
  static int n = 0;
  for (const char* a : addresses) t.failed("guess." + std::to_string(++n), a, now);
}

TEST(LoginThrottle, AddressesInOneIpv6Slash64ShareOneAllowance) {
  const auto now = Clock::now();
  LoginThrottle t(policy());
  fail_from(t, {"2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff:ffff:ffff:ffff"}, now);
  EXPECT_FALSE(may_try(t, "2001:db8:1:2::1", now));
  EXPECT_FALSE(may_try(t, "2001:db8:1:2:abcd::7", now));  // a fresh address of the same /64
  EXPECT_FALSE(may_try(t, "[2001:DB8:1:2::9]", now));     // written another way
  // The next /64, and another network, have their own.
  EXPECT_TRUE(may_try(t, "2001:db8:1:3::1", now));
  EXPECT_TRUE(may_try(t, "2001:db8:2:2::1", now));
  EXPECT_TRUE(may_try(t, "192.0.2.1", now));
}

TEST(LoginThrottle, DifferentSlash64sCountApart) {
  const auto now = Clock::now();
  LoginThrottle t(policy());
  fail_from(t, {"2001:db8:0:1::1", "2001:db8:0:2::1", "2001:db8:0:3::1", "2001:db8:0:4::1"}, now);
  for (const char* a : {"2001:db8:0:1::1", "2001:db8:0:2::5", "2001:db8:0:4::1"})
    EXPECT_TRUE(may_try(t, a, now)) << a;
}

TEST(LoginThrottle, Ipv4CountsEachAddressWrittenEitherWay) {
  const auto now = Clock::now();
  LoginThrottle t(policy());
  fail_from(t, {"192.0.2.1", "::ffff:192.0.2.1", "192.0.2.1"}, now);
  EXPECT_FALSE(may_try(t, "192.0.2.1", now));
  EXPECT_FALSE(may_try(t, "::ffff:192.0.2.1", now));
  // Its neighbours (in one /64 of the mapped form) are other clients.
  EXPECT_TRUE(may_try(t, "192.0.2.2", now));
  EXPECT_TRUE(may_try(t, "::ffff:192.0.2.2", now));
  EXPECT_TRUE(may_try(t, "198.51.100.1", now));
}

TEST(LoginThrottle, TheAllowanceOfAnAddressIsItsOwnToUseUp) {
  const auto now = Clock::now();
  LoginThrottle t(policy());
  fail_from(t, {"2001:db8::1", "2001:db8::1"}, now);
  EXPECT_TRUE(may_try(t, "2001:db8::2", now));
  fail_from(t, {"2001:db8::2"}, now);  // the third failure of the /64 blocks it
  EXPECT_FALSE(may_try(t, "2001:db8::1", now));
  // Text that is not an address is still counted, by itself.
  fail_from(t, {"unix", "unix", "unix"}, now);
  EXPECT_FALSE(may_try(t, "unix", now));
  EXPECT_TRUE(may_try(t, "unix2", now));
}

// Sign-ins to one account at once (a browser and a phone) pass while they
// are no more than the failures left before the account blocks: parallel
// guesses get no more tries than sequential ones.
TEST(LoginThrottle, AnAccountHasAsManyAttemptsUnderWayAsFailuresLeft) {
  const auto now = Clock::now();
  ThrottlePolicy p;  // 5 failures an account
  LoginThrottle t(p);
  bool busy = true;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(t.begin("lan", "192.0.2.1", now, &busy), 0) << i;
    EXPECT_FALSE(busy);
  }
  EXPECT_EQ(t.begin("lan", "192.0.2.2", now, &busy), 1);
  EXPECT_TRUE(busy);
  for (int i = 0; i < 5; ++i) t.end("lan");
  // Four failures: one attempt at a time, the last before the block.
  for (int i = 0; i < 4; ++i) t.failed("lan", "192.0.2.1", now);
  EXPECT_EQ(t.begin("lan", "192.0.2.1", now, &busy), 0);
  EXPECT_EQ(t.begin("lan", "192.0.2.1", now, &busy), 1);
  EXPECT_TRUE(busy);
  t.failed("lan", "192.0.2.1", now);
  t.end("lan");
  EXPECT_GT(t.begin("lan", "192.0.2.1", now, &busy), 1);  // blocked now
  EXPECT_FALSE(busy);
  // Another account is not held up.
  EXPECT_EQ(t.begin("minh", "192.0.2.1", now, &busy), 0);
}

// Whoever guesses at a known username blocks their own guesses: its owner,
// signing in from a device known to the account, is not held by the
// account's block nor by its address's, and counts its own failures.
TEST(LoginThrottle, AKnownDeviceIsCountedApartFromItsAccount) {
  const auto now = Clock::now();
  ThrottlePolicy p;  // 5 failures an account, 30 an address
  LoginThrottle t(p);
  for (int i = 0; i < 40; ++i) t.failed("lan", "203.0.113.9", now);
  EXPECT_GT(t.begin("lan", "192.0.2.1", now), 0);     // the account is blocked
  EXPECT_GT(t.begin("minh", "203.0.113.9", now), 0);  // and the guessing address
  // The owner's device, even behind the guessing address, may try.
  EXPECT_EQ(t.begin("lan", "203.0.113.9", now, nullptr, "dev-1"), 0);
  t.end("lan", "dev-1");
  // Its success leaves the guesses counted against the account.
  t.succeeded("lan", "dev-1");
  EXPECT_GT(t.begin("lan", "192.0.2.1", now), 0);
  // Its failures are its own: five block it, not another known device.
  for (int i = 0; i < 5; ++i) t.failed("lan", "192.0.2.1", now, "dev-1");
  EXPECT_GT(t.begin("lan", "192.0.2.1", now, nullptr, "dev-1"), 0);
  EXPECT_EQ(t.begin("lan", "192.0.2.1", now, nullptr, "dev-2"), 0);
  t.end("lan", "dev-2");
  // And they did not count against the address.
  EXPECT_EQ(t.begin("hoa", "192.0.2.1", now), 0);
  t.end("hoa");
}

}  // namespace
}  // namespace motcua::services
