// Copies the write-ahead log back into the database file on a thread of its
// own, so the writing connection's commits do not pay for it. SQLite's own
// automatic checkpoint runs inside the COMMIT that crosses its threshold: a
// group commit or a simulated chunk then waits while megabytes of pages are
// read from the log, written to the file and synced.
//
// The writer's commit hook wakes this thread once the log holds kWakeFrames;
// the thread runs PASSIVE checkpoints (they never block the writer or the
// readers) until fewer than kWakeFrames are left to copy, and then rests at
// least kMinGap: under a stream of group commits it woke after each one, and
// its syncs of the database file (two a pass) slowed the writer's syncs of
// the log. Up to kWakeFrames may stay in the log until the next commit, as
// with SQLite's own threshold. Should the thread fall behind (a long read
// holds old frames, or writes outpace it), the writer checkpoints inline once
// the log reaches kInlineFrames, so the log stays bounded as before. SQLite runs
// one checkpoint at a time and refuses a second at once, so the writer's
// inline pass waits for the thread's pass in progress and then runs its own:
// were it refused, the log would grow past the bound for as long as the two
// kept meeting.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "store/sqlite/connection.hpp"

namespace motcua::store::sqlite {

class Checkpointer {
 public:
  static constexpr int kWakeFrames = 1000;    // SQLite's default automatic threshold
  static constexpr int kInlineFrames = 8000;  // 64 MB of 8 KB pages
  static constexpr int kNice = 5;             // the thread's niceness (lower priority)
  // The least time between the end of one round of passes and the next.
  static constexpr std::chrono::milliseconds kMinGap{4};

  // Hooks `writer`'s commits; checkpoints through `own`, a second connection
  // to the same file.
  Checkpointer(Connection& writer, std::unique_ptr<Connection> own);
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Checkpoints run by this thread and inline by the writer, since the start.
  std::int64_t background_runs() const { return background_runs_.load(); }
  std::int64_t inline_runs() const { return inline_runs_.load(); }

 private:
  void committed(int frames);
  void run();

  Connection& writer_;
  std::unique_ptr<Connection> own_;
  std::mutex mutex_;
  std::mutex pass_mutex_;  // held for each checkpoint pass, by either thread
  std::condition_variable wake_;
  bool pending_ = false;
  bool stop_ = false;
  std::atomic<std::int64_t> background_runs_{0};
  std::atomic<std::int64_t> inline_runs_{0};
  std::thread thread_;
};

}  // namespace motcua::store::sqlite
