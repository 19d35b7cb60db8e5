// The PostgreSQL session one store opens, shared by the store's areas (units,
// catalog, accounts, calendar, ...): each area's queries live in their own file
// and reach the connection through run().
#pragma once

#include <memory>
#include <mutex>
#include <utility>

#include "store/postgres/connection.hpp"

namespace motcua::store::postgres {

struct Database {
  explicit Database(std::unique_ptr<Connection> c, std::unique_ptr<Connection> r = nullptr)
      : conn(std::move(c)), reader(std::move(r)) {}

  // Runs `fn` on the connection. If the server dropped the connection
  // (restart, failover, idle timeout), reconnects once and runs `fn` again, so
  // every `fn` must be safe to repeat: each is one transaction or one read.
  template <class T, class F>
  Result<T> run(F&& fn) {
    std::lock_guard lock(mutex);
    return on<T>(*conn, fn);
  }

  // The same on a second session, so reads never queue behind a group
  // commit; the first session's when there is none.
  template <class T, class F>
  Result<T> read(F&& fn) {
    if (!reader) return run<T>(std::forward<F>(fn));
    std::lock_guard lock(read_mutex);
    return on<T>(*reader, fn);
  }

  std::mutex mutex;  // the writing session (and everything else today)
  std::unique_ptr<Connection> conn;
  std::mutex read_mutex;
  std::unique_ptr<Connection> reader;

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
};

}  // namespace motcua::store::postgres
