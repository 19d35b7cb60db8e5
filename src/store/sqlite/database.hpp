// The SQLite database one store opens, shared by the store's areas (units,
// catalog, accounts, calendar, ...): each area's queries live in their own file
// and reach the connection through with(), which serialises access.
#pragma once

#include <memory>
#include <mutex>

#include "store/sqlite/connection.hpp"

namespace motcua::store::sqlite {

struct Database {
  explicit Database(std::unique_ptr<Connection> c) : conn(std::move(c)) {}

  // Runs fn(Connection&) holding the lock. One connection for everything
  // today; a writer plus a pool of readers can replace it behind this call.
  template <class F>
  auto with(F&& fn) {
    std::lock_guard lock(mutex);
    return fn(*conn);
  }

  std::mutex mutex;
  std::unique_ptr<Connection> conn;
};

}  // namespace motcua::store::sqlite
