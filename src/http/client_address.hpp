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

#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.hpp"

namespace motcua::http {

struct Request;

class TrustedProxies {
 public:
  // "127.0.0.1", "10.0.0.0/8", "::1", "fd00::/8"; false for anything else.
  bool add(std::string_view network);
  bool empty() const { return networks_.empty(); }
  bool contains(const IpAddress& address) const;
  // Whether the scheme `req` names in X-Forwarded-Proto is https and is to be
  // believed: from a trusted proxy when any is named. With none named, from a
  // loopback peer only (a TLS terminator on this machine works without the
  // option): from any peer, a client over plain HTTP would get Secure cookies
  // it cannot send back and HSTS for a site that serves no TLS.
  // kNotBelieved is worth a word to the operator: it may be a TLS proxy on
  // another machine that was not named.
  enum class ForwardedTls { kNotSaid, kBelieved, kNotBelieved };
  ForwardedTls forwarded_tls_of(std::string_view peer, const Request& req) const;
  bool forwarded_tls(std::string_view peer, const Request& req) const {
    return forwarded_tls_of(peer, req) == ForwardedTls::kBelieved;
  }
  // Whether `peer` may be a proxy speaking for many clients: a trusted one,
  // or with none named, a loopback peer (a proxy on this machine). Its
  // X-Forwarded-Proto is believed, and its connections are not held to one
  // client's limit.
  bool is_proxy(std::string_view peer) const;

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

// The peers already reported, so that the operator reads of each one once
// (a peer whose X-Forwarded-Proto is not believed says it on every request).
// It remembers at most `capacity` of them, then reports no new one: any
// client may send the header, and a peer it forgot would be reported again.
// Safe from several threads.
class PeersOnce {
 public:
  explicit PeersOnce(std::size_t capacity) : capacity_(capacity) {}
  // How many peers are remembered with `peer` when it is new and there was
  // room for it (1..capacity); 0 when it was known already or there is none.
  std::size_t remember(std::string_view peer);
  std::size_t capacity() const { return capacity_; }

 private:
  std::mutex mu_;
  std::vector<std::string> seen_;  // guarded by mu_; a few dozen, a scan is enough
  const std::size_t capacity_;
  std::atomic<bool> full_{false};  // no new peer is taken: the lock is not needed
};

}  // namespace motcua::http
