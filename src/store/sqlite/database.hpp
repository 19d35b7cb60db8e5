// The SQLite database one store opens, shared by the store's areas (units,
// catalog, accounts, calendar, ...): each area's queries live in their own file
// and reach the connection through with(), which serialises access.
#pragma once

#include <memory>
#include <mutex>

#include "store/sqlite/connection.hpp"

namespace motcua::store::sqlite {

struct Database {
  explicit Database(std::unique_ptr<Connection> c, std::unique_ptr<Connection> r = nullptr)
      : conn(std::move(c)), reader(std::move(r)) {}

  // Runs fn(Connection&) holding the lock of the writing connection.
  template <class F>
  auto with(F&& fn) {
    std::lock_guard lock(mutex);
    return fn(*conn);
  }

  // Runs a read on the second connection, so reads never queue behind a
  // group commit's fsync: WAL gives it the last committed snapshot. Without
  // one (":memory:" cannot be shared) it is with().
  template <class F>
  auto read(F&& fn) {
    if (!reader) return with(std::forward<F>(fn));
    std::lock_guard lock(read_mutex);
    return fn(*reader);
  }

  std::mutex mutex;
  std::unique_ptr<Connection> conn;
  std::mutex read_mutex;
  std::unique_ptr<Connection> reader;
};

}  // namespace motcua::store::sqlite
