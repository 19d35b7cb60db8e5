// A thin owner of one libpq connection. Not thread-safe: the store decides
// which thread holds which connection (today one under a mutex; later a pool).
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"

namespace motcua::store::postgres {

struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResult = std::unique_ptr<PGresult, PgResultDeleter>;

// What the server (or libpq) said about the last failed call.
struct Failure {
  std::string sqlstate;  // "23505"; empty when the connection failed
  std::string message;
  std::string detail;
  std::string context;  // "COPY unit_versions, line 3: ..."
  bool connection_lost = false;
};

class Connection {
 public:
  // `url` is a libpq URI already checked by PQconninfoParse. The session
  // always speaks UTF-8; connect_timeout defaults to 10 s unless the URL says.
  static Result<std::unique_ptr<Connection>> open(const std::string& url);
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Statements without parameters (schema, transaction control), possibly several.
  Result<PgResult> exec(const char* sql);
  // One statement with text parameters $1, $2, ... Prepared on first use and
  // kept for the session, so a hot statement is parsed and planned once.
  Result<PgResult> query(const char* sql, const std::vector<std::string>& params = {});
  // COPY ... FROM STDIN with `data` in COPY's text format.
  Result<void> copy_in(const char* sql, std::string_view data);

  bool lost() const { return PQstatus(conn_) == CONNECTION_BAD; }
  // A fresh session with the same parameters; false if the server is still away.
  bool reconnect();

  const Failure& last_failure() const { return failure_; }
  // The last failure, worded for a person; `doing_*` say what was being done.
  Error error(std::string_view doing_vi, std::string_view doing_en) const;

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  Result<PgResult> check(PGresult* result, ExecStatusType expected);
  Error fail_from(const PGresult* result);

  PGconn* conn_;
  Failure failure_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
};

// Rolls back on scope exit unless commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> begin(Connection& conn, const char* begin_sql = "BEGIN");
  Transaction(Transaction&& other) noexcept : conn_(other.conn_) { other.conn_ = nullptr; }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Result<void> commit();

 private:
  explicit Transaction(Connection& conn) : conn_(&conn) {}
  Connection* conn_;
};

// Appends `text` to a COPY text-format line, escaping what COPY would read as
// a separator or an escape.
void append_copy_field(std::string& line, std::string_view text);

// The 1-based line number in a COPY error context ("COPY t, line 3: ..."), or 0.
std::size_t copy_error_line(const std::string& context);

}  // namespace motcua::store::postgres
