// The PostgreSQL session one store opens, shared by the store's areas (units,
// catalog, accounts, calendar, ...): each area's queries live in their own file
// and reach the connection through run().
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "store/postgres/connection.hpp"

namespace motcua::store::postgres {

struct Database {
  // Reading sessions open as concurrent reads need them, up to this many:
  // one per busy HTTP thread, so a read waits for a session only when more
  // threads read at once than there are sessions.
  static constexpr std::size_t kMaxReaders = 4;

  Database(std::unique_ptr<Connection> c, std::string url, std::unique_ptr<Connection> r = nullptr)
      : conn(std::move(c)), url_(std::move(url)) {
    if (r) {
      idle_.push_back(r.get());
      readers_.push_back(std::move(r));
    }
  }

  // Runs `fn` on the connection. If the server dropped the connection
  // (restart, failover, idle timeout), reconnects once and runs `fn` again, so
  // every `fn` must be safe to repeat: each is one transaction or one read.
  template <class T, class F>
  Result<T> run(F&& fn) {
    std::lock_guard lock(mutex);
    return on<T>(*conn, fn);
  }

  // The same on a reading session, so reads never queue behind a group
  // commit nor, up to kMaxReaders, behind each other; the writing session's
  // when there is none.
  template <class T, class F>
  Result<T> read(F&& fn) {
    if (readers_.empty()) return run<T>(std::forward<F>(fn));
    Connection* c = take_reader();
    Result<T> result = on<T>(*c, fn);
    give_back(c);
    return result;
  }

  std::mutex mutex;  // the writing session (and everything else today)
  std::unique_ptr<Connection> conn;

 private:
  template <class T, class F>
  static Result<T> on(Connection& c, F& fn) {
    if (c.lost() && !c.reconnect()) return c.error("kết nối lại", "reconnecting");
    Result<T> result = fn(c);
    if (!result && c.lost()) {
      if (!c.reconnect()) return c.error("kết nối lại", "reconnecting");
      result = fn(c);
    }
    return result;
  }

  // An idle reading session; a new one while fewer than kMaxReaders exist
  // (if the server refuses it, wait for a busy one instead).
  Connection* take_reader() {
    std::unique_lock lock(read_mutex_);
    if (idle_.empty() && readers_.size() + opening_ < kMaxReaders) {
      ++opening_;
      lock.unlock();
      auto fresh = Connection::open(url_);
      lock.lock();
      --opening_;
      if (fresh) {
        readers_.push_back(std::move(*fresh));
        return readers_.back().get();
      }
    }
    read_free_.wait(lock, [&] { return !idle_.empty(); });
    Connection* c = idle_.back();
    idle_.pop_back();
    return c;
  }

  void give_back(Connection* c) {
    {
      std::lock_guard lock(read_mutex_);
      idle_.push_back(c);
    }
    read_free_.notify_one();
  }

  const std::string url_;
  std::mutex read_mutex_;
  std::condition_variable read_free_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::vector<Connection*> idle_;
  std::size_t opening_ = 0;
};

}  // namespace motcua::store::postgres
