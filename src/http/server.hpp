// The HTTP/1.1 server: Boost.Beast with C++20 coroutines, one coroutine per
// connection, `threads` io_contexts each run by one thread, connections dealt
// out round-robin. Beast and Asio stay in server.cpp; this header is plain C++.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "http/client_address.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace motcua::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 = an ephemeral port, see Server::port()
  unsigned threads = 0;       // 0 = all cores
  // To read a request's body once its header is in, write one response, or
  // wait for a deferred reply (then 504, the outcome unknown, and close).
  std::chrono::milliseconds read_timeout{30000};
  std::chrono::milliseconds idle_timeout{60000};  // between requests on a keep-alive connection
  // How long a handler on an io thread may wait for the database
  // (common/wait_bound.hpp), so that one that stops answering holds no io
  // thread, and the connections it serves, for longer; 0: no bound.
  std::chrono::milliseconds io_wait_bound{0};
  // From a connection's opening to the end of its first request's header,
  // and from a later request's first byte to the end of its header: a client trickling a header
  // byte by byte holds a connection no longer than this.
  std::chrono::milliseconds header_timeout{10000};
  // Connections open at once: over it, a new one is answered 503 and closed
  // (a clear answer, not a wait for a descriptor that never frees). Keep it
  // under the process's descriptor limit, which the database and files share.
  std::size_t max_connections = 10000;
  // Connections open at once from one peer address, so that one client
  // cannot hold them all: over it, 429 and closed. Trusted proxies carry many
  // clients and are not counted; with none named, neither are loopback peers
  // (a proxy on this machine), as for X-Forwarded-Proto. 0: no limit.
  std::size_t max_connections_per_client = 256;
  std::chrono::milliseconds shutdown_timeout{
      10000};  // how long stop() waits for requests in flight
  std::size_t body_limit = 1 << 20;
  std::size_t header_limit = 16 << 10;
  bool access_log = true;      // one JSON line per request on stdout
  bool handle_signals = true;  // SIGINT/SIGTERM call stop()
  // Called once when shutdown begins (a signal or stop()), on an io thread.
  std::function<void()> on_shutdown;
  std::string static_dir;      // non-empty: serve files for GETs no route matches
  // Added to every response (routed, static, errors) unless the handler set
  // the same header: the security headers (CSP, nosniff, Referrer-Policy, ...).
  std::vector<std::pair<std::string, std::string>> response_headers;
  // Sent only when the request came over TLS (X-Forwarded-Proto: https from
  // the terminating proxy, Request::over_tls): Strict-Transport-Security's value.
  std::string hsts;
  // Reverse proxies whose X-Forwarded-For names the client (Request::remote,
  // which the login throttle counts and the logs record); none: the peer.
  // Once any is named, X-Forwarded-Proto is believed from them only; with
  // none, from a loopback peer only.
  TrustedProxies trusted_proxies;
};

class Server {
 public:
  // The router must be complete, and must outlive the server.
  Server(ServerOptions options, const Router& router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens. An address in use or a bad host is an Error, not a throw.
  Result<void> start();
  // The bound port (useful with port 0); 0 before start().
  std::uint16_t port() const;
  // Serves on `threads` threads (the caller's included) until stop() or a
  // signal, drains, flushes the access log and returns. Call once.
  void run();
  // Graceful and thread-safe: stops accepting, closes idle keep-alive
  // connections, lets requests in flight be answered (up to shutdown_timeout),
  // then makes run() return.
  void stop();

  Metrics& metrics();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace motcua::http
