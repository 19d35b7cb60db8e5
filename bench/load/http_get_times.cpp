// http_get_times: GET one path N times, one after another on one keep-alive
// connection to 127.0.0.1, and print each answer's time in milliseconds, one
// a line, for bench/stats_bench.py.
//
// Why not the script's own socket: a Python loop spends about 60 us of its own
// on every request, more than the server spends answering a commune's
// indicators, so a latency it measures is mostly the client's. This is a
// blocking loop with the request text built once; a time runs from the send
// until the whole answer (by its Content-Length) is read.
//
// Usage: http_get_times --port P --path PATH [--header "Name: value"]... --requests N
// Exits non-zero on any answer that is not 200.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

[[noreturn]] void die(const std::string& message) {
  std::fprintf(stderr, "http_get_times: %s\n", message.c_str());
  std::exit(1);
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if ((text[i] | 0x20) != (prefix[i] | 0x20)) return false;
  }
  return true;
}

// The body's length from a response head, or -1 when it names none.
long content_length(std::string_view head) {
  for (size_t at = head.find("\r\n"); at != std::string_view::npos;
       at = head.find("\r\n", at + 2)) {
    std::string_view line = head.substr(at + 2);
    if (iequals_prefix(line, "content-length:")) {
      return std::strtol(line.data() + 15, nullptr, 10);
    }
  }
  return -1;
}

int connect_to(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) die(std::string("socket: ") + std::strerror(errno));
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0) {
    die(std::string("connect: ") + std::strerror(errno));
  }
  return fd;
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  long requests = 0;
  std::string path, headers;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string_view flag = argv[i];
    if (flag == "--port")
      port = std::atoi(argv[i + 1]);
    else if (flag == "--path")
      path = argv[i + 1];
    else if (flag == "--header")
      headers += std::string(argv[i + 1]) + "\r\n";
    else if (flag == "--requests")
      requests = std::atol(argv[i + 1]);
    else
      die("unknown option " + std::string(flag));
  }
  if (port <= 0 || path.empty() || requests <= 0) {
    die("usage: http_get_times --port P --path PATH [--header 'Name: value']... --requests N");
  }
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "\r\n";
  int fd = connect_to(port);
  std::vector<char> in(1 << 24);
  std::vector<double> times;
  times.reserve(static_cast<size_t>(requests));
  for (long n = 0; n < requests; ++n) {
    auto start = std::chrono::steady_clock::now();
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(request.size())) {
      die(std::string("send: ") + std::strerror(errno));
    }
    size_t got = 0, want = 0;
    while (want == 0 || got < want) {
      if (got == in.size()) die("an answer larger than 16 MB");
      ssize_t r = recv(fd, in.data() + got, in.size() - got, 0);
      if (r <= 0) die("the server closed the connection");
      got += static_cast<size_t>(r);
      if (want == 0) {
        std::string_view seen(in.data(), got);
        size_t end = seen.find("\r\n\r\n");
        if (end == std::string_view::npos) continue;
        long length = content_length(seen.substr(0, end));
        if (length < 0) die("an answer without Content-Length");
        want = end + 4 + static_cast<size_t>(length);
      }
    }
    times.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
            .count());
    if (std::string_view(in.data(), 12) != "HTTP/1.1 200") {
      die("answer " + std::string(in.data(), std::min<size_t>(got, 200)));
    }
  }
  close(fd);
  for (double t : times) std::printf("%.4f\n", t);
  return 0;
}
