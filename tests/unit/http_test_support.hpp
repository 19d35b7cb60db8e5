// Helpers for the tests of src/http/: a server running in-process on an
// ephemeral port, and a raw-socket client that sends exact bytes and parses
// what comes back, so tests see the wire and not a library's view of it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "http/router.hpp"
#include "http/server.hpp"

namespace motcua::http::testing {

struct Reply {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
};

class Client {
 public:
  explicit Client(std::uint16_t port, int timeout_ms = 5000) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) throw std::runtime_error("socket");
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("connect");
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // False when the peer has closed or reset the connection.
  bool send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  // One response, or nullopt if the connection closed (or timed out) first.
  // `head_only` for the answer to a HEAD request (Content-Length but no body).
  std::optional<Reply> read_reply(bool head_only = false) {
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) return std::nullopt;
    Reply r;
    const std::string head = buf_.substr(0, end);
    buf_.erase(0, end + 4);
    std::size_t pos = head.find("\r\n");
    const std::string status_line = head.substr(0, pos);
    if (status_line.size() < 12) return std::nullopt;
    r.status = std::stoi(status_line.substr(9, 3));
    while (pos != std::string::npos && pos < head.size()) {
      const std::size_t next = head.find("\r\n", pos + 2);
      const std::string line =
          head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      pos = next;
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      r.headers[name] = value;
    }
    std::size_t length = 0;
    if (!head_only && r.headers.count("content-length"))
      length = std::stoul(r.headers["content-length"]);
    while (buf_.size() < length)
      if (!fill()) return std::nullopt;
    r.body = buf_.substr(0, length);
    buf_.erase(0, length);
    return r;
  }

  // True when the server closes the connection (EOF or reset) within the timeout.
  bool closed_by_peer() {
    char c;
    const ssize_t n = ::recv(fd_, &c, 1, 0);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
  }

 private:
  bool fill() {
    char tmp[16384];
    const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<std::size_t>(n));
    return true;
  }

  int fd_ = -1;
  std::string buf_;
};

// One request on a fresh connection.
inline std::optional<Reply> roundtrip(std::uint16_t port, std::string_view raw,
                                      bool head_only = false) {
  Client c(port);
  if (!c.send(raw)) return std::nullopt;
  return c.read_reply(head_only);
}

inline std::string get(std::string_view target, std::string_view extra_headers = {}) {
  std::string s = "GET ";
  s += target;
  s += " HTTP/1.1\r\nHost: test\r\n";
  s += extra_headers;
  s += "\r\n";
  return s;
}

// A server on 127.0.0.1, an ephemeral port, served by a background thread.
class TestServer {
 public:
  explicit TestServer(Router router, ServerOptions options = defaults())
      : router_(std::move(router)), server_(std::move(options), router_) {
    auto started = server_.start();
    if (!started) throw std::runtime_error(started.error().message_en);
    thread_ = std::thread([this] {
      server_.run();
      returned_ = true;
    });
  }
  ~TestServer() { stop(); }

  static ServerOptions defaults() {
    ServerOptions o;
    o.port = 0;
    o.threads = 2;
    o.access_log = false;
    o.handle_signals = false;
    return o;
  }

  void stop() {
    if (thread_.joinable()) {
      server_.stop();
      thread_.join();
    }
  }
  // True once run() has returned by itself (a signal), waiting up to `limit`.
  bool wait_for_exit(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!returned_ && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return returned_;
  }
  std::uint16_t port() const { return server_.port(); }
  Server& server() { return server_; }

 private:
  Router router_;
  Server server_;
  std::thread thread_;
  std::atomic<bool> returned_{false};
};

}  // namespace motcua::http::testing
