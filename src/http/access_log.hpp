// The access log: one JSON object per line on an output stream (stdout by
// default). Request threads append to a per-thread buffer; a background thread
// writes, so a slow terminal or pipe never stalls a request. Lines are dropped
// (and counted) rather than blocking when the writer falls far behind, or
// when the stream refuses them (a closed pipe: said once on stderr).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace motcua::http {

struct AccessLogEntry {
  std::chrono::system_clock::time_point time;
  std::string_view method;
  std::string_view path;  // the path only: query strings may carry personal data
  std::string_view route;
  int status = 0;
  std::size_t bytes = 0;
  std::chrono::nanoseconds duration{0};
  std::string_view remote;
  std::string_view request_id;
};

class AccessLog {
 public:
  explicit AccessLog(std::FILE* out = stdout, std::size_t max_buffered = 8 << 20);
  ~AccessLog();  // flushes
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void write(const AccessLogEntry& e);
  // Waits until everything written so far is on the stream.
  void flush();
  const std::atomic<std::uint64_t>& dropped() const { return dropped_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::atomic<std::uint64_t> dropped_{0};
};

// Formats e as one JSON line (with the trailing newline) appended to out.
// Exposed for tests.
void format_access_log_line(const AccessLogEntry& e, std::string& out);

}  // namespace motcua::http
