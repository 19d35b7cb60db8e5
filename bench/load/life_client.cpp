// life_client: drives a dossier's whole life over and over through the HTTP
// API (submit, receive, assign, propose, approve, issue the result, return
// it, each as the role that may) on N keep-alive connections to 127.0.0.1,
// and prints one line of figures for bench/dossier_bench.py.
//
// Why not wrk with a Lua script: that needs a wrk thread per connection to
// keep each connection's state, and 32 threads building Lua header tables
// take CPU from the server being measured on a 2-core machine. This is one
// thread on epoll with non-blocking sockets and prebuilt request text, light
// as pgbench (the reference in the same table, also a C client) is.
//
// Usage: life_client --port P --connections N --duration S [--warmup S]
// Environment: BODY RECEIVE_BODY T_CITIZEN T_OFFICER T_SPECIALIST T_LEADER
//              SPECIALIST_ID
// Output: requests R lives L failures F seconds S p50_ms A p99_ms B

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& message, int code = 1) {
  std::fprintf(stderr, "life_client: %s\n", message.c_str());
  std::exit(code);
}

// ---- command line and environment ----------------------------------------

struct Options {
  int port = 0;
  int connections = 0;
  double duration = 0;
  double warmup = 2;
};

constexpr const char* kUsage =
    "usage: life_client --port P --connections N --duration SECONDS [--warmup SECONDS]";

[[noreturn]] void usage(const std::string& why) { die(why + "\n" + kUsage, 2); }

double parse_number(const std::string& flag, const char* text) {
  char* end = nullptr;
  double v = std::strtod(text, &end);
  if (end == text || *end != '\0' || !std::isfinite(v) || v < 0) {
    usage("bad value for " + flag + ": " + text);
  }
  return v;
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (i + 1 >= argc) usage("missing value for " + flag);
    double v = parse_number(flag, argv[++i]);
    if (flag == "--port") {
      o.port = static_cast<int>(v);
    } else if (flag == "--connections") {
      o.connections = static_cast<int>(v);
    } else if (flag == "--duration") {
      o.duration = v;
    } else if (flag == "--warmup") {
      o.warmup = v;
    } else {
      usage("unknown option " + flag);
    }
  }
  if (o.port <= 0 || o.port > 65535) usage("--port is required (1-65535)");
  if (o.connections <= 0) usage("--connections is required (> 0)");
  if (o.duration <= 0) usage("--duration is required (> 0)");
  return o;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    die(std::string("environment variable ") + name + " is not set", 2);
  }
  return v;
}

// ---- requests ---------------------------------------------------------------

// One step of the life as prebuilt text. A submission is all `head`; an action
// is head + dossier id + `middle` + version + `tail`.
struct Step {
  std::string head, middle, tail;
  bool action = false;
};

std::string headers(int port, const std::string& token, const std::string& body) {
  std::string h = " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port);
  h += "\r\nAuthorization: Bearer " + token;
  h += "\r\nContent-Type: application/json";
  h += "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  return h;
}

Step submit_step(int port, const std::string& token, const std::string& body) {
  return {"POST /api/v1/dossiers" + headers(port, token, body) + "\r\n" + body, "", "", false};
}

Step action_step(int port, const std::string& token, const std::string& action,
                 const std::string& body) {
  std::string middle = "/actions/" + action + headers(port, token, body) + "If-Match: \"";
  return {"POST /api/v1/dossiers/", middle, "\"\r\n\r\n" + body, true};
}

// The life, step by step, each as a role that may take it.
std::vector<Step> life_steps(int port) {
  const std::string officer = env("T_OFFICER"), leader = env("T_LEADER"),
                    specialist = env("T_SPECIALIST");
  const std::string assign = "{\"assignee\":\"" + env("SPECIALIST_ID") + "\"}";
  return {
      submit_step(port, env("T_CITIZEN"), env("BODY")),
      action_step(port, officer, "receive", env("RECEIVE_BODY")),
      action_step(port, leader, "assign", assign),
      action_step(port, specialist, "propose", "{\"note\":\"Đủ điều kiện\"}"),
      action_step(port, leader, "approve", "{}"),
      // The leader issues (the unit-wide rule); the assignee may too.
      action_step(port, leader, "issue_result",
                  "{\"result\":{\"number\":\"1/QĐ-UBND\",\"form\":\"paper\"}}"),
      action_step(port, officer, "return_result", "{\"delivery\":\"counter\"}"),
  };
}

// ---- responses --------------------------------------------------------------

struct Response {
  int status = 0;
  std::string location, etag;
  bool close = false;
  size_t size = 0;  // header and body bytes
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

bool icontains(std::string_view text, std::string_view word) {
  for (size_t i = 0; i + word.size() <= text.size(); ++i) {
    if (iequals(text.substr(i, word.size()), word)) return true;
  }
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

int parse_status(std::string_view line) {
  // "HTTP/1.1 201 Created"
  if (line.size() < 12 || line.substr(0, 5) != "HTTP/" || line[8] != ' ') {
    die("malformed status line: " + std::string(line));
  }
  int status = 0;
  auto [p, ec] = std::from_chars(line.data() + 9, line.data() + 12, status);
  if (ec != std::errc() || p != line.data() + 12)
    die("malformed status line: " + std::string(line));
  return status;
}

// A whole response at the start of `in`, or nothing while more bytes are due.
std::optional<Response> parse_response(std::string_view in) {
  size_t end = in.find("\r\n\r\n");
  if (end == std::string_view::npos) return std::nullopt;
  std::string_view head = in.substr(0, end);
  size_t eol = head.find("\r\n");
  Response r;
  r.status = parse_status(head.substr(0, eol));
  std::optional<size_t> length;
  while (eol != std::string_view::npos) {
    head.remove_prefix(eol + 2);
    eol = head.find("\r\n");
    std::string_view line = head.substr(0, eol);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view name = line.substr(0, colon), value = trim(line.substr(colon + 1));
    if (iequals(name, "Content-Length")) {
      size_t n = 0;
      auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || p != value.data() + value.size()) {
        die("bad Content-Length: " + std::string(value));
      }
      length = n;
    } else if (iequals(name, "Transfer-Encoding")) {
      die("the server sent Transfer-Encoding: " + std::string(value) +
          "; this client reads Content-Length bodies only");
    } else if (iequals(name, "Location")) {
      r.location = value;
    } else if (iequals(name, "ETag")) {
      r.etag = value;
    } else if (iequals(name, "Connection")) {
      r.close = icontains(value, "close");
    }
  }
  bool bodiless = r.status < 200 || r.status == 204 || r.status == 304;
  if (!length && !bodiless) {
    die("a " + std::to_string(r.status) + " response without Content-Length");
  }
  r.size = end + 4 + length.value_or(0);
  if (in.size() < r.size) return std::nullopt;
  return r;
}

// The last path segment of a Location header: the dossier id.
std::string last_segment(const std::string& location) {
  size_t slash = location.rfind('/');
  return slash == std::string::npos ? location : location.substr(slash + 1);
}

// The first run of digits in an ETag ("3" or W/"3"): the version.
std::string first_digits(const std::string& etag) {
  size_t b = etag.find_first_of("0123456789");
  if (b == std::string::npos) return {};
  size_t e = etag.find_first_not_of("0123456789", b);
  return etag.substr(b, e == std::string::npos ? std::string::npos : e - b);
}

// ---- the load ---------------------------------------------------------------

struct Conn {
  int fd = -1;
  uint32_t gen = 0;  // bumped on every reconnect; stale epoll events are dropped
  bool connected = false;
  bool in_flight = false;
  int closes_without_answer = 0;
  size_t step = 0;
  std::string id, version;
  std::string out, in;
  size_t out_off = 0;
  Clock::time_point sent;
};

struct Stats {
  uint64_t requests = 0, lives = 0, failures = 0;
  std::vector<float> latency_ms;
};

class Load {
 public:
  Load(const Options& o, std::vector<Step> steps)
      : opt_(o), steps_(std::move(steps)), conns_(static_cast<size_t>(o.connections)) {
    ep_ = epoll_create1(EPOLL_CLOEXEC);
    if (ep_ < 0) die(std::string("epoll_create1: ") + std::strerror(errno));
    stats_.latency_ms.reserve(1 << 20);
  }

  ~Load() {
    for (Conn& c : conns_) {
      if (c.fd >= 0) ::close(c.fd);
    }
    ::close(ep_);
  }

  const Stats& run() {
    auto start = Clock::now();
    window_start_ = start + seconds(opt_.warmup);
    window_end_ = window_start_ + seconds(opt_.duration);
    for (size_t i = 0; i < conns_.size(); ++i) open(i);
    std::vector<epoll_event> events(256);
    for (auto now = Clock::now(); now < window_end_; now = Clock::now()) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(window_end_ - now).count();
      int n = epoll_wait(ep_, events.data(), static_cast<int>(events.size()),
                         static_cast<int>(std::min<int64_t>(left, 100)));
      if (n < 0 && errno != EINTR) die(std::string("epoll_wait: ") + std::strerror(errno));
      for (int k = 0; k < n; ++k) dispatch(events[static_cast<size_t>(k)]);
    }
    return stats_;
  }

  double window_seconds() const {
    return std::chrono::duration<double>(window_end_ - window_start_).count();
  }

 private:
  static Clock::duration seconds(double s) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
  }

  bool counted(Clock::time_point t) const { return t >= window_start_ && t < window_end_; }

  void open(size_t i) {
    Conn& c = conns_[i];
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) die(std::string("socket: ") + std::strerror(errno));
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(opt_.port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0 &&
        errno != EINPROGRESS) {
      connect_failed(errno);
    }
    c.connected = false;
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    ev.data.u64 = (uint64_t{c.gen} << 32) | i;
    if (epoll_ctl(ep_, EPOLL_CTL_ADD, c.fd, &ev) < 0) {
      die(std::string("epoll_ctl: ") + std::strerror(errno));
    }
  }

  [[noreturn]] void connect_failed(int err) const {
    die("cannot connect to 127.0.0.1:" + std::to_string(opt_.port) + ": " + std::strerror(err));
  }

  void reconnect(size_t i) {
    Conn& c = conns_[i];
    ::close(c.fd);  // also leaves the epoll set
    c.fd = -1;
    ++c.gen;
    c.in.clear();
    c.out.clear();
    c.out_off = 0;
    c.in_flight = false;
    open(i);
  }

  // The server closed the connection (or it broke): the request in flight failed.
  void connection_lost(size_t i) {
    Conn& c = conns_[i];
    if (c.in_flight) fail(c, Clock::now());
    if (++c.closes_without_answer > 100) {
      die("the server keeps closing connections without answering");
    }
    reconnect(i);
  }

  void dispatch(const epoll_event& ev) {
    size_t i = ev.data.u64 & 0xffffffffu;
    Conn& c = conns_[i];
    uint32_t gen = static_cast<uint32_t>(ev.data.u64 >> 32);
    if (gen != c.gen) return;
    if (!c.connected) {
      if (!(ev.events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return;
      finish_connect(i);
      if (gen != c.gen) return;
    } else if ((ev.events & EPOLLOUT) && !flush(i)) {
      return;
    }
    if (ev.events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) on_readable(i);
  }

  void finish_connect(size_t i) {
    Conn& c = conns_[i];
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) err = errno;
    if (err != 0) connect_failed(err);
    c.connected = true;
    send_next(i);
  }

  void send_next(size_t i) {
    Conn& c = conns_[i];
    const Step& s = steps_[c.step];
    c.out.assign(s.head);
    if (s.action) {
      c.out += c.id;
      c.out += s.middle;
      c.out += c.version;
      c.out += s.tail;
    }
    c.out_off = 0;
    c.in_flight = true;
    c.sent = Clock::now();
    flush(i);
  }

  // Writes what is pending; false if the connection was lost (and replaced).
  bool flush(size_t i) {
    Conn& c = conns_[i];
    while (c.out_off < c.out.size()) {
      ssize_t n = send(c.fd, c.out.data() + c.out_off, c.out.size() - c.out_off, MSG_NOSIGNAL);
      if (n > 0) {
        c.out_off += static_cast<size_t>(n);
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return true;  // EPOLLOUT will call again
      } else {
        connection_lost(i);
        return false;
      }
    }
    return true;
  }

  // Reads until the socket is drained; true if the peer closed or it broke.
  bool read_all(Conn& c) {
    char buf[16384];
    for (;;) {
      ssize_t n = recv(c.fd, buf, sizeof buf, 0);
      if (n > 0) {
        c.in.append(buf, static_cast<size_t>(n));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        return false;
      } else {
        return true;
      }
    }
  }

  void on_readable(size_t i) {
    Conn& c = conns_[i];
    uint32_t gen = c.gen;
    bool closed = read_all(c);
    while (c.gen == gen) {
      std::optional<Response> r = parse_response(c.in);
      if (!r) break;
      c.in.erase(0, r->size);
      on_response(i, *r);
    }
    if (c.gen == gen && closed) connection_lost(i);
  }

  void fail(Conn& c, Clock::time_point now) {
    if (counted(now)) ++stats_.failures;
    c.step = 0;
  }

  void on_response(size_t i, const Response& r) {
    Conn& c = conns_[i];
    if (!c.in_flight) die("a response to no request");
    auto now = Clock::now();
    c.in_flight = false;
    c.closes_without_answer = 0;
    if (counted(now)) {
      ++stats_.requests;
      stats_.latency_ms.push_back(std::chrono::duration<float, std::milli>(now - c.sent).count());
    }
    advance(c, r, now);
    if (r.close) {
      reconnect(i);
    } else {
      send_next(i);
    }
  }

  // Moves the connection's life on by one answer, or back to a new submission.
  void advance(Conn& c, const Response& r, Clock::time_point now) {
    int expected = c.step == 0 ? 201 : 200;
    if (r.status != expected) return fail(c, now);
    if (c.step == 0) c.id = last_segment(r.location);
    c.version = first_digits(r.etag);
    if (c.id.empty() || c.version.empty()) return fail(c, now);
    if (++c.step == steps_.size()) {
      if (counted(now)) ++stats_.lives;
      c.step = 0;
    }
  }

  Options opt_;
  std::vector<Step> steps_;
  std::vector<Conn> conns_;
  int ep_ = -1;
  Stats stats_;
  Clock::time_point window_start_, window_end_;
};

// Nearest-rank percentile of `v` (reordered), in the same unit.
double percentile(std::vector<float>& v, double p) {
  if (v.empty()) return 0;
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  size_t k = std::clamp<size_t>(rank, 1, v.size()) - 1;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

int main(int argc, char** argv) {
  Options opt = parse_options(argc, argv);
  Load load(opt, life_steps(opt.port));
  Stats stats = load.run();
  double p50 = percentile(stats.latency_ms, 0.50);
  double p99 = percentile(stats.latency_ms, 0.99);
  std::printf("requests %llu lives %llu failures %llu seconds %.3f p50_ms %.3f p99_ms %.3f\n",
              static_cast<unsigned long long>(stats.requests),
              static_cast<unsigned long long>(stats.lives),
              static_cast<unsigned long long>(stats.failures), load.window_seconds(), p50, p99);
  return 0;
}
