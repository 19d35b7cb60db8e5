#include "http/access_log.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/thread_name.hpp"
#include "text/fold.hpp"

namespace motcua::http {
namespace {

constexpr std::size_t kShards = 8;

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xF];
          out += kHex[c & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// RFC 3339 in Vietnam's time (UTC+7, no daylight saving), to the millisecond.
void append_time(std::string& out, std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
  const std::time_t local = static_cast<std::time_t>(ms / 1000) + 7 * 3600;
  std::tm tm{};
  gmtime_r(&local, &tm);
  char buf[40];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03d+07:00",
                              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                              tm.tm_sec, static_cast<int>(ms % 1000));
  out.append(buf, static_cast<std::size_t>(n));
}

}  // namespace

void format_access_log_line(const AccessLogEntry& e, std::string& out) {
  out += "{\"time\":\"";
  append_time(out, e.time);
  out += "\",\"method\":";
  append_json_string(out, e.method);
  out += ",\"path\":";
  // A refused request's path may hold bytes that are not UTF-8; the line stays JSON.
  if (text::valid_utf8(e.path)) {
    append_json_string(out, e.path);
  } else {
    append_json_string(out, text::well_formed(e.path));
  }
  out += ",\"route\":";
  append_json_string(out, e.route);
  out += ",\"status\":";
  out += std::to_string(e.status);
  out += ",\"bytes\":";
  out += std::to_string(e.bytes);
  char ms[32];
  const int n = std::snprintf(ms, sizeof ms, "%.3f",
                              std::chrono::duration<double, std::milli>(e.duration).count());
  out += ",\"duration_ms\":";
  out.append(ms, static_cast<std::size_t>(n));
  out += ",\"remote\":";
  append_json_string(out, e.remote);
  out += ",\"request_id\":";
  append_json_string(out, e.request_id);
  out += "}\n";
}

// Each request thread appends to its own shard (a mutex nobody else takes
// except the writer for a swap), so threads do not contend with each other.
struct AccessLog::Impl {
  struct alignas(64) Shard {
    std::mutex mu;
    std::string buf;
  };
  std::FILE* out;
  std::atomic<std::uint64_t>* dropped;
  std::size_t max_per_shard;
  bool reader_gone = false;   // on the writer's thread only
  bool failure_told = false;  // likewise
  std::array<Shard, kShards> shards;
  std::mutex mu;  // guards the fields below, for the writer's sleeps
  std::condition_variable cv;
  bool stopping = false;
  std::uint64_t flush_requested = 0;
  std::uint64_t flush_done = 0;
  std::condition_variable flushed_cv;
  std::thread writer;

  Shard& my_shard() {
    static std::atomic<std::size_t> next{0};
    thread_local const std::size_t index = next.fetch_add(1) % kShards;
    return shards[index];
  }

  void drain(std::string& scratch) {
    std::uint64_t lines = 0;
    errno = 0;
    for (auto& shard : shards) {
      scratch.clear();
      {
        std::lock_guard lock(shard.mu);
        shard.buf.swap(scratch);
      }
      if (scratch.empty()) continue;
      lines += static_cast<std::uint64_t>(std::count(scratch.begin(), scratch.end(), '\n'));
      if (!reader_gone) std::fwrite(scratch.data(), 1, scratch.size(), out);
    }
    if (!reader_gone && std::fflush(out) == 0 && !std::ferror(out)) return;
    lost(lines);
  }

  // Lines that did not reach the stream are counted as dropped, and the
  // operator is told once. With SIGPIPE ignored (serve), a reader that went
  // away (`serve | head`) is EPIPE: nothing is written to that stream again.
  void lost(std::uint64_t lines) {
    const int err = errno;
    dropped->fetch_add(lines, std::memory_order_relaxed);
    if (reader_gone) return;
    std::clearerr(out);
    if (err == EPIPE) {
      reader_gone = true;
      std::fputs(
          "motcua http: the access log's reader went away (its pipe closed): its lines are "
          "dropped from now on and counted in motcua_http_access_log_dropped_total\n"
          "motcua http: nơi đọc nhật ký truy cập đã đóng (đường ống bị đóng): từ nay các dòng "
          "nhật ký bị bỏ và được đếm trong motcua_http_access_log_dropped_total\n",
          stderr);
    } else if (!failure_told) {
      failure_told = true;
      std::fprintf(stderr,
                   "motcua http: the access log could not be written (%s): lines that fail are "
                   "dropped and counted in motcua_http_access_log_dropped_total\n"
                   "motcua http: không ghi được nhật ký truy cập (%s): các dòng không ghi được "
                   "bị bỏ và được đếm trong motcua_http_access_log_dropped_total\n",
                   std::strerror(err), std::strerror(err));
    }
  }

  void run() {
    std::string scratch;
    std::unique_lock lock(mu);
    while (true) {
      cv.wait_for(lock, std::chrono::milliseconds(200),
                  [&] { return stopping || flush_requested != flush_done; });
      const bool stop = stopping;
      const std::uint64_t target = flush_requested;
      lock.unlock();
      drain(scratch);
      lock.lock();
      flush_done = target;
      flushed_cv.notify_all();
      if (stop) return;
    }
  }
};

AccessLog::AccessLog(std::FILE* out, std::size_t max_buffered) : impl_(std::make_unique<Impl>()) {
  impl_->out = out;
  impl_->dropped = &dropped_;
  impl_->max_per_shard = max_buffered / kShards;
  impl_->writer = std::thread([this] {
    name_this_thread("access-log");
    impl_->run();
  });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  impl_->writer.join();
}

void AccessLog::write(const AccessLogEntry& e) {
  thread_local std::string line;
  line.clear();
  format_access_log_line(e, line);
  auto& shard = impl_->my_shard();
  std::lock_guard lock(shard.mu);
  if (shard.buf.size() + line.size() > impl_->max_per_shard) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  shard.buf += line;
}

void AccessLog::flush() {
  std::unique_lock lock(impl_->mu);
  const std::uint64_t ticket = ++impl_->flush_requested;
  impl_->cv.notify_all();
  impl_->flushed_cv.wait(lock, [&] { return impl_->flush_done >= ticket || impl_->stopping; });
}

}  // namespace motcua::http
