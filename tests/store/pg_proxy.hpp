// A byte-for-byte proxy between a store and the test PostgreSQL server that
// can cut one session at its next COMMIT: before the COMMIT reaches the
// server, or after the server has answered it (committed) but before the
// answer reaches the store. The store then sees a lost connection either way.
#pragma once

#include <arpa/inet.h>
#include <libpq-fe.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace motcua::store::test_support {

class PgProxy {
 public:
  enum class Cut { kNone, kBeforeCommit, kAfterCommit };

  // `url`: the server's libpq URL (MOTCUA_TEST_PG_URL).
  explicit PgProxy(const std::string& url) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(url.c_str(), &err);
    if (err) PQfreemem(err);
    for (auto* o = opts; o && o->keyword; ++o) {
      const std::string key = o->keyword, value = o->val ? o->val : "";
      if (key == "host" || key == "hostaddr") host_ = value.empty() ? host_ : value;
      if (key == "port" && !value.empty()) port_ = value;
      if (key == "user") user_ = value;
      if (key == "dbname") dbname_ = value;
    }
    PQconninfoFree(opts);
    listen_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (::bind(listen_, reinterpret_cast<sockaddr*>(&a), len) != 0 || ::listen(listen_, 16) != 0 ||
        ::getsockname(listen_, reinterpret_cast<sockaddr*>(&a), &len) != 0)
      return;
    listen_port_ = ntohs(a.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }

  ~PgProxy() {
    ::shutdown(listen_, SHUT_RDWR);
    if (acceptor_.joinable()) acceptor_.join();
    {
      std::lock_guard lock(mutex_);
      for (auto& l : links_) l->cut();
    }
    for (auto& t : threads_) t.join();
    ::close(listen_);
  }

  bool ok() const { return listen_port_ != 0; }

  // A URL for a session through the proxy, searching `schema` first.
  std::string url(const std::string& schema) const {
    return "postgresql://" + user_ + "@127.0.0.1:" + std::to_string(listen_port_) + "/" + dbname_ +
           "?sslmode=disable&gssencmode=disable&options=-csearch_path%3D" + schema;
  }

  // Cuts the session that sends the next COMMIT.
  void cut_next_commit(Cut how) { armed_ = how; }
  int cuts() const { return cuts_.load(); }

 private:
  struct Link {
    int client = -1, server = -1;
    std::atomic<bool> swallow{false};  // the server's next answer goes nowhere
    void cut() {
      ::shutdown(client, SHUT_RDWR);
      ::shutdown(server, SHUT_RDWR);
    }
    ~Link() {
      ::close(client);
      ::close(server);
    }
  };

  int connect_upstream() const {
    if (host_.empty() || host_[0] == '/') {
      sockaddr_un a{};
      a.sun_family = AF_UNIX;
      const std::string path =
          (host_.empty() ? "/var/run/postgresql" : host_) + "/.s.PGSQL." + port_;
      std::strncpy(a.sun_path, path.c_str(), sizeof a.sun_path - 1);
      const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
      if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return fd;
      ::close(fd);
      return -1;
    }
    addrinfo hints{}, *found = nullptr;
    hints.ai_socktype = SOCK_STREAM;
    if (::getaddrinfo(host_.c_str(), port_.c_str(), &hints, &found) != 0) return -1;
    const int fd = ::socket(found->ai_family, SOCK_STREAM, 0);
    const bool connected = ::connect(fd, found->ai_addr, found->ai_addrlen) == 0;
    ::freeaddrinfo(found);
    if (connected) return fd;
    ::close(fd);
    return -1;
  }

  void accept_loop() {
    for (;;) {
      const int client = ::accept(listen_, nullptr, nullptr);
      if (client < 0) return;
      auto link = std::make_shared<Link>();
      link->client = client;
      link->server = connect_upstream();
      std::lock_guard lock(mutex_);
      links_.push_back(link);
      threads_.emplace_back([this, link] { to_server(*link); });
      threads_.emplace_back([this, link] { to_client(*link); });
    }
  }

  static bool read_exact(int fd, char* at, std::size_t n) {
    while (n > 0) {
      const auto got = ::read(fd, at, n);
      if (got <= 0) return false;
      at += got;
      n -= static_cast<std::size_t>(got);
    }
    return true;
  }
  static bool write_all(int fd, const char* at, std::size_t n) {
    while (n > 0) {
      const auto put = ::write(fd, at, n);
      if (put <= 0) return false;
      at += put;
      n -= static_cast<std::size_t>(put);
    }
    return true;
  }
  static std::uint32_t length(const char* four) {
    std::uint32_t v;
    std::memcpy(&v, four, 4);
    return ntohl(v);
  }

  // The store's messages: the start-up one, then (type, length, body) each.
  void to_server(Link& l) {
    char head[5];
    if (read_exact(l.client, head, 4)) {
      std::string start(length(head) - 4, '\0');
      if (read_exact(l.client, start.data(), start.size()) && write_all(l.server, head, 4) &&
          write_all(l.server, start.data(), start.size())) {
        while (read_exact(l.client, head, 5)) {
          std::string body(length(head + 1) - 4, '\0');
          if (!read_exact(l.client, body.data(), body.size())) break;
          const bool commit = head[0] == 'Q' && body == std::string("COMMIT", 7);
          Cut how = Cut::kNone;
          if (commit) how = armed_.exchange(Cut::kNone);
          if (how == Cut::kBeforeCommit) {
            ++cuts_;
            break;
          }
          if (how == Cut::kAfterCommit) l.swallow = true;
          if (!write_all(l.server, head, 5) || !write_all(l.server, body.data(), body.size()))
            break;
        }
      }
    }
    l.cut();
  }

  void to_client(Link& l) {
    char buf[16384];
    for (;;) {
      const auto got = ::read(l.server, buf, sizeof buf);
      if (got <= 0) break;
      if (l.swallow) {  // the COMMIT's answer: it committed, and the store never hears
        ++cuts_;
        break;
      }
      if (!write_all(l.client, buf, static_cast<std::size_t>(got))) break;
    }
    l.cut();
  }

  std::string host_, port_ = "5432", user_, dbname_;
  int listen_ = -1;
  int listen_port_ = 0;
  std::atomic<Cut> armed_{Cut::kNone};
  std::atomic<int> cuts_{0};
  std::mutex mutex_;
  std::vector<std::shared_ptr<Link>> links_;
  std::vector<std::thread> threads_;  // two a session
  std::thread acceptor_;
};

}  // namespace motcua::store::test_support
