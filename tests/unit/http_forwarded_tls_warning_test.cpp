// An X-Forwarded-Proto: https that is not believed is told to the operator
// once a peer: which requests say it unbelieved, and the memory of the peers
// already told, bounded and shared by the io threads.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "http/client_address.hpp"
#include "http/message.hpp"

namespace motcua::http {
namespace {

using Tls = TrustedProxies::ForwardedTls;

Request with_proto(const char* proto) {
  Request r;
  r.headers.emplace_back("x-forwarded-proto", proto);
  return r;
}

TEST(ForwardedTlsWarning, OnlyAnHttpsNotBelievedIsWorthAWord) {
  const TrustedProxies none;
  EXPECT_EQ(none.forwarded_tls_of("127.0.0.1", with_proto("https")), Tls::kBelieved);
  EXPECT_EQ(none.forwarded_tls_of("198.51.100.7", with_proto("https")), Tls::kNotBelieved);
  EXPECT_EQ(none.forwarded_tls_of("198.51.100.7", with_proto("HTTPS")), Tls::kNotBelieved);
  EXPECT_EQ(none.forwarded_tls_of("198.51.100.7", with_proto("http")), Tls::kNotSaid);
  EXPECT_EQ(none.forwarded_tls_of("198.51.100.7", Request()), Tls::kNotSaid);
  EXPECT_EQ(none.forwarded_tls_of("unix", with_proto("https")), Tls::kNotBelieved);
  TrustedProxies named;
  ASSERT_TRUE(named.add("10.0.0.0/8"));
  EXPECT_EQ(named.forwarded_tls_of("10.1.2.3", with_proto("https")), Tls::kBelieved);
  EXPECT_EQ(named.forwarded_tls_of("127.0.0.1", with_proto("https")), Tls::kNotBelieved);
  EXPECT_EQ(named.forwarded_tls_of("192.0.2.9", with_proto("https")), Tls::kNotBelieved);
}

TEST(ForwardedTlsWarning, EachPeerOnceUpToTheCapacity) {
  PeersOnce once(3);
  EXPECT_EQ(once.remember("192.0.2.1"), 1u);
  EXPECT_EQ(once.remember("192.0.2.1"), 0u);
  EXPECT_EQ(once.remember("2001:db8::1"), 2u);
  EXPECT_EQ(once.remember("192.0.2.3"), 3u);  // the last there is room for
  // Full: a new peer is not told (and not remembered), the known stay known.
  EXPECT_EQ(once.remember("192.0.2.4"), 0u);
  EXPECT_EQ(once.remember("192.0.2.4"), 0u);
  EXPECT_EQ(once.remember("2001:db8::1"), 0u);
}

TEST(ForwardedTlsWarning, SeveralThreadsTellEachPeerOnce) {
  PeersOnce once(64);
  std::vector<std::string> peers;
  for (int i = 0; i < 100; ++i) peers.push_back("198.51.100." + std::to_string(i));
  std::atomic<int> told{0};
  std::atomic<int> told_full{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 50; ++round) {
        for (const auto& p : peers) {
          const auto n = once.remember(p);
          if (n != 0) ++told;
          if (n == once.capacity()) ++told_full;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(told.load(), 64);
  EXPECT_EQ(told_full.load(), 1);
}

}  // namespace
}  // namespace motcua::http
