// The SQLite database one store opens, shared by the store's areas (units,
// catalog, accounts, calendar, ...): each area's queries live in their own file
// and reach the connection through with(), which serialises access.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "store/reader_pool.hpp"
#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/connection.hpp"

namespace motcua::store::sqlite {

struct Database {
  // Reading connections open as concurrent reads need them, up to this many.
  static constexpr std::size_t kMaxReaders = 4;

  // `reader`: the first reading connection; none (":memory:" cannot be
  // shared) and every read goes through with(). `checkpointing`: the
  // connection of the background checkpoint; none, and the writer's commits
  // checkpoint as SQLite does by itself.
  Database(std::unique_ptr<Connection> c, std::string path, std::unique_ptr<Connection> reader,
           std::unique_ptr<Connection> checkpointing)
      : conn(std::move(c)),
        readers_(std::move(reader), [path = std::move(path)] { return Connection::open(path); },
                 kMaxReaders),
        checkpointer_(checkpointing ? std::make_unique<Checkpointer>(*conn, std::move(checkpointing))
                                    : nullptr) {}

  // Runs fn(Connection&) holding the lock of the writing connection.
  template <class F>
  auto with(F&& fn) {
    std::lock_guard lock(mutex);
    return fn(*conn);
  }

  // Runs a read on a reading connection, so reads never queue behind a group
  // commit's fsync (WAL gives each the last committed snapshot) nor, up to
  // kMaxReaders, behind each other.
  template <class F>
  auto read(F&& fn) {
    if (readers_.empty()) return with(std::forward<F>(fn));
    return readers_.with(std::forward<F>(fn));
  }

  // Runs `reads` with every read() it makes on this thread in one read
  // transaction of one reading connection: one snapshot, and SQLite takes
  // its locks once instead of once a statement.
  Result<void> read_snapshot(const std::function<Result<void>()>& reads) {
    // No reading connection (":memory:"): reads go through with(), one at a time.
    if (readers_.empty() || readers_.holds_pin()) return reads();
    return readers_.pinned([&](Connection& c) -> Result<void> {
      // Prepared once a connection (run(), not exec()): a commune's figures
      // are read in tens of microseconds, and parsing these counted.
      if (auto b = c.run("BEGIN"); !b) return b.error();
      auto result = reads();
      // A read transaction: COMMIT only ends it. Should it fail, ROLLBACK
      // does; left open, the pooled connection would read this snapshot forever.
      if (!c.run("COMMIT")) (void)c.exec("ROLLBACK");
      return result;
    });
  }

  std::mutex mutex;
  std::unique_ptr<Connection> conn;

 private:
  ReaderPool<Connection> readers_;
  // After conn: stops (and unhooks the writer) before the writer closes.
  std::unique_ptr<Checkpointer> checkpointer_;
};

}  // namespace motcua::store::sqlite
