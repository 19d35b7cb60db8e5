// The client's address behind trusted proxies: which networks are trusted,
// and which X-Forwarded-For hop is believed, as a client forging the header
// would try it; and an X-Forwarded-Proto: https that is not believed, told
// to the operator once a peer (the memory of the peers told is bounded and
// shared by the io threads).
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "http/client_address.hpp"
#include "http/message.hpp"

namespace motcua::http {
namespace {

Request forwarded(std::initializer_list<const char*> values) {
  Request r;
  r.headers.emplace_back("host", "motcua.example");
  for (const char* v : values) r.headers.emplace_back("x-forwarded-for", v);
  return r;
}

TrustedProxies trusting(std::initializer_list<const char*> networks) {
  TrustedProxies t;
  for (const char* n : networks) EXPECT_TRUE(t.add(n)) << n;
  return t;
}

bool has(const TrustedProxies& t, const char* address) {
  return t.contains(*IpAddress::parse(address));
}

TEST(ClientAddress, AddressesAndNetworks) {
  EXPECT_EQ(IpAddress::parse("192.0.2.1")->text(), "192.0.2.1");
  EXPECT_EQ(IpAddress::parse("2001:DB8:0::1")->text(), "2001:db8::1");
  EXPECT_EQ(IpAddress::parse("[::1]")->text(), "::1");
  EXPECT_EQ(IpAddress::parse("::ffff:192.0.2.1")->text(), "192.0.2.1");
  for (const char* bad : {"", "localhost", "192.0.2", "192.0.2.1.5", "1.2.3.4 ", "::g"})
    EXPECT_FALSE(IpAddress::parse(bad)) << bad;

  const auto t = trusting({"10.0.0.0/8", "192.0.2.1", "fd00::/8", "172.16.0.0/12"});
  EXPECT_TRUE(has(t, "10.200.3.4"));
  EXPECT_TRUE(has(t, "::ffff:10.0.0.1"));  // a dual-stack listener's IPv4 peer
  EXPECT_TRUE(has(t, "192.0.2.1"));
  EXPECT_FALSE(has(t, "192.0.2.2"));
  EXPECT_TRUE(has(t, "172.31.255.255"));
  EXPECT_FALSE(has(t, "172.32.0.1"));
  EXPECT_TRUE(has(t, "fd12::7"));
  EXPECT_FALSE(has(t, "fe80::1"));
  EXPECT_FALSE(has(t, "11.0.0.1"));
  EXPECT_TRUE(has(trusting({"0.0.0.0/0"}), "198.51.100.7"));

  TrustedProxies none;
  for (const char* bad : {"", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x", "::/129",
                          "proxy.local", "10.0.0.0/8/8"})
    EXPECT_FALSE(none.add(bad)) << bad;
  EXPECT_TRUE(none.empty());
}

TEST(ClientAddress, TheLastHopNotATrustedProxyIsTheClient) {
  const auto t = trusting({"127.0.0.1", "10.0.0.0/8"});
  EXPECT_EQ(t.client_of("127.0.0.1", forwarded({"203.0.113.9"})), "203.0.113.9");
  // What the client wrote itself, left of the hop the proxy added, is not believed.
  EXPECT_EQ(t.client_of("127.0.0.1", forwarded({"1.1.1.1, 203.0.113.9"})), "203.0.113.9");
  // Proxies in a chain: each trusted hop is passed over.
  EXPECT_EQ(t.client_of("127.0.0.1", forwarded({"1.1.1.1, 203.0.113.9, 10.0.0.2"})), "203.0.113.9");
  EXPECT_EQ(t.client_of("127.0.0.1", forwarded({"1.1.1.1", "203.0.113.9", " 10.0.0.2 "})),
            "203.0.113.9");
  // Ports and brackets as some proxies write them.
  EXPECT_EQ(t.client_of("127.0.0.1", forwarded({"203.0.113.9:4711"})), "203.0.113.9");
  EXPECT_EQ(t.client_of("127.0.0.1", forwarded({"[2001:db8::5]:443"})), "2001:db8::5");
  EXPECT_EQ(t.client_of("127.0.0.1", forwarded({"2001:db8::5"})), "2001:db8::5");
  // Every hop trusted: the first one.
  EXPECT_EQ(t.client_of("127.0.0.1", forwarded({"10.0.0.3, 10.0.0.2"})), "10.0.0.3");
  // Not an address: the walk stops at the proxy that passed it on.
  EXPECT_EQ(t.client_of("127.0.0.1", forwarded({"203.0.113.9, unknown"})), "127.0.0.1");
  EXPECT_EQ(t.client_of("127.0.0.1", forwarded({"203.0.113.9, evil\r\nx, 10.0.0.2"})), "10.0.0.2");
  EXPECT_EQ(t.client_of("127.0.0.1", forwarded({""})), "127.0.0.1");
  EXPECT_EQ(t.client_of("127.0.0.1", forwarded({})), "127.0.0.1");
}

TEST(ClientAddress, AnUntrustedPeerIsTheClientWhateverItSays) {
  const auto t = trusting({"10.0.0.0/8"});
  EXPECT_EQ(t.client_of("198.51.100.7", forwarded({"203.0.113.9"})), "198.51.100.7");
  EXPECT_EQ(TrustedProxies().client_of("127.0.0.1", forwarded({"203.0.113.9"})), "127.0.0.1");
}

Request with_proto(const char* proto) {
  Request r;
  r.headers.emplace_back("x-forwarded-proto", proto);
  return r;
}

TEST(ClientAddress, WithNoProxyNamedTheForwardedProtoIsBelievedFromLoopbackOnly) {
  // A TLS terminator on this machine needs no option; a client anywhere else
  // over plain HTTP saying https got Secure cookies and HSTS.
  const TrustedProxies none;
  for (const char* peer : {"127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"})
    EXPECT_TRUE(none.forwarded_tls(peer, with_proto("https"))) << peer;
  for (const char* peer : {"198.51.100.7", "192.0.2.2", "10.0.0.1", "::ffff:198.51.100.7",
                           "2001:db8::1", "::2", "::", "0.0.0.0", "128.0.0.1", "", "unix"})
    EXPECT_FALSE(none.forwarded_tls(peer, with_proto("https"))) << peer;
  EXPECT_TRUE(none.forwarded_tls("127.0.0.1", with_proto("HTTPS")));
  EXPECT_FALSE(none.forwarded_tls("127.0.0.1", with_proto("http")));
  EXPECT_FALSE(none.forwarded_tls("127.0.0.1", Request()));
}

TEST(ClientAddress, WithProxiesNamedTheForwardedProtoIsBelievedFromThemOnly) {
  const auto t = trusting({"10.0.0.0/8", "2001:db8::1"});
  EXPECT_TRUE(t.forwarded_tls("10.1.2.3", with_proto("https")));
  EXPECT_TRUE(t.forwarded_tls("2001:db8::1", with_proto("https")));
  EXPECT_FALSE(t.forwarded_tls("10.1.2.3", with_proto("http")));
  // Loopback is not a named proxy: naming one says which are.
  for (const char* peer : {"127.0.0.1", "::1", "198.51.100.7", "2001:db8::2"})
    EXPECT_FALSE(t.forwarded_tls(peer, with_proto("https"))) << peer;
}

TEST(ClientAddress, LoopbackAndIpv4) {
  for (const char* a : {"127.0.0.1", "127.255.255.255", "::1", "::ffff:127.0.0.2"})
    EXPECT_TRUE(IpAddress::parse(a)->is_loopback()) << a;
  for (const char* a : {"128.0.0.1", "126.255.255.255", "::", "::2", "::127.0.0.1", "fe80::1"})
    EXPECT_FALSE(IpAddress::parse(a)->is_loopback()) << a;
  EXPECT_TRUE(IpAddress::parse("192.0.2.1")->is_v4());
  EXPECT_TRUE(IpAddress::parse("::ffff:192.0.2.1")->is_v4());
  EXPECT_FALSE(IpAddress::parse("2001:db8::1")->is_v4());
}

using Tls = TrustedProxies::ForwardedTls;

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

namespace motcua {
namespace {

// The per-client connection limit and the sign-in throttle count one client
// by the same key: an IPv6 /64, which one home or host holds whole.
TEST(ClientKey, AnIpv6ClientIsItsSlash64AndIpv4ItsAddress) {
  EXPECT_EQ(client_key("2001:db8:1:2::5"), client_key("2001:db8:1:2:abcd::7"));
  EXPECT_EQ(client_key("2001:db8:1:2::5"), "2001:db8:1:2::/64");
  EXPECT_NE(client_key("2001:db8:1:2::5"), client_key("2001:db8:1:3::5"));
  EXPECT_EQ(client_key("192.0.2.1"), client_key("::ffff:192.0.2.1"));
  EXPECT_NE(client_key("192.0.2.1"), client_key("192.0.2.2"));
  EXPECT_EQ(client_key("not an address"), "not an address");
}

}  // namespace
}  // namespace motcua
