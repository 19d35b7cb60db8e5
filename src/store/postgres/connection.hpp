// A thin owner of one libpq connection. Not thread-safe: the store decides
// which thread holds which connection (today one under a mutex; later a pool).
#pragma once

#include <libpq-fe.h>

#include <cstdint>
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

  // Pipeline mode: send() queues a statement without waiting for its answer
  // and drain() reads every answer queued so far, so a group commit's
  // statements cost one round trip together. `rows` >= 0: the statement must
  // return that many rows, or the drain fails with mismatched() true (a
  // conditional write that found nothing to write). exec, query and copy_in
  // drain first. A failed statement aborts the ones after it and the
  // transaction, as PostgreSQL does.
  Result<void> send(const char* sql, const std::vector<std::string>& params = {}, int rows = -1);
  // The same with every parameter in binary form (text_array_binary).
  Result<void> send_binary(const char* sql, const std::vector<std::string>& params, int rows);
  Result<void> drain();
  bool mismatched() const { return mismatched_; }

  // The session is gone: libpq says so, or the last failure did. After an
  // immediate restart of the server, libpq reports a fatal error with no
  // SQLSTATE (or 57P01-57P03) while the status still reads OK.
  bool lost() const { return broken_ || PQstatus(conn_) == CONNECTION_BAD; }
  // The server did not answer within the thread's wait bound
  // (common/wait_bound.hpp): the session is given up until reconnect(), and
  // a statement is not run again at once on a server that stopped answering.
  bool timed_out() const { return timed_out_; }
  // A fresh session with the same parameters; false if the server is still away.
  bool reconnect();

  const Failure& last_failure() const { return failure_; }
  // The last failure, worded for a person; `doing_*` say what was being done.
  Error error(std::string_view doing_vi, std::string_view doing_en) const;

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}
  Result<PgResult> check(PGresult* result, ExecStatusType expected);
  Result<void> queue(const char* sql, const std::vector<std::string>& params, int rows,
                     bool binary);
  Error fail_from(const PGresult* result);
  // Under a wait bound, libpq is asked only once the server's answer is in:
  // false when the bound ran out first.
  bool await_answer();
  // The statement just sent (`sent`: its send succeeded): its last result,
  // as PQexec gives it, waited for within the bound; nullptr if none came.
  PGresult* bounded_result(bool sent);
  PGresult* next_result();
  // Before a bounded send of `sql` (nullptr: a PREPARE): whether the server
  // may commit a change with it, so that its timing out leaves the outcome
  // unknown (a COMMIT, or a write outside a transaction block).
  void about_to_send(const char* sql);

  // The name `sql` is prepared under, preparing it now (outside a pipeline:
  // a round trip, once per session; inside: queued); nullptr past the bound.
  Result<const std::string*> statement(const char* sql);

  PGconn* conn_;
  Failure failure_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  std::uint64_t statements_made_ = 0;                      // names are never reused
  bool pipelined_ = false;
  bool mismatched_ = false;
  bool broken_ = false;                     // see lost()
  bool timed_out_ = false;                  // see timed_out()
  bool may_commit_ = false;                 // see about_to_send()
  std::vector<int> expected_rows_;          // per queued answer, -1: any
  std::vector<std::string> queued_prepares_;  // prepared inside the pipeline (SQL texts)
};

// Rolls back on scope exit unless commit() succeeded.
class Transaction {
 public:
  static Result<Transaction> begin(Connection& conn, const char* begin_sql = "BEGIN");
  // BEGIN queued in the connection's pipeline; commit() drains it, checks
  // every answer, then commits: two round trips for the whole transaction.
  static Result<Transaction> begin_pipelined(Connection& conn);
  Transaction(Transaction&& other) noexcept : conn_(other.conn_), pipelined_(other.pipelined_) {
    other.conn_ = nullptr;
  }
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Result<void> commit();
  // Forgets a transaction whose session was lost, before a reconnect.
  void abandon() { conn_ = nullptr; }

 private:
  Transaction(Connection& conn, bool pipelined) : conn_(&conn), pipelined_(pipelined) {}
  Connection* conn_;
  bool pipelined_ = false;
};

// Appends `text` to a COPY text-format line, escaping what COPY would read as
// a separator or an escape.
void append_copy_field(std::string& line, std::string_view text);

// A text[] parameter in PostgreSQL's binary form (Connection::send_binary):
// each item's bytes as they are, nothing to escape or for the server to parse.
std::string text_array_binary(const std::vector<std::string_view>& items);

// The 1-based line number in a COPY error context ("COPY t, line 3: ..."), or 0.
std::size_t copy_error_line(const std::string& context);

}  // namespace motcua::store::postgres
