// A PostgreSQL session of a test's own, beside a store's: to hold row locks
// the way another server's transaction would, or to read a plan.
#pragma once

#include <libpq-fe.h>

#include <string>

namespace motcua::store::test_support {

class PgSession {
 public:
  explicit PgSession(const std::string& url) : conn_(PQconnectdb(url.c_str())) {
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~PgSession() { PQfinish(conn_); }
  PgSession(const PgSession&) = delete;
  PgSession& operator=(const PgSession&) = delete;

  bool ok() const { return PQstatus(conn_) == CONNECTION_OK; }

  // Runs `sql` (one or more statements); the last one's number of rows, or
  // -1 after a failure (`error` says why). `lines` gets its first column's
  // values, one a line.
  int run(const std::string& sql, std::string* lines = nullptr) {
    PGresult* r = PQexec(conn_, sql.c_str());
    const auto status = PQresultStatus(r);
    const int rows = status == PGRES_TUPLES_OK ? PQntuples(r) : status == PGRES_COMMAND_OK ? 0 : -1;
    error = rows < 0 ? PQresultErrorMessage(r) : "";
    if (lines) {
      lines->clear();
      for (int i = 0; i < rows; ++i) *lines += std::string(PQgetvalue(r, i, 0)) + "\n";
    }
    PQclear(r);
    return rows;
  }

  std::string error;

 private:
  PGconn* conn_;
};

}  // namespace motcua::store::test_support
