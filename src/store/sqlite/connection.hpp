// A thin owner of one sqlite3 connection and its prepared statements. Not
// thread-safe: the store decides which thread holds which connection (today one
// connection under a mutex; later a writer plus a pool of readers).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.hpp"

namespace motcua::store::sqlite {

// A prepared statement. Text bound with bind() is not copied: it must stay
// alive until the statement is reset.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int index, std::string_view text);
  void bind(int index, std::int64_t value);
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(stmt_); }
  std::string column_text(int index) const;
  std::int64_t column_int(int index) const { return sqlite3_column_int64(stmt_, index); }
  // Ready to run again, with no bindings left pointing at the caller's text.
  void reset();

 private:
  sqlite3_stmt* stmt_;
};

// Resets a cached statement when the caller is done with it, whatever path it
// leaves by, so the next user finds it clean and no read stays open.
class StatementUse {
 public:
  explicit StatementUse(Statement& stmt) : stmt_(stmt) {}
  ~StatementUse() { stmt_.reset(); }
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  Statement* operator->() { return &stmt_; }

 private:
  Statement& stmt_;
};

// From now on, every connection this process opens reads only: the checks
// (`stats verify`, `audit verify`) read a copy or a backup that may be
// read-only, and must change nothing. Set before the store is opened.
void open_read_only();

class Connection {
 public:
  // Opens (creating if needed) the database at `path` (":memory:" allowed) and
  // sets WAL, synchronous=FULL, foreign_keys and a busy timeout; after
  // open_read_only(), opens an existing file only and changes no setting stored
  // in it.
  static Result<std::unique_ptr<Connection>> open(const std::string& path);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs statements without parameters (schema, a migration's script).
  Result<void> exec(const char* sql);
  // Runs one statement without parameters or rows (BEGIN, COMMIT, SAVEPOINT,
  // ...) prepared once and kept: exec() parses its text on every call, and
  // these run for every transaction and every job of a group commit.
  Result<void> run(const char* sql);
  // A statement prepared once per connection and kept; wrap uses in StatementUse.
  Result<Statement*> cached(const char* sql);

  // The error of the last failed call, worded for a person; `doing_vi` and
  // `doing_en` say what was being done ("reading the schema version").
  Error error(std::string_view doing_vi, std::string_view doing_en) const;
  int extended_errcode() const { return sqlite3_extended_errcode(db_); }
  // Rows changed by the last INSERT, UPDATE or DELETE.
  int changes() const { return sqlite3_changes(db_); }
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  std::string errmsg() const { return sqlite3_errmsg(db_); }
  // False once SQLite has ended a transaction by itself: a statement failing
  // with SQLITE_FULL, SQLITE_IOERR or SQLITE_NOMEM may roll all of it back.
  bool in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

  // Called after each commit with the frames now in the write-ahead log, in
  // place of SQLite's automatic checkpoint; nullptr restores that.
  void on_commit(std::function<void(int frames)> hook);
  // One PASSIVE checkpoint: frames in the log, and how many of them are now
  // in the database file.
  struct CheckpointPass {
    int frames = 0;
    int copied = 0;
  };
  Result<CheckpointPass> checkpoint();

  // For a bulk load (wal_batching_vfs.hpp): leaves the sync of the next
  // commit's log frames to the caller. False when that cannot be (no
  // log yet, or one not gathered): the commit then syncs itself as usual.
  bool skip_next_commit_sync(bool skip);
  // A new descriptor of this connection's log, to sync it apart (the caller
  // closes it), or -1.
  int log_sync_descriptor();

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::function<void(int)> on_commit_;
  std::map<std::string, std::unique_ptr<Statement>, std::less<>> statements_;
};

// Runs a transaction; rolls it back on scope exit unless commit() succeeded.
class Transaction {
 public:
  // `immediate` takes the write lock at once (BEGIN IMMEDIATE), so two writers
  // queue on busy_timeout instead of failing when the reader upgrades.
  static Result<Transaction> begin(Connection& conn, bool immediate);
  Transaction(Transaction&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Result<void> commit();

 private:
  explicit Transaction(Connection& conn) : conn_(&conn) {}
  Connection* conn_;
};

}  // namespace motcua::store::sqlite
