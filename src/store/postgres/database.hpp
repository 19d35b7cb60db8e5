// The PostgreSQL session one store opens, shared by the store's areas (units,
// catalog, accounts, calendar, ...): each area's queries live in their own file
// and reach the connection through run().
#pragma once

#include <memory>
#include <mutex>

#include "store/postgres/connection.hpp"

namespace motcua::store::postgres {

struct Database {
  explicit Database(std::unique_ptr<Connection> c) : conn(std::move(c)) {}

  // Runs `fn` on the connection. If the server dropped the connection
  // (restart, failover, idle timeout), reconnects once and runs `fn` again, so
  // every `fn` must be safe to repeat: each is one transaction or one read.
  template <class T, class F>
  Result<T> run(F&& fn) {
    std::lock_guard lock(mutex);
    if (conn->lost() && !conn->reconnect()) return conn->error("kết nối lại", "reconnecting");
    Result<T> result = fn(*conn);
    if (!result && conn->lost()) {
      if (!conn->reconnect()) return conn->error("kết nối lại", "reconnecting");
      result = fn(*conn);
    }
    return result;
  }

  std::mutex mutex;  // one connection for everything today; a pool can replace it behind run()
  std::unique_ptr<Connection> conn;
};

}  // namespace motcua::store::postgres
