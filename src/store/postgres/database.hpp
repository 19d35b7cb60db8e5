// The PostgreSQL session one store opens, shared by the store's areas (units,
// catalog, accounts, calendar, ...): each area's queries live in their own file
// and reach the connection through run().
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "common/wait_bound.hpp"
#include "store/postgres/connection.hpp"
#include "store/reader_pool.hpp"

namespace motcua::store::postgres {

struct Database {
  // Reading sessions open as concurrent reads need them, up to this many.
  static constexpr std::size_t kMaxReaders = 4;

  Database(std::unique_ptr<Connection> c, std::string url, std::unique_ptr<Connection> r = nullptr)
      : conn(std::move(c)),
        url_(url),
        readers_(
            std::move(r), [url = std::move(url)] { return Connection::open(url); }, kMaxReaders) {}

  // Runs `fn` on the connection. If the server dropped the connection
  // (restart, failover, idle timeout), reconnects once and runs `fn` again, so
  // every `fn` must be safe to repeat: each is one transaction or one read.
  // A thread with a wait bound (an io thread) waits for the session no longer
  // than it: a commit the server does not answer holds it meanwhile.
  template <class T, class F>
  Result<T> run(F&& fn) {
    std::unique_lock lock(mutex, std::defer_lock);
    if (this_thread_wait_bound.count() == 0) {
      lock.lock();
    } else if (!lock.try_lock_for(this_thread_wait_bound)) {
      return with_log_detail(
          make_error(ErrorKind::kUnavailable,
                     "Cơ sở dữ liệu đang bận, chưa nhận kịp yêu cầu này. Hãy thử lại sau giây "
                     "lát.",
                     "The database did not finish its work in hand in time to take this "
                     "request. Try again in a moment."),
          "PostgreSQL: the writing session stayed busy for " +
              std::to_string(this_thread_wait_bound.count()) + " ms");
    }
    return on<T>(*conn, fn);
  }

  // The same on a reading session, so reads never queue behind a group
  // commit nor, up to kMaxReaders, behind each other; the writing session's
  // when there is none.
  template <class T, class F>
  Result<T> read(F&& fn) {
    if (readers_.empty()) return run<T>(std::forward<F>(fn));
    // Inside read_snapshot(): a lost session fails the read, and the whole
    // snapshot is run again there (a reconnect here would leave its transaction).
    if (readers_.holds_pin())
      return readers_.with([&](Connection& c) -> Result<T> { return fn(c); });
    return readers_.with([&](Connection& c) { return on<T>(c, fn); });
  }

  // Runs `reads` with every read() it makes on this thread in one REPEATABLE
  // READ, READ ONLY transaction of one reading session: one snapshot. If the
  // server drops the session, the whole of it runs once more on a new one (on()).
  Result<void> read_snapshot(const std::function<Result<void>()>& reads) {
    if (readers_.empty() || readers_.holds_pin()) return reads();
    return readers_.pinned([&](Connection& c) {
      auto once = [&](Connection& s) -> Result<void> {
        if (auto b = s.exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"); !b)
          return b.error();
        auto result = reads();
        // READ ONLY: nothing to commit, and a ROLLBACK that gets no answer
        // in time is a read's 503, where a COMMIT would be taken for a
        // write whose outcome is unknown (Connection::about_to_send).
        auto end = s.exec("ROLLBACK");
        if (!end && !s.lost()) (void)s.exec("ROLLBACK");  // never leave it open
        if (result && !end) return end.error();
        return result;
      };
      return on<void>(c, once);
    });
  }

  // As run(), for a bulk load's transactions (write_bulk): the first caller
  // at a time runs on a second writing session, opened on first use, and
  // any other on the writing session, so two loaders commit at once. Each
  // PostgreSQL session is one server process: one loader kept one core busy
  // and left the other mostly idle. Without a second session, run().
  template <class T, class F>
  Result<T> run_bulk(F&& fn) {
    std::unique_lock lock(bulk_mutex_, std::try_to_lock);
    if (!lock) return run<T>(std::forward<F>(fn));
    if (!bulk_) {
      auto opened = Connection::open(url_);
      if (!opened) return run<T>(std::forward<F>(fn));
      bulk_ = std::move(*opened);
    }
    return on<T>(*bulk_, fn);
  }

  std::timed_mutex mutex;  // the writing session (and everything else today)
  std::unique_ptr<Connection> conn;

 private:
  template <class T, class F>
  static Result<T> on(Connection& c, F& fn) {
    if (c.lost() && !c.reconnect()) return c.error("kết nối lại", "reconnecting");
    Result<T> result = fn(c);
    // Not again at once on a server that stopped answering: a bounded wait would double.
    if (!result && c.lost() && !c.timed_out()) {
      if (!c.reconnect()) return c.error("kết nối lại", "reconnecting");
      result = fn(c);
    }
    return result;
  }

  const std::string url_;
  ReaderPool<Connection> readers_;
  std::mutex bulk_mutex_;
  std::unique_ptr<Connection> bulk_;  // run_bulk()'s session
};

}  // namespace motcua::store::postgres
