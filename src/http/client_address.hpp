// The client's address behind reverse proxies named by the operator
// (`serve --trusted-proxy`). A proxy in front makes every request come from
// its address: the login throttle would count all users as one and the logs
// would name the proxy. X-Forwarded-For is believed only from a trusted peer,
// and only as far as it was written by trusted proxies: each one appends the
// address it took the request from, so the last hop not a trusted proxy is
// the client, and anything to its left is the client's own to forge.
//
// Plain C++ (no Beast): the server and the command line use it.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace motcua::http {

struct Request;

// An IPv4 or IPv6 address; IPv4 is kept as IPv4-mapped IPv6 (::ffff:a.b.c.d)
// so that a dual-stack listener's peers match IPv4 networks.
struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};

  // "192.0.2.1", "2001:db8::1", "[2001:db8::1]"; nullopt otherwise.
  static std::optional<IpAddress> parse(std::string_view text);
  // The canonical text: dotted IPv4 for an IPv4 address.
  std::string text() const;
};

class TrustedProxies {
 public:
  // "127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"; false for anything else.
  bool add(std::string_view network);
  bool empty() const { return networks_.empty(); }
  bool contains(const IpAddress& address) const;
  // Whether the scheme `req` names in X-Forwarded-Proto is https and is to be
  // believed: from a trusted proxy when any is named. With none named, from
  // any peer (a TLS proxy in front works without the option; a client forging
  // it changes only its own answer: HSTS, Secure cookies).
  bool forwarded_tls(std::string_view peer, const Request& req) const;

  // The address to count and log `req` by: `peer` unless it is a trusted
  // proxy; then the last X-Forwarded-For hop (all the request's such fields,
  // in order) that is not a trusted proxy, the first hop if all are. A hop
  // that is not an address (a port after it is allowed) ends the walk at the
  // proxy that passed it on.
  std::string client_of(std::string_view peer, const Request& req) const;

 private:
  struct Network {
    IpAddress base;
    int prefix = 128;  // bits, of the IPv6 form
  };
  std::vector<Network> networks_;
};

}  // namespace motcua::http
