#include "store/sqlite/checkpointer.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include "common/thread_name.hpp"

namespace motcua::store::sqlite {

Checkpointer::Checkpointer(Connection& writer, std::unique_ptr<Connection> own)
    : writer_(writer), own_(std::move(own)) {
  thread_ = std::thread([this] {
    name_this_thread("checkpoint");
    // Background work: on a busy machine it yields to the threads that answer
    // requests and commit (on two cores under submission load, 10-15% more
    // submissions; simulate unchanged). The writer's inline pass still bounds
    // the log should it fall behind. Best effort: lowering is always allowed.
    (void)setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), kNice);
    run();
  });
  // Replaces SQLite's automatic checkpoint, which is itself a commit hook.
  writer_.on_commit([this](int frames) { committed(frames); });
}

Checkpointer::~Checkpointer() {
  writer_.on_commit(nullptr);  // back to SQLite's automatic checkpoint
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

// On the writer's thread, inside its COMMIT: cheap unless the log is too long.
void Checkpointer::committed(int frames) {
  if (frames >= kInlineFrames) {
    // Most frames are usually copied already: this finishes the rest, and the
    // next write transaction starts the log again from its beginning.
    std::lock_guard pass(pass_mutex_);
    (void)writer_.checkpoint();
    inline_runs_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (frames < kWakeFrames) return;
  {
    std::lock_guard lock(mutex_);
    if (pending_) return;
    pending_ = true;
  }
  wake_.notify_one();
}

void Checkpointer::run() {
  std::unique_lock lock(mutex_);
  auto last = std::chrono::steady_clock::now() - kMinGap;
  for (;;) {
    wake_.wait(lock, [&] { return pending_ || stop_; });
    // Once the log is past kWakeFrames every commit wakes us: wait out the
    // gap, so a pass copies the frames of a few commits at once (pages they
    // share once) and syncs the file once for them.
    wake_.wait_until(lock, last + kMinGap, [&] { return stop_; });
    if (stop_) return;
    pending_ = false;
    lock.unlock();
    // Until fewer than kWakeFrames are left to copy (commits made during a
    // pass; the next round takes them), or until a pass copies nothing more
    // (a reader still uses the frames left; the next commit wakes us again),
    // or until the writer has checkpointed inline: a pass then would copy
    // nothing and could keep the writer from starting the log again at its
    // beginning.
    const auto inline_before = inline_runs_.load();
    int copied_before = -1;
    for (;;) {
      std::unique_lock hold(pass_mutex_);
      if (inline_runs_.load() != inline_before) break;
      auto pass = own_->checkpoint();
      hold.unlock();
      background_runs_.fetch_add(1, std::memory_order_relaxed);
      if (!pass || pass->frames - pass->copied < kWakeFrames || pass->copied == copied_before) {
        break;
      }
      copied_before = pass->copied;
    }
    last = std::chrono::steady_clock::now();
    lock.lock();
  }
}

}  // namespace motcua::store::sqlite
