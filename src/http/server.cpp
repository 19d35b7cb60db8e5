// The only translation unit of motcua_http that includes Beast and Asio.
//
// One io_context per thread, each run by exactly one thread (no strands, no
// cross-thread wake-ups on the hot path); the acceptor deals connections out
// round-robin. One coroutine per connection. Requests are parsed
// with Beast's parser fed straight from a per-connection flat buffer (so a
// pipelined request already in the buffer costs no extra I/O or post), and
// each response goes out as one gathered write of a hand-built head and the
// body. Shutdown: the control context (the first) closes the acceptor, cancels the reads of
// idle connections, lets busy ones answer with "Connection: close", and waits
// for the last one (bounded by shutdown_timeout).
#include "http/server.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <limits>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "common/size_text.hpp"
#include "common/thread_name.hpp"
#include "common/wait_bound.hpp"
#include "http/access_log.hpp"
#include "http/error_table.hpp"
#include "http/request_target.hpp"
#include "http/static_files.hpp"

namespace motcua::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Executor = asio::io_context::executor_type;
// Concrete executor types rather than any_io_executor: no type erasure per op.
using Socket = tcp::socket::rebind_executor<Executor>::other;
using Stream = beast::basic_stream<tcp, Executor, beast::unlimited_rate_policy>;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);
constexpr std::size_t kReadChunk = 8192;

// What was wrong with a request the parser refused, in both languages: Beast's
// own message is English only, and a person reads the answer.
Error malformed(const beast::error_code& ec) {
  using E = bhttp::error;
  const auto say = [&](const std::string& vi, const std::string& en) {
    return make_error(ErrorKind::kBadRequest, "Yêu cầu HTTP không đúng định dạng: " + vi + ".",
                      "The HTTP request is malformed: " + en + ".");
  };
  if (ec == E::bad_value) {
    return say("giá trị của một tiêu đề chứa ký tự không được phép (ký tự điều khiển)",
               "a header's value holds a character not allowed there (a control character)");
  }
  if (ec == E::bad_field) {
    return say("tên của một tiêu đề chứa ký tự không được phép",
               "a header's name holds a character not allowed there");
  }
  if (ec == E::bad_method) return say("phương thức không hợp lệ", "the method is not valid");
  if (ec == E::bad_target) {
    return say("đường dẫn chứa ký tự không được phép", "the path holds a character not allowed");
  }
  if (ec == E::bad_version)
    return say("phiên bản HTTP không hợp lệ", "the HTTP version is not valid");
  if (ec == E::bad_line_ending)
    return say("dòng không kết thúc bằng CRLF", "a line does not end in CRLF");
  if (ec == E::bad_content_length || ec == E::multiple_content_length) {
    return say("Content-Length không hợp lệ", "Content-Length is not valid");
  }
  if (ec == E::bad_transfer_encoding || ec == E::bad_chunk || ec == E::bad_chunk_extension) {
    return say("Transfer-Encoding hoặc một khối (chunk) không hợp lệ",
               "Transfer-Encoding or a chunk is not valid");
  }
  if (ec == E::bad_obs_fold) {
    return say("một tiêu đề viết tiếp trên dòng sau (obs-fold)",
               "a header is continued on the next line (obs-fold)");
  }
  return say("không đọc được (" + ec.message() + ")", "it cannot be read (" + ec.message() + ")");
}

// RFC 9112 3.2: an HTTP/1.1 request names exactly one Host, and no request two
// (a proxy in front may have read the other; the payment return address is
// built from it).
std::optional<Error> host_error(unsigned version, std::size_t hosts) {
  if (hosts > 1) {
    return make_error(ErrorKind::kBadRequest, "Yêu cầu có nhiều hơn một tiêu đề Host.",
                      "The request has more than one Host header.", "Host");
  }
  if (hosts == 0 && version >= 11) {
    return make_error(ErrorKind::kBadRequest, "Yêu cầu HTTP/1.1 phải có tiêu đề Host.",
                      "An HTTP/1.1 request must have a Host header.", "Host");
  }
  return std::nullopt;
}

// State shared between a connection's coroutine and the shutdown code. Only
// touched on the connection's own (single-threaded) io_context.
struct Connection {
  Connection(Executor e, std::string p, bool c)
      : exec(std::move(e)), peer(std::move(p)), client(client_key(peer)), per_client(c) {}
  Executor exec;
  const std::string peer;    // the peer's address ("" when it could not be read)
  const std::string client;  // what the per-client limit counts it by (an IPv6 /64)
  const bool per_client;     // counted against max_connections_per_client
  Stream* stream = nullptr;  // owned by the coroutine; null once it ends
  bool busy = false;         // a request has started arriving
  bool closing = false;      // answer what is in flight, then close
  // Set while the coroutine waits for a deferred reply: force_close cancels it.
  asio::steady_timer* deferred_wait = nullptr;
};

// Where a deferred handler's reply (from any thread) meets the connection
// coroutine waiting for it on its own io thread. Shared by both, so a reply
// that comes after the coroutine stopped waiting finds it and does nothing.
struct Deferred {
  explicit Deferred(Executor e) : exec(std::move(e)) {}
  Executor exec;
  std::mutex mu;
  // Guarded by mu. `open` turns false when the coroutine stops waiting (or is
  // destroyed with its io_context), after which nothing may be posted to exec.
  bool open = true;
  bool replied = false;
  std::thread::id caller;  // the thread inside the handler call: it may reply inline
  // On exec only (or on `caller` during the call).
  std::optional<Response> response;
  asio::steady_timer* timer = nullptr;  // the coroutine's wait
};

void deliver(const std::shared_ptr<Deferred>& d, Response r) {
  std::lock_guard lock(d->mu);
  if (!d->open || d->replied) return;
  d->replied = true;
  if (d->caller == std::this_thread::get_id()) {
    d->response = std::move(r);  // replied before returning: no wait at all
    return;
  }
  asio::post(d->exec, [d, r = std::move(r)]() mutable {
    if (!d->timer) return;  // the wait is over
    d->response = std::move(r);
    d->timer->cancel();
  });
}

// 500 for a handler that threw; `what` is null for a non-standard exception.
Response handler_failure(const Request& req, const char* what) {
  return problem(make_error(ErrorKind::kInternal, "",
                            "handler for " + req.method + " " + req.path +
                                (what ? std::string(" threw: ") + what
                                      : std::string(" threw a non-standard exception")) +
                                " (request " + req.request_id + ")"),
                 req.path);
}

void append_number(std::string& out, std::uint64_t v) {
  char buf[24];
  char* p = buf + sizeof buf;
  do {
    *--p = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  out.append(p, static_cast<std::size_t>(buf + sizeof buf - p));
}

// The Date header value, formatted at most once a second per thread.
std::string_view http_date() {
  thread_local std::time_t cached_second = 0;
  thread_local char buf[40];
  thread_local std::size_t len = 0;
  const std::time_t now = std::time(nullptr);
  if (now != cached_second) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    len = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    cached_second = now;
  }
  return {buf, len};
}

// A client's X-Request-Id worth keeping: short, and nothing a log could
// misread (no spaces, quotes, control or non-ASCII bytes).
bool valid_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || c == '.' || c == ':';
    if (!safe) return false;
  }
  return true;
}

// The request's id stays the server's own, unique in the logs whatever a
// client sends; the client's first X-Request-Id, if valid, follows it after
// a colon so that the client can find its request ("1a2b3c4d-00000000002a:abc").
void add_client_request_id(Request& req) {
  auto id = req.header("x-request-id");
  if (!id || !valid_request_id(*id)) return;
  req.request_id += ':';
  req.request_id += *id;
}

// The request's header fields, names lower-cased, into req.headers.
template <class Fields>
void copy_headers(const Fields& msg, Request& req) {
  req.headers.clear();
  for (const auto& field : msg) {
    const auto name = field.name_string();
    const auto value = field.value();
    auto& [k, v] = req.headers.emplace_back();
    k.resize(name.size());
    for (std::size_t i = 0; i < name.size(); ++i)
      k[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
    v.assign(value.data(), value.size());
  }
}

// Headers a handler may not set: the server owns framing and these.
bool reserved_header(std::string_view name) {
  return iequals(name, "content-length") || iequals(name, "transfer-encoding") ||
         iequals(name, "connection") || iequals(name, "content-type") || iequals(name, "server") ||
         iequals(name, "x-request-id") || iequals(name, "date");
}

bool has_crlf(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

bool status_has_no_body(int status) {
  return (status >= 100 && status < 200) || status == 204 || status == 304;
}

void build_head(std::string& head, const Response& r, std::string_view request_id,
                std::size_t body_size, bool close, bool http10_keep_alive) {
  head.clear();
  head += "HTTP/1.1 ";
  append_number(head, static_cast<std::uint64_t>(r.status));
  head += ' ';
  const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(r.status));
  head.append(reason.data(), reason.size());
  head += "\r\nServer: motcua\r\nDate: ";
  head += http_date();
  if (!status_has_no_body(r.status)) {
    head += "\r\nContent-Type: ";
    head += r.content_type.empty() ? std::string_view("application/octet-stream")
                                   : std::string_view(r.content_type);
    head += "\r\nContent-Length: ";
    append_number(head, body_size);
  }
  head += "\r\nX-Request-Id: ";
  head += request_id;
  head += "\r\n";
  for (const auto& [name, value] : r.headers) {
    if (name.empty() || has_crlf(name) || has_crlf(value) || reserved_header(name)) continue;
    head += name;
    head += ": ";
    head += value;
    head += "\r\n";
  }
  if (close)
    head += "Connection: close\r\n";
  else if (http10_keep_alive)
    head += "Connection: keep-alive\r\n";
  head += "\r\n";
}

}  // namespace

// The options' fixed headers the handler did not set, and HSTS under TLS.
void add_fixed_headers(Response& resp, const Request& req,
                       const std::vector<std::pair<std::string, std::string>>& fixed,
                       const std::string& hsts) {
  const auto has = [&](std::string_view name) {
    return std::any_of(resp.headers.begin(), resp.headers.end(),
                       [&](const auto& h) { return iequals(h.first, name); });
  };
  for (const auto& [name, value] : fixed) {
    if (!has(name)) resp.headers.emplace_back(name, value);
  }
  // An API answer to someone signed in (the guard set `auth`) or sending a
  // token may hold personal data: no cache, shared or the browser's, keeps
  // it. Anonymous answers keep their caching.
  if (req.path.starts_with("/api/") && (req.auth || req.header("authorization")) &&
      !has("cache-control"))
    resp.headers.emplace_back("Cache-Control", "no-store");
  if (!hsts.empty() && req.over_tls) resp.headers.emplace_back("Strict-Transport-Security", hsts);
}

struct Server::Impl {
  Impl(ServerOptions o, const Router& r)
      : opts(std::move(o)),
        router(r),
        route_table(r.routes()),
        metrics(route_table),
        iocs(make_contexts(thread_count())),
        control(iocs.front()->get_executor()),
        acceptor(control),
        signals(control),
        drain_timer(control) {
    if (!opts.static_dir.empty()) static_files.emplace(opts.static_dir);
    if (opts.access_log) {
      access_log = std::make_unique<AccessLog>(stdout);
      metrics.set_log_dropped_source(&access_log->dropped());
    }
    std::random_device rd;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
    id_prefix = buf;
  }

  static std::vector<std::unique_ptr<asio::io_context>> make_contexts(unsigned n) {
    std::vector<std::unique_ptr<asio::io_context>> v;
    // Hint 1: each context is run by one thread, which lets Asio skip work.
    for (unsigned i = 0; i < n; ++i) v.push_back(std::make_unique<asio::io_context>(1));
    return v;
  }

  unsigned thread_count() const {
    if (opts.threads) return opts.threads;
    const unsigned n = std::thread::hardware_concurrency();
    return n ? n : 1;
  }

  // Destroyed in reverse: the io objects before the io_context, and the
  // io_context (which may destroy suspended coroutines) before what they use.
  ServerOptions opts;
  const Router& router;
  std::vector<std::pair<std::string, std::string>> route_table;
  Metrics metrics;
  std::optional<StaticFiles> static_files;
  std::unique_ptr<AccessLog> access_log;
  // Peers told of once each that their X-Forwarded-Proto is not believed,
  // or that they reached the per-client limit.
  PeersOnce tls_not_believed{64};
  PeersOnce client_limit_told{64};
  // Refusals being answered (refuse()), at most kMostRefusing.
  std::atomic<int> refusing{0};
  static constexpr int kMostRefusing = 64;
  std::string id_prefix;
  std::atomic<std::uint64_t> next_id{0};
  std::atomic<std::uint16_t> bound_port{0};

  std::mutex conns_mu;
  std::unordered_set<std::shared_ptr<Connection>> conns;  // guarded by conns_mu
  // Open connections by peer, those held to the per-client limit only
  // (guarded by conns_mu); a peer leaves it with its last connection.
  std::unordered_map<std::string, std::size_t> per_peer;
  bool stopping = false;                                  // guarded by conns_mu

  std::vector<std::unique_ptr<asio::io_context>> iocs;
  Executor control;              // iocs[0]: acceptor, signals, drain timer, shutdown
  std::size_t next_context = 0;  // round-robin, on control
  // Keep the other contexts running while they have no connection; released
  // once shutdown has drained (on control).
  std::vector<asio::executor_work_guard<Executor>> guards;
  tcp::acceptor acceptor;
  asio::signal_set signals;
  asio::steady_timer drain_timer;
  bool shutdown_started = false;  // on control
  // Read on every response, so that one finished during shutdown says
  // "Connection: close" even before its context has seen the news.
  std::atomic<bool> draining{false};
  // Set while the io_context destroys suspended coroutines: nothing may be
  // posted to `control` any more.
  std::atomic<bool> destroying{false};

  ~Impl() {
    destroying = true;
    boost::system::error_code ec;
    acceptor.close(ec);
    // Coroutines destroyed with the contexts unregister into an empty set.
    std::lock_guard lock(conns_mu);
    conns.clear();
  }

  Result<void> start();
  void run();
  void begin_shutdown();
  void force_close_all();
  asio::awaitable<void> listen();
  std::optional<Error> admit(const std::shared_ptr<Connection>& conn, int& status);
  asio::awaitable<void> refuse(Socket socket, int status, Error why);
  asio::awaitable<void> session(std::shared_ptr<Connection> conn, Socket socket);
  asio::awaitable<std::optional<Response>> call_deferred(const DeferredHandler& handler,
                                                         const Request& req, Connection& conn,
                                                         bool& close);
  void unregister(const std::shared_ptr<Connection>& conn);
  void next_request_id(std::string& out);
  void warn_tls_not_believed(const std::string& peer);
  void warn_client_limit(const std::string& peer);
};

Result<void> Server::Impl::start() {
  const std::string where = opts.host + ":" + std::to_string(opts.port);
  // The advice fits the failure: a port in use, one not allowed, a host that
  // does not resolve or is not this machine's.
  auto fail = [&](const boost::system::error_code& ec) -> Result<void> {
    std::string vi = "Hãy kiểm tra địa chỉ và cổng trong --listen.";
    std::string en = "Check the address and port given to --listen.";
    std::string field = "listen";
    if (ec == asio::error::address_in_use) {
      vi = "Hãy chọn cổng khác hoặc dừng chương trình đang dùng cổng này.";
      en = "Choose another port or stop the program that uses it.";
      field = "port";
    } else if (ec == asio::error::access_denied) {
      vi = "Cổng dưới 1024 cần quyền quản trị: hãy chọn cổng từ 1024 trở lên.";
      en = "A port under 1024 needs privileges: choose a port of 1024 or more.";
      field = "port";
    } else if (ec == boost::system::errc::address_not_available) {
      vi = "Địa chỉ này không thuộc máy này: hãy dùng địa chỉ của máy, hoặc 0.0.0.0 cho mọi địa "
           "chỉ.";
      en = "The address is not one of this machine's: use one of its addresses, or 0.0.0.0 for "
           "all of them.";
    }
    return make_error(ErrorKind::kUnavailable,
                      "Không thể lắng nghe tại " + where + ": " + ec.message() + ". " + vi,
                      "Cannot listen on " + where + ": " + ec.message() + ". " + en, field);
  };
  boost::system::error_code ec;
  tcp::resolver resolver(*iocs.front());
  const auto results =
      resolver.resolve(opts.host, std::to_string(opts.port),
                       tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) {
    const std::string why = ec ? ec.message() : "no address";
    return make_error(
        ErrorKind::kUnavailable,
        "Không thể lắng nghe tại " + where + ": không tìm được địa chỉ của máy '" + opts.host +
            "' (" + why + "). Hãy kiểm tra tên máy hoặc địa chỉ IP trong --listen.",
        "Cannot listen on " + where + ": the host '" + opts.host + "' cannot be resolved (" + why +
            "). Check the host name or IP address given to --listen.",
        "listen");
  }
  const tcp::endpoint endpoint = results.begin()->endpoint();
  acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail(ec);
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return fail(ec);
  acceptor.bind(endpoint, ec);
  if (ec) {
    acceptor.close();
    return fail(ec);
  }
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    acceptor.close();
    return fail(ec);
  }
  bound_port = acceptor.local_endpoint(ec).port();
  // Taken from here, before the caller says it listens: a SIGTERM sent
  // once it has said so is a shutdown, not the default death.
  if (opts.handle_signals) {
    boost::system::error_code ignored;
    signals.add(SIGINT, ignored);
    signals.add(SIGTERM, ignored);
    // The terminal that started it closed (an SSH session ending under
    // `make run`): stop as on SIGTERM, finishing what is in flight.
    signals.add(SIGHUP, ignored);
    signals.async_wait([this](const boost::system::error_code& ec, int) {
      if (!ec) begin_shutdown();
    });
  }
  return ok();
}

void Server::Impl::run() {
  asio::co_spawn(control, listen(), [](std::exception_ptr e) {
    if (e) std::fputs("motcua http: the listener stopped on an exception\n", stderr);
  });
  std::vector<std::thread> threads;
  for (std::size_t i = 1; i < iocs.size(); ++i) {
    guards.push_back(asio::make_work_guard(*iocs[i]));
    threads.emplace_back([this, i] {
      name_this_thread("http-" + std::to_string(i));
      this_thread_wait_bound = opts.io_wait_bound;
      iocs[i]->run();
    });
  }
  const auto caller_bound = this_thread_wait_bound;
  this_thread_wait_bound = opts.io_wait_bound;
  iocs.front()->run();
  this_thread_wait_bound = caller_bound;
  for (auto& t : threads) t.join();
  if (access_log) access_log->flush();
}

void Server::Impl::begin_shutdown() {
  if (shutdown_started) return;
  shutdown_started = true;
  draining.store(true, std::memory_order_relaxed);
  if (opts.on_shutdown) opts.on_shutdown();
  boost::system::error_code ec;
  acceptor.close(ec);
  signals.cancel(ec);
  std::vector<std::shared_ptr<Connection>> snapshot;
  {
    std::lock_guard lock(conns_mu);
    stopping = true;
    snapshot.assign(conns.begin(), conns.end());
  }
  for (auto& conn : snapshot) {
    asio::post(conn->exec, [conn] {
      conn->closing = true;
      // An idle connection is waiting for a request that may never come.
      if (!conn->busy && conn->stream) conn->stream->cancel();
    });
  }
  if (snapshot.empty()) {
    guards.clear();
    return;
  }
  drain_timer.expires_after(opts.shutdown_timeout);
  drain_timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec != asio::error::operation_aborted) force_close_all();
    // Each context now returns from run() once its last connection ends.
    guards.clear();
  });
}

void Server::Impl::force_close_all() {
  std::vector<std::shared_ptr<Connection>> snapshot;
  {
    std::lock_guard lock(conns_mu);
    snapshot.assign(conns.begin(), conns.end());
  }
  if (!snapshot.empty())
    std::fprintf(stderr, "motcua http: closing %zu connection(s) still busy after %lld ms\n",
                 snapshot.size(), static_cast<long long>(opts.shutdown_timeout.count()));
  for (auto& conn : snapshot) {
    asio::post(conn->exec, [conn] {
      conn->closing = true;
      if (conn->stream) conn->stream->close();
      if (conn->deferred_wait) conn->deferred_wait->cancel();
    });
  }
}

// A TLS proxy on another machine that was not named gets its clients no
// Secure cookies and no HSTS, silently: the operator is told, once a peer.
void Server::Impl::warn_tls_not_believed(const std::string& peer) {
  const auto at = IpAddress::parse(peer);
  if (!at) return;  // no address to name (the peer's was not known)
  const std::size_t n = tls_not_believed.remember(peer);
  if (n == 0) return;
  const std::string name = at->text();
  const char* const p = name.c_str();
  // Naming a proxy ends the loopback default: a TLS proxy on this machine
  // must then be named too.
  const bool none_named = opts.trusted_proxies.empty();
  std::fprintf(stderr,
               "motcua http: warning: X-Forwarded-Proto: https from %s is not believed, as it is "
               "not a trusted proxy (--trusted-proxy; with none named, loopback only): requests "
               "through it get no Secure cookies and no HSTS. If it is your TLS proxy, start "
               "serve with --trusted-proxy %s%s\n"
               "motcua http: cảnh báo: không tin X-Forwarded-Proto: https từ %s vì đó không phải "
               "proxy tin cậy (--trusted-proxy; khi không nêu proxy nào thì chỉ loopback): yêu cầu "
               "qua đó không có cookie Secure và HSTS. Nếu đó là proxy TLS của bạn, hãy chạy serve "
               "với --trusted-proxy %s%s\n",
               p, p,
               none_named ? " (and --trusted-proxy 127.0.0.1 --trusted-proxy ::1 if a TLS proxy "
                            "on this machine is used too: naming one ends the loopback default)"
                          : "",
               p, p,
               none_named ? " (và --trusted-proxy 127.0.0.1 --trusted-proxy ::1 nếu còn dùng "
                            "proxy TLS trên máy này: khi đã nêu proxy thì loopback không còn "
                            "mặc nhiên được tin)"
                          : "");
  if (n == tls_not_believed.capacity())
    std::fprintf(stderr,
                 "motcua http: %zu peers so reported; further ones will not be\n"
                 "motcua http: đã báo %zu địa chỉ như vậy; các địa chỉ khác sẽ không được báo\n",
                 n, n);
}

// A peer at the per-client limit may be a proxy of many clients that was not
// named: every client behind it would be refused. Told once a peer.
void Server::Impl::warn_client_limit(const std::string& peer) {
  if (client_limit_told.remember(peer) == 0) return;
  const char* const p = peer.c_str();
  const auto n = opts.max_connections_per_client;
  std::fprintf(stderr,
               "motcua http: %s has reached its limit of %zu connections at once; further ones "
               "are refused (429). If it is a reverse proxy in front of many clients, start "
               "serve with --trusted-proxy %s\n"
               "motcua http: %s đã mở tới giới hạn %zu kết nối cùng lúc; các kết nối sau bị từ "
               "chối (429). Nếu đó là proxy ngược đứng trước nhiều người dùng, hãy chạy serve với "
               "--trusted-proxy %s\n",
               p, n, p, p, n, p);
}

void Server::Impl::unregister(const std::shared_ptr<Connection>& conn) {
  bool drained = false;
  {
    std::lock_guard lock(conns_mu);
    conns.erase(conn);
    if (conn->per_client) {
      const auto it = per_peer.find(conn->client);
      if (it != per_peer.end() && --it->second == 0) per_peer.erase(it);
    }
    drained = stopping && conns.empty();
  }
  metrics.connection_closed();
  if (drained && !destroying) asio::post(control, [this] { drain_timer.cancel(); });
}

void Server::Impl::next_request_id(std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t n = next_id.fetch_add(1, std::memory_order_relaxed);
  out.assign(id_prefix);
  out += '-';
  char buf[12];
  for (int i = 11; i >= 0; --i, n >>= 4) buf[i] = kHex[n & 0xF];
  out.append(buf, sizeof buf);
}

// Registers `conn` (under conns_mu), or says why not: the server is at its
// limit (503) or the peer at its own (429).
std::optional<Error> Server::Impl::admit(const std::shared_ptr<Connection>& conn, int& status) {
  if (conns.size() >= opts.max_connections) {
    status = 503;
    const std::string n = std::to_string(opts.max_connections);
    return make_error(
        ErrorKind::kUnavailable,
        "Máy chủ đang phục vụ số kết nối tối đa (" + n + "). Hãy thử lại sau giây lát.",
        "The server is serving its most connections at once (" + n + "). Try again in a moment.");
  }
  if (conn->per_client) {
    const auto it = per_peer.find(conn->client);
    if (it != per_peer.end() && it->second >= opts.max_connections_per_client) {
      status = 429;
      const std::string n = std::to_string(opts.max_connections_per_client);
      return make_error(ErrorKind::kTooManyRequests,
                        "Địa chỉ của bạn đang mở quá nhiều kết nối cùng lúc (tối đa " + n +
                            "). Hãy đóng bớt kết nối rồi thử lại.",
                        "Your address has too many connections open at once (at most " + n +
                            "). Close some and try again.");
    }
    ++per_peer[conn->client];
  }
  conns.insert(conn);
  return std::nullopt;
}

// Answers a connection turned away at a limit, without reading its request,
// and closes it: briefly, so that a flood of them holds few descriptors.
asio::awaitable<void> Server::Impl::refuse(Socket socket, int status, Error why) {
  struct Done {
    std::atomic<int>& n;
    ~Done() { n.fetch_sub(1, std::memory_order_relaxed); }
  } done{refusing};
  Stream stream(std::move(socket));
  Request req;
  next_request_id(req.request_id);
  Response resp = problem(status, error_kind_name(why.kind), why, "");
  if (status == 503) resp.headers.emplace_back("Retry-After", "1");
  add_fixed_headers(resp, req, opts.response_headers, opts.hsts);
  std::string head;
  build_head(head, resp, req.request_id, resp.body.size(), true, false);
  stream.expires_after(std::chrono::seconds(1));
  std::array<asio::const_buffer, 2> out = {asio::buffer(head), asio::buffer(resp.body)};
  auto [ec, n] = co_await asio::async_write(stream, out, kTuple);
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (!ec) {
    // The request unread would make the close a reset, which may destroy the
    // answer before the client reads it: read a little of it first.
    std::array<char, 4096> sink;
    co_await stream.async_read_some(asio::buffer(sink), kTuple);
  }
  stream.close();
}

asio::awaitable<void> Server::Impl::listen() {
  while (true) {
    const Executor exec = iocs[next_context++ % iocs.size()]->get_executor();
    auto [ec, socket] = co_await acceptor.async_accept(exec, kTuple);
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
      // Out of descriptors or a connection reset before accept: pause, go on.
      asio::steady_timer pause(control, std::chrono::milliseconds(50));
      co_await pause.async_wait(kTuple);
      continue;
    }
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    std::string peer;
    if (const auto ep = socket.remote_endpoint(ignored); !ignored) peer = ep.address().to_string();
    const bool per_client =
        opts.max_connections_per_client > 0 && !opts.trusted_proxies.is_proxy(peer);
    auto conn = std::make_shared<Connection>(exec, std::move(peer), per_client);
    int status = 0;
    std::optional<Error> refusal;
    {
      std::lock_guard lock(conns_mu);
      if (stopping) co_return;  // the socket closes as it goes out of scope
      refusal = admit(conn, status);
    }
    if (refusal) {
      metrics.connection_refused(status == 429);
      if (status == 429) warn_client_limit(conn->peer);
      // Each answer holds a descriptor for up to a second: past a few dozen
      // at once (a client connecting in a loop), closed without one, so
      // that refusals cannot take the descriptors kept for the database.
      if (refusing.fetch_add(1, std::memory_order_relaxed) >= kMostRefusing) {
        refusing.fetch_sub(1, std::memory_order_relaxed);
        continue;  // the socket closes as it goes out of scope
      }
      asio::co_spawn(exec, refuse(std::move(socket), status, std::move(*refusal)), asio::detached);
      continue;
    }
    metrics.connection_opened();
    asio::co_spawn(exec, session(conn, std::move(socket)), [](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        std::fprintf(stderr, "motcua http: a connection ended on an exception: %s\n", ex.what());
      } catch (...) {
        std::fputs("motcua http: a connection ended on an unknown exception\n", stderr);
      }
    });
  }
}

// Calls a deferred handler, then waits for its reply without holding the io
// thread: a timer set to the read timeout that the reply cancels. Nothing: the
// connection is being closed by force, with no answer. After the read timeout
// the answer is 504 (the write's outcome unknown) and `close`.
asio::awaitable<std::optional<Response>> Server::Impl::call_deferred(const DeferredHandler& handler,
                                                                     const Request& req,
                                                                     Connection& conn,
                                                                     bool& close) {
  auto d = std::make_shared<Deferred>(conn.exec);
  asio::steady_timer timer(conn.exec, opts.read_timeout);
  // However the wait ends, even by the frame's destruction with its context.
  struct Shut {
    Deferred& d;
    Connection& conn;
    ~Shut() {
      conn.deferred_wait = nullptr;
      d.timer = nullptr;
      std::lock_guard lock(d.mu);
      d.open = false;
    }
  } shut{*d, conn};

  std::optional<Response> failed;
  {
    std::lock_guard lock(d->mu);
    d->caller = std::this_thread::get_id();
  }
  try {
    handler(req, [d](Response r) { deliver(d, std::move(r)); });
  } catch (const std::exception& e) {
    failed = handler_failure(req, e.what());
  } catch (...) {
    failed = handler_failure(req, nullptr);
  }
  {
    std::lock_guard lock(d->mu);
    d->caller = {};
    if (failed) d->open = false;  // a reply still on its way is dropped
  }
  if (failed) co_return std::move(*failed);
  if (d->response) co_return std::move(*d->response);

  d->timer = &timer;
  conn.deferred_wait = &timer;
  auto [ec] = co_await timer.async_wait(kTuple);
  if (d->response) co_return std::move(*d->response);
  if (ec == asio::error::operation_aborted) co_return std::nullopt;
  close = true;
  // Deferred handlers are writes, and a write still queued or waiting on a
  // lock may yet commit. 504: the server gave up waiting, not the write.
  const std::string ms = std::to_string(opts.read_timeout.count());
  co_return problem(outcome_unknown("Máy chủ chưa hoàn tất yêu cầu trong " + ms + " ms.",
                                    "The server did not finish the request within " + ms + " ms."),
                    req.path);
}

asio::awaitable<void> Server::Impl::session(std::shared_ptr<Connection> conn, Socket socket) {
  Stream stream(std::move(socket));
  conn->stream = &stream;
  {
    // An answer's write is tried at once (below): it must never block the thread.
    boost::system::error_code ignored;
    stream.socket().non_blocking(true, ignored);
  }
  // Whatever happens below, the registry must forget this connection.
  struct Guard {
    Impl* self;
    std::shared_ptr<Connection> conn;
    ~Guard() {
      conn->stream = nullptr;
      self->unregister(conn);
    }
  } guard{this, conn};

  const std::string& remote = conn->peer;
  bool tls_warned = false;  // the peer is one for the connection: told of once at most

  beast::flat_buffer buffer;
  Request req;
  std::string head;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser;
  bool first = true;
  bool linger = false;

  while (!conn->closing) {
    // Wait for the first byte of the next request. An idle keep-alive
    // connection is where shutdown cancels.
    if (buffer.size() == 0) {
      conn->busy = false;
      stream.expires_after(first ? opts.header_timeout : opts.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kReadChunk), kTuple);
      if (ec) break;  // closed, reset, timed out or cancelled: nothing to answer
      buffer.commit(n);
    }
    // The first request's header is due header_timeout after the opening;
    // a later one's, after its first byte (armed only if more must be read
    // for it: most headers come whole in their first read, and a timer set
    // is a cost on every request). Then read_timeout, once it is in.
    bool header_due = first;
    first = false;
    conn->busy = true;
    const auto started = Clock::now();

    // Parse from the buffer, reading more only when the parser needs it.
    parser.emplace();
    parser->header_limit(static_cast<std::uint32_t>(opts.header_limit));
    // No limit while the header is parsed (not eager: it stops there); then
    // the route's own limit, or the server's, is checked and set.
    parser->body_limit(std::numeric_limits<std::uint64_t>::max());
    parser->eager(false);
    std::size_t body_limit = opts.body_limit;
    bool limit_set = false;
    boost::system::error_code parse_ec;
    bool sent_continue = false;
    bool io_failed = false;
    // A route that takes a large body (uploads, imports) asks who is asking
    // before the body is read, and before 100 Continue: an anonymous client
    // must not make the server take in megabytes only to be refused.
    std::optional<Response> refused_early;
    while (true) {
      if (buffer.size() > 0) {
        const std::size_t used = parser->put(buffer.data(), parse_ec);
        buffer.consume(used);
        if (parse_ec == bhttp::error::need_more) parse_ec = {};
        if (parser->is_header_done() && !limit_set) {
          limit_set = true;
          stream.expires_after(opts.read_timeout);
          const auto& h = parser->get();
          const std::string_view target = h.target();
          const auto route_limit =
              router.body_limit(h.method_string(), target.substr(0, target.find('?')));
          if (route_limit) body_limit = *route_limit;
          if (parse_ec) break;
          if (route_limit) {
            Request pre;
            pre.method.assign(h.method_string().data(), h.method_string().size());
            copy_headers(h, pre);
            pre.remote = opts.trusted_proxies.client_of(remote, pre);
            if (parse_target(target, pre)) refused_early = router.admit(pre);
            if (refused_early) break;
          }
          // A Transfer-Encoding other than chunked last leaves the body's end
          // unknown (RFC 9112 6.3): the parser would read the body as the next
          // request, and a proxy in front might not. Refused, and closed.
          if (h.find(bhttp::field::transfer_encoding) != h.end() && !parser->chunked()) {
            parse_ec = bhttp::error::bad_transfer_encoding;
            break;
          }
          const auto length = parser->content_length();
          if (length && *length > body_limit) {
            parse_ec = bhttp::error::body_limit;  // answered before the body is read
            break;
          }
          parser->body_limit(body_limit);  // chunked bodies are counted as they come
          parser->eager(true);
          if (parser->is_done()) break;
          continue;
        }
        if (parse_ec || parser->is_done()) break;
        if (used > 0) continue;
      }
      if (parser->is_header_done() && !sent_continue) {
        sent_continue = true;
        const auto expect = parser->get()[bhttp::field::expect];
        if (iequals(expect, "100-continue")) {
          static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
          auto [ec, n] = co_await asio::async_write(
              stream, asio::buffer(kContinue.data(), kContinue.size()), kTuple);
          if (ec) {
            io_failed = true;
            break;
          }
        }
      }
      if (!header_due && !parser->is_header_done()) {
        header_due = true;
        stream.expires_after(opts.header_timeout);
      }
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(kReadChunk), kTuple);
      if (ec) {
        io_failed = true;
        break;
      }
      buffer.commit(n);
    }
    if (io_failed) break;

    Response resp;
    std::size_t slot;
    bool close = false;
    bool http10_keep_alive = false;
    std::string_view route_name = "unmatched";
    const bool header_ok = parser->is_header_done();
    if (header_ok) {
      auto& msg = parser->get();
      const auto method = msg.method_string();
      req.method.assign(method.data(), method.size());
    } else {
      req.method.clear();
    }
    req.path.clear();
    req.params.clear();
    req.auth.reset();
    req.remote = remote;
    req.over_tls = false;
    next_request_id(req.request_id);
    // Its headers, the id its client gave and the client behind a trusted
    // proxy: what the log and the throttle know a request by, refused or not.
    auto identify = [&](const auto& head) {
      copy_headers(head, req);
      add_client_request_id(req);
      if (!opts.trusted_proxies.empty()) req.remote = opts.trusted_proxies.client_of(remote, req);
    };

    // A request refused with a whole header had a valid request line: its
    // path (no query) is logged and answered as the problem's instance.
    auto path_of = [&](const auto& head) {
      const std::string_view target = head.target();
      if (parse_target(target, req)) return;
      req.path.assign(target.substr(0, target.find('?')));
      req.query.clear();
    };

    if (refused_early) {
      // Refused before its body was read: the unread body ends the connection.
      close = true;
      slot = metrics.unmatched_slot(req.method);
      resp = std::move(*refused_early);
      identify(parser->get());
      path_of(parser->get());
    } else if (parse_ec) {
      // Answer and close: the rest of the stream cannot be trusted.
      close = true;
      slot = metrics.unmatched_slot(req.method);
      if (header_ok) {
        // A whole header refused for its body (over the limit, a bad
        // Transfer-Encoding) is still logged by its client and its id: behind
        // a proxy, the proxy's address would stand for every client.
        identify(parser->get());
        path_of(parser->get());
      }
      if (parse_ec == bhttp::error::body_limit) {
        resp = problem(
            make_error(ErrorKind::kPayloadTooLarge,
                       "Nội dung gửi lên vượt quá giới hạn " + size_text(body_limit, true) + ".",
                       "The request body is over the limit of " + size_text(body_limit) + "."),
            req.path);
      } else if (parse_ec == bhttp::error::header_limit) {
        resp = problem(431, "request-header-fields-too-large",
                       make_error(ErrorKind::kBadRequest,
                                  "Phần đầu yêu cầu vượt quá giới hạn " +
                                      std::to_string(opts.header_limit) + " byte.",
                                  "The request headers are over the limit of " +
                                      std::to_string(opts.header_limit) + " bytes."),
                       "");
      } else {
        resp = problem(malformed(parse_ec), req.path);
      }
    } else {
      auto& msg = parser->get();
      const auto target = msg.target();
      req.target.assign(target.data(), target.size());
      identify(msg);
      const auto tls = opts.trusted_proxies.forwarded_tls_of(remote, req);
      req.over_tls = tls == TrustedProxies::ForwardedTls::kBelieved;
      if (tls == TrustedProxies::ForwardedTls::kNotBelieved && !tls_warned) {
        tls_warned = true;
        warn_tls_not_believed(remote);
      }
      req.body = std::move(msg.body());
      close = !msg.keep_alive();
      http10_keep_alive = !close && msg.version() < 11;

      std::size_t route_index = Router::kNoRoute;
      if (auto parsed = parse_target(req.target, req); !parsed) {
        slot = metrics.unmatched_slot(req.method);
        resp = problem(parsed.error(), req.path);
      } else if (auto bad_host = host_error(msg.version(), msg.count(bhttp::field::host))) {
        slot = metrics.unmatched_slot(req.method);
        resp = problem(*bad_host, req.path);
        close = true;  // a proxy in front may have framed or routed it otherwise
      } else {
        const DeferredHandler* deferred = nullptr;
        try {
          resp = router.dispatch(req, route_index, deferred);
        } catch (const std::exception& e) {
          resp = handler_failure(req, e.what());
        } catch (...) {
          resp = handler_failure(req, nullptr);
        }
        if (deferred) {
          auto reply = co_await call_deferred(*deferred, req, *conn, close);
          if (!reply) break;  // closed by force during shutdown
          resp = std::move(*reply);
        }
        if (route_index != Router::kNoRoute) {
          // HEAD on a GET route is counted as HEAD, as the access log says.
          slot = req.method[0] == 'H' ? metrics.head_slot(route_index) : route_index;
          route_name = route_table[route_index].second;
        } else if (static_files && resp.status == 404) {
          if (auto file = static_files->serve(req)) {
            resp = std::move(*file);
            slot = metrics.static_slot(req.method);
            route_name = "static";
          } else {
            slot = metrics.unmatched_slot(req.method);
          }
        } else {
          slot = metrics.unmatched_slot(req.method);
        }
      }
    }

    add_fixed_headers(resp, req, opts.response_headers, opts.hsts);
    if (!resp.operator_note.empty())
      log_operator_note(req.request_id, req.path, resp.operator_note);
    if (conn->closing || draining.load(std::memory_order_relaxed)) close = true;
    const bool head_only = req.method == "HEAD" || status_has_no_body(resp.status);
    build_head(head, resp, req.request_id, resp.body.size(), close, http10_keep_alive);
    stream.expires_after(opts.read_timeout);
    std::array<asio::const_buffer, 2> out = {
        asio::buffer(head), head_only ? asio::const_buffer() : asio::buffer(resp.body)};
    // Most answers fit the socket's send buffer: written at once, without a
    // round through the io_context's queue (3-6% more durable submissions a
    // second); what does not fit (a large file, a slow reader) is left to
    // async_write.
    boost::system::error_code write_ec;
    const std::size_t sent = stream.socket().write_some(out, write_ec);
    if (write_ec == asio::error::would_block) write_ec = {};
    if (!write_ec && sent < asio::buffer_size(out)) {
      beast::buffers_suffix<std::array<asio::const_buffer, 2>> rest(out);
      rest.consume(sent);
      auto [ec, n] = co_await asio::async_write(stream, rest, kTuple);
      write_ec = ec;
    }

    const auto elapsed = Clock::now() - started;
    metrics.record(slot, resp.status, elapsed);
    if (access_log) {
      access_log->write(AccessLogEntry{std::chrono::system_clock::now(), req.method, req.path,
                                       route_name, resp.status, head_only ? 0 : resp.body.size(),
                                       elapsed, req.remote, req.request_id});
    }
    if (write_ec) break;
    if (close) {
      linger = true;
      break;
    }
  }

  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  if (linger) {
    // We chose to close (Connection: close, 413, 400) while the peer may still
    // be sending, e.g. the rest of an oversized body. Closing with unread
    // data would send a reset that can destroy our response before the peer
    // reads it, so read and discard for a short, bounded while.
    stream.expires_after(std::chrono::milliseconds(500));
    std::array<char, 8192> sink;
    for (std::size_t drained = 0; drained < (4u << 20);) {
      auto [ec, n] = co_await stream.async_read_some(asio::buffer(sink), kTuple);
      if (ec) break;
      drained += n;
    }
  }
  stream.close();
}

Server::Server(ServerOptions options, const Router& router)
    : impl_(std::make_unique<Impl>(std::move(options), router)) {}

Server::~Server() = default;

Result<void> Server::start() { return impl_->start(); }

std::uint16_t Server::port() const { return impl_->bound_port.load(); }

void Server::run() { impl_->run(); }

void Server::stop() {
  asio::post(impl_->control, [impl = impl_.get()] { impl->begin_shutdown(); });
}

Metrics& Server::metrics() { return impl_->metrics; }

}  // namespace motcua::http
