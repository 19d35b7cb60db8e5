// Reading sessions shared by the threads that read, so a long read (a sweep,
// a report) does not hold up the others: an idle session is lent, a new one
// opened while fewer than `max` exist, else the reader waits for one. The
// first session is opened by the caller (a bad URL fails at start, not at the
// first read); the others as concurrent reads need them.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace motcua::store {

template <class Session>
class ReaderPool {
 public:
  using Open = std::function<Result<std::unique_ptr<Session>>()>;

  ReaderPool(std::unique_ptr<Session> first, Open open, std::size_t max)
      : open_(std::move(open)), max_(max) {
    if (first) {
      idle_.push_back(first.get());
      sessions_.push_back(std::move(first));
    }
  }

  // Whether this thread is inside pinned() of this pool.
  bool holds_pin() const { return pin_.pool == this; }

  // No session at all: the caller reads on its writing session instead.
  bool empty() const { return sessions_.empty(); }

  // Runs fn(Session&) on a lent session that stays this thread's for every
  // with() inside fn: the back end wraps it in one transaction, and the reads
  // of several queries see one snapshot.
  template <class F>
  auto pinned(F&& fn) {
    if (holds_pin()) return fn(*pin_.session);  // inside one already: the same
    return with([&](Session& s) {
      struct Pin {
        Pin(ReaderPool* p, Session* s) { pin_ = {p, s}; }
        ~Pin() { pin_ = {}; }
      } pin(this, &s);
      return fn(s);
    });
  }

  // Runs fn(Session&) on a lent session, or on the session this thread has
  // pinned (pinned()).
  template <class F>
  auto with(F&& fn) {
    if (holds_pin()) return fn(*pin_.session);
    struct Lent {
      ReaderPool& pool;
      Session* session;
      ~Lent() { pool.give_back(session); }
    } lent{*this, take()};
    return fn(*lent.session);
  }

 private:
  Session* take() {
    std::unique_lock lock(mutex_);
    if (idle_.empty() && sessions_.size() + opening_ < max_) {
      ++opening_;
      lock.unlock();
      auto fresh = open_();  // outside the lock: a slow open holds up no one
      lock.lock();
      --opening_;
      if (fresh) {
        sessions_.push_back(std::move(*fresh));
        return sessions_.back().get();
      }
      // Refused (too many connections, say): wait for a busy one instead.
    }
    free_.wait(lock, [&] { return !idle_.empty(); });
    Session* s = idle_.back();
    idle_.pop_back();
    return s;
  }

  void give_back(Session* s) {
    {
      std::lock_guard lock(mutex_);
      idle_.push_back(s);
    }
    free_.notify_one();
  }

  // The session a thread's pinned() holds, and its pool.
  struct Pinned {
    const ReaderPool* pool = nullptr;
    Session* session = nullptr;
  };
  static inline thread_local Pinned pin_;

  const Open open_;
  const std::size_t max_;
  std::mutex mutex_;
  std::condition_variable free_;
  std::vector<std::unique_ptr<Session>> sessions_;
  std::vector<Session*> idle_;
  std::size_t opening_ = 0;
};

}  // namespace motcua::store
