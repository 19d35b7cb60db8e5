#include "store/postgres/connection.hpp"

#include <poll.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <optional>

#include "common/wait_bound.hpp"

namespace motcua::store::postgres {
namespace {

// COPY data goes to libpq in pieces this big: large enough to be few calls,
// small enough not to double the memory of a big import.
constexpr std::size_t kCopyChunk = 1 << 20;

std::string field(const PGresult* result, int code) {
  const char* value = PQresultErrorField(result, code);
  return value ? value : "";
}

// libpq's messages span lines ("...failed: Connection refused\n\tIs the server
// running...?\n"): one line, no trailing full stop, to sit inside a sentence.
std::string trimmed(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == '\n' || c == '\t' || c == ' ';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
  return out;
}

// NOTICEs ("relation already exists, skipping") are not errors; keep them off stderr.
void ignore_notice(void*, const char*) {}

// libpq ends a text parameter at its first NUL, so one with a NUL inside
// would be stored cut short (and PostgreSQL keeps no NUL in text): refused
// before anything is sent. The API refuses control characters first.
Result<void> no_nul(const std::vector<std::string>& params) {
  for (const auto& p : params) {
    if (p.find('\0') != std::string::npos) {
      return make_error(ErrorKind::kInternal,
                        "Một giá trị văn bản chứa byte NUL, PostgreSQL không lưu được; "
                        "không có gì được ghi.",
                        "A text value holds a NUL byte, which PostgreSQL cannot store; "
                        "nothing was written.");
    }
  }
  return ok();
}

bool bounded() { return this_thread_wait_bound.count() > 0; }

// Waits for `events` on the session's socket until `deadline`: false when it passed.
bool wait_socket(PGconn* conn, short events, std::chrono::steady_clock::time_point deadline) {
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{PQsocket(conn), events, 0};
    const int n = ::poll(&p, 1, static_cast<int>(left.count()) + 1);
    if (n > 0) return true;
    if (n < 0 && errno != EINTR) return true;  // libpq's next call says what is wrong
  }
}

}  // namespace

Result<std::unique_ptr<Connection>> Connection::open(const std::string& url) {
  // Under a wait bound, connecting waits no longer (libpq counts whole seconds, 2 at least).
  const std::string connect_timeout =
      bounded()
          ? std::to_string(std::min<long long>(10, (this_thread_wait_bound.count() + 999) / 1000))
          : "10";
  // Later entries override what the URL says; earlier ones are defaults. A
  // server that is gone (host down, network cut) is noticed by keepalives
  // when idle and by tcp_user_timeout (ms) when what was sent is not
  // acknowledged: otherwise a session waits on it for the kernel's ~15 minutes.
  const char* keys[] = {"connect_timeout",  "keepalives_idle",  "keepalives_interval",
                        "keepalives_count", "tcp_user_timeout", "fallback_application_name",
                        "dbname",           "client_encoding",  nullptr};
  const char* values[] = {
      connect_timeout.c_str(), "30", "10", "3", "60000", "motcua", url.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (conn == nullptr) {
    return make_error(ErrorKind::kUnavailable, "Không đủ bộ nhớ để kết nối PostgreSQL.",
                      "Out of memory while connecting to PostgreSQL.");
  }
  std::unique_ptr<Connection> owner(new Connection(conn));
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string why = trimmed(PQerrorMessage(conn));
    const std::string where = std::string("host=") + (PQhost(conn) ? PQhost(conn) : "") +
                              " port=" + (PQport(conn) ? PQport(conn) : "") +
                              " dbname=" + (PQdb(conn) ? PQdb(conn) : "");
    // Where and why go to the operator (a command prints them, the server
    // logs them), not to a client that met the database down.
    return with_log_detail(
        make_error(ErrorKind::kUnavailable,
                   "Không kết nối được cơ sở dữ liệu PostgreSQL. Hãy kiểm tra máy chủ cơ sở dữ "
                   "liệu đang chạy, và địa chỉ, cổng, tên cơ sở dữ liệu, quyền truy cập trong URL.",
                   "Cannot connect to the PostgreSQL database. Check that the database server is "
                   "running, and the URL's host, port, database name and credentials."),
        where + ": " + why);
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  return owner;
}

bool Connection::await_answer() {
  if (timed_out_) return false;
  const auto bound = this_thread_wait_bound;
  if (bound.count() == 0) return true;
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (PQisBusy(conn_)) {
    if (!wait_socket(conn_, POLLIN, deadline)) {
      // The statement may still run when the server wakes: the session is
      // dropped (lost()) and the next use starts a new one.
      timed_out_ = true;
      broken_ = true;
      return false;
    }
    if (PQconsumeInput(conn_) == 0) return true;  // PQgetResult reports the failure
  }
  return true;
}

PGresult* Connection::bounded_result(bool sent) {
  if (!sent) return nullptr;
  PGresult* last = nullptr;
  while (true) {
    if (!await_answer()) {
      PQclear(last);
      return nullptr;
    }
    PGresult* r = PQgetResult(conn_);
    if (r == nullptr) return last;
    const auto status = PQresultStatus(r);
    if (status == PGRES_COPY_IN) {  // the caller sends the data now
      PQclear(last);
      return r;
    }
    // As PQexec: the first failure stands, else the last result.
    if (last && PQresultStatus(last) == PGRES_FATAL_ERROR) {
      PQclear(r);
    } else {
      PQclear(last);
      last = r;
    }
  }
}

PGresult* Connection::next_result() {
  if (bounded() && !await_answer()) return nullptr;
  return PQgetResult(conn_);
}

namespace {

// Whether `sql` starts with `word` (any case, after blanks), as a whole word.
bool starts_with_word(std::string_view sql, std::string_view word) {
  const auto start = sql.find_first_not_of(" \t\r\n(");
  if (start == std::string_view::npos || sql.size() - start < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    const char c = sql[start + i];
    if ((c >= 'a' && c <= 'z' ? c - 32 : c) != word[i]) return false;
  }
  const std::size_t end = start + word.size();
  return end == sql.size() || !std::isalnum(static_cast<unsigned char>(sql[end]));
}

}  // namespace

void Connection::about_to_send(const char* sql) {
  if (sql == nullptr) {
    may_commit_ = false;
    return;
  }
  const std::string_view s(sql);
  if (starts_with_word(s, "COMMIT") || starts_with_word(s, "END")) {
    may_commit_ = true;
    return;
  }
  // Outside a block a statement commits itself; what cannot write is left out.
  may_commit_ = PQtransactionStatus(conn_) == PQTRANS_IDLE;
  for (std::string_view reads : {"SELECT", "BEGIN", "START", "ROLLBACK", "SET", "SHOW"}) {
    if (starts_with_word(s, reads)) may_commit_ = false;
  }
}

Error Connection::fail_from(const PGresult* result) {
  failure_ = Failure{};
  if (timed_out_) {
    failure_.connection_lost = true;
    failure_.message = "no answer within " + std::to_string(this_thread_wait_bound.count()) +
                       " ms (the server is stopped, overloaded or cut off)";
    if (may_commit_) {
      // The change was sent whole: the server may yet commit it when it
      // answers again. "Try again" would make it twice (a second upload's
      // record, an account "already taken").
      return with_log_detail(outcome_unknown("Cơ sở dữ liệu không xác nhận kịp thay đổi.",
                                             "The database did not confirm the change in time."),
                             "PostgreSQL: " + failure_.message + ", after a change was sent");
    }
    return with_log_detail(
        make_error(ErrorKind::kUnavailable,
                   "Cơ sở dữ liệu không trả lời kịp. Hãy thử lại sau giây lát.",
                   "The database did not answer in time. Try again in a moment."),
        "PostgreSQL: " + failure_.message);
  }
  if (result != nullptr && PQresultStatus(result) == PGRES_FATAL_ERROR) {
    failure_.sqlstate = field(result, PG_DIAG_SQLSTATE);
    failure_.message = trimmed(field(result, PG_DIAG_MESSAGE_PRIMARY));
    failure_.detail = trimmed(field(result, PG_DIAG_MESSAGE_DETAIL));
    failure_.context = field(result, PG_DIAG_CONTEXT);
    // No SQLSTATE: libpq's own words (the socket closed, the server gone);
    // 57P01-57P03: the server ended the session (shutdown, crash, starting).
    const std::string& s = failure_.sqlstate;
    if (s.empty() || s == "57P01" || s == "57P02" || s == "57P03") broken_ = true;
  } else if (result == nullptr) {
    broken_ = true;  // nothing came back at all
  }
  failure_.connection_lost = lost();
  if (failure_.message.empty()) failure_.message = trimmed(PQerrorMessage(conn_));
  return error("truy vấn", "running a query");
}

Result<PgResult> Connection::check(PGresult* raw, ExecStatusType expected) {
  PgResult result(raw);
  if (result && PQresultStatus(result.get()) == expected) return result;
  if (result && expected == PGRES_COMMAND_OK && PQresultStatus(result.get()) == PGRES_TUPLES_OK) {
    return result;
  }
  return fail_from(result.get());
}

Result<PgResult> Connection::exec(const char* sql) {
  if (auto d = drain(); !d) return d.error();
  if (timed_out_) return fail_from(nullptr);
  if (bounded()) {
    about_to_send(sql);
    return check(bounded_result(PQsendQuery(conn_, sql) == 1), PGRES_COMMAND_OK);
  }
  return check(PQexec(conn_, sql), PGRES_COMMAND_OK);
}

Result<const std::string*> Connection::statement(const char* sql) {
  // A bound on the session's statements: texts built from filters vary.
  constexpr std::size_t kMaxPrepared = 256;
  auto it = prepared_.find(sql);
  if (it != prepared_.end()) return &it->second;
  if (prepared_.size() >= kMaxPrepared) return static_cast<const std::string*>(nullptr);
  std::string name = "motcua_" + std::to_string(++statements_made_);
  if (pipelined_) {
    if (PQsendPrepare(conn_, name.c_str(), sql, 0, nullptr) != 1) return fail_from(nullptr);
    expected_rows_.push_back(-1);
    queued_prepares_.push_back(sql);
  } else {
    if (bounded()) about_to_send(nullptr);
    PGresult* prepared =
        bounded() ? bounded_result(PQsendPrepare(conn_, name.c_str(), sql, 0, nullptr) == 1)
                  : PQprepare(conn_, name.c_str(), sql, 0, nullptr);
    auto made = check(prepared, PGRES_COMMAND_OK);
    if (!made) return made.error();
  }
  return &prepared_.emplace(sql, std::move(name)).first->second;
}

Result<PgResult> Connection::query(const char* sql, const std::vector<std::string>& params) {
  if (auto d = drain(); !d) return d.error();
  if (auto t = no_nul(params); !t) return t.error();
  if (timed_out_) return fail_from(nullptr);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  auto name = statement(sql);
  if (!name) return name.error();
  const int n = static_cast<int>(values.size());
  if (bounded()) {
    about_to_send(sql);
    const int sent =
        *name ? PQsendQueryPrepared(conn_, (*name)->c_str(), n, values.data(), nullptr, nullptr, 0)
              : PQsendQueryParams(conn_, sql, n, nullptr, values.data(), nullptr, nullptr, 0);
    return check(bounded_result(sent == 1), PGRES_COMMAND_OK);
  }
  if (!*name) {
    return check(PQexecParams(conn_, sql, n, nullptr, values.data(), nullptr, nullptr, 0),
                 PGRES_COMMAND_OK);
  }
  return check(PQexecPrepared(conn_, (*name)->c_str(), n, values.data(), nullptr, nullptr, 0),
               PGRES_COMMAND_OK);
}

Result<void> Connection::send(const char* sql, const std::vector<std::string>& params, int rows) {
  return queue(sql, params, rows, false);
}

Result<void> Connection::send_binary(const char* sql, const std::vector<std::string>& params,
                                     int rows) {
  return queue(sql, params, rows, true);
}

Result<void> Connection::queue(const char* sql, const std::vector<std::string>& params, int rows,
                               bool binary) {
  if (!binary) {
    if (auto t = no_nul(params); !t) return t;
  }
  if (timed_out_) return fail_from(nullptr);
  if (!pipelined_) {
    if (PQenterPipelineMode(conn_) != 1) return fail_from(nullptr);
    pipelined_ = true;
    mismatched_ = false;
  }
  const int n = static_cast<int>(params.size());
  std::vector<const char*> values;
  std::vector<int> lengths, formats;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  if (binary) {  // text parameters end at their NUL; binary ones have lengths
    for (const auto& p : params) lengths.push_back(static_cast<int>(p.size()));
    formats.assign(params.size(), 1);
  }
  const int* length = binary ? lengths.data() : nullptr;
  const int* format = binary ? formats.data() : nullptr;
  auto name = statement(sql);
  if (!name) return name.error();
  const int sent =
      *name ? PQsendQueryPrepared(conn_, (*name)->c_str(), n, values.data(), length, format, 0)
            : PQsendQueryParams(conn_, sql, n, nullptr, values.data(), length, format, 0);
  if (sent != 1) return fail_from(nullptr);
  expected_rows_.push_back(rows);
  return ok();
}

Result<void> Connection::drain() {
  if (!pipelined_) return ok();
  pipelined_ = false;
  std::optional<Error> first;
  auto note = [&](Error e) {
    if (!first) first = std::move(e);
  };
  if (PQpipelineSync(conn_) != 1) {
    note(fail_from(nullptr));
  } else {
    // One result per queued statement, each followed by a null; then the sync.
    for (int rows : expected_rows_) {
      PgResult r(next_result());
      if (!r) {
        note(fail_from(nullptr));
        break;
      }
      const auto status = PQresultStatus(r.get());
      if (status == PGRES_FATAL_ERROR) {
        note(fail_from(r.get()));
      } else if (status != PGRES_PIPELINE_ABORTED && rows >= 0 && PQntuples(r.get()) != rows) {
        mismatched_ = true;
        note(make_error(ErrorKind::kInternal,
                        "Một câu lệnh gửi theo lô không ghi được như dự kiến.",
                        "A pipelined statement did not write what it expected."));
      }
      while (PgResult extra{next_result()}) {
      }
      if (timed_out_) break;
    }
    if (!lost()) {
      PgResult sync(next_result());
      if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC) note(fail_from(sync.get()));
    }
  }
  if (!lost()) PQexitPipelineMode(conn_);
  expected_rows_.clear();
  if (first) {
    // Statements prepared in a failed pipeline may not exist: prepare again
    // under new names when next used.
    for (const auto& sql : queued_prepares_) prepared_.erase(sql);
  }
  queued_prepares_.clear();
  if (first) return *first;
  return ok();
}

Result<void> Connection::copy_in(const char* sql, std::string_view data) {
  if (auto d = drain(); !d) return d.error();
  if (timed_out_) return fail_from(nullptr);
  if (bounded()) about_to_send(sql);
  auto started = check(
      bounded() ? bounded_result(PQsendQuery(conn_, sql) == 1) : PQexec(conn_, sql), PGRES_COPY_IN);
  if (!started) return started.error();
  for (std::size_t at = 0; at < data.size(); at += kCopyChunk) {
    const auto piece = data.substr(at, kCopyChunk);
    if (PQputCopyData(conn_, piece.data(), static_cast<int>(piece.size())) != 1) break;
  }
  PQputCopyEnd(conn_, nullptr);
  // The server's verdict on the whole COPY; then drain to leave the connection idle.
  PgResult result(next_result());
  bool good = result && PQresultStatus(result.get()) == PGRES_COMMAND_OK;
  Error failure;
  if (!good) failure = fail_from(result.get());
  while (PgResult extra{next_result()}) {
  }
  if (!good) return failure;
  return ok();
}

bool Connection::reconnect() {
  bool in_time = true;
  if (bounded()) {
    // PQreset's connect_timeout is the URL's: under a bound, wait no longer than it.
    const auto deadline = std::chrono::steady_clock::now() + this_thread_wait_bound;
    if (PQresetStart(conn_) == 1) {
      auto polling = PGRES_POLLING_WRITING;
      while (polling != PGRES_POLLING_OK && polling != PGRES_POLLING_FAILED) {
        in_time = wait_socket(conn_, polling == PGRES_POLLING_READING ? POLLIN : POLLOUT, deadline);
        if (!in_time) break;
        polling = PQresetPoll(conn_);
      }
    }
  } else {
    PQreset(conn_);
  }
  broken_ = false;
  timed_out_ = false;
  may_commit_ = false;
  prepared_.clear();  // a new session knows none of them
  pipelined_ = false;
  expected_rows_.clear();
  queued_prepares_.clear();
  if (PQstatus(conn_) == CONNECTION_OK) return true;
  // Report why the new connection failed, not the query that noticed the loss.
  failure_ = Failure{};
  failure_.connection_lost = true;
  failure_.message = in_time
                         ? trimmed(PQerrorMessage(conn_))
                         : "no answer within " + std::to_string(this_thread_wait_bound.count()) +
                               " ms while reconnecting";
  broken_ = true;  // half open: the next use starts again
  return false;
}

Error Connection::error(std::string_view doing_vi, std::string_view doing_en) const {
  const auto& f = failure_;
  std::string why = f.message;
  if (!f.detail.empty()) why += " (" + f.detail + ")";
  const std::string cls = f.sqlstate.substr(0, 2);
  if (timed_out_ && may_commit_) {  // as fail_from() says it
    return with_log_detail(
        outcome_unknown(
            "Cơ sở dữ liệu không xác nhận kịp thay đổi khi " + std::string(doing_vi) + ".",
            "The database did not confirm the change in time while " + std::string(doing_en) + "."),
        "PostgreSQL: " + why + ", after a change was sent");
  }
  // The 503s name the cause for the log only: a client reads what to do.
  if (f.connection_lost || cls == "08" || cls == "57") {
    return with_log_detail(make_error(ErrorKind::kUnavailable,
                                      "Mất kết nối tới cơ sở dữ liệu khi " + std::string(doing_vi) +
                                          ". Hãy thử lại sau giây lát.",
                                      "Lost the connection to the database while " +
                                          std::string(doing_en) + ". Try again in a moment."),
                           "PostgreSQL: " + why);
  }
  if (f.sqlstate == "42P01") {
    return with_log_detail(
        make_error(ErrorKind::kUnavailable,
                   "Cơ sở dữ liệu PostgreSQL chưa có lược đồ: hãy chạy `motcua migrate` trước.",
                   "The PostgreSQL database has no schema yet: run `motcua migrate` first."),
        why);
  }
  if (cls == "40" || f.sqlstate == "55P03") {
    return with_log_detail(
        make_error(
            ErrorKind::kUnavailable,
            "Cơ sở dữ liệu đang bận khi " + std::string(doing_vi) + "; hãy thử lại sau giây lát.",
            "The database was busy while " + std::string(doing_en) + "; try again in a moment."),
        "PostgreSQL: " + why + " [" + f.sqlstate + "]");
  }
  return make_error(ErrorKind::kInternal,
                    "Lỗi PostgreSQL khi " + std::string(doing_vi) + ": " + why +
                        (f.sqlstate.empty() ? "" : " [" + f.sqlstate + "]"),
                    "PostgreSQL error while " + std::string(doing_en) + ": " + why +
                        (f.sqlstate.empty() ? "" : " [" + f.sqlstate + "]"));
}

Result<Transaction> Transaction::begin(Connection& conn, const char* begin_sql) {
  if (auto r = conn.exec(begin_sql); !r) return r.error();
  return Transaction(conn, false);
}

Result<Transaction> Transaction::begin_pipelined(Connection& conn) {
  if (auto r = conn.send("BEGIN"); !r) return r.error();
  return Transaction(conn, true);
}

Transaction::~Transaction() {
  if (conn_ && !conn_->lost()) (void)conn_->exec("ROLLBACK");  // drains first
}

Result<void> Transaction::commit() {
  // Pipelined: every answer must have come back as expected before COMMIT is
  // sent (a write that found nothing to write is no error to the server); a
  // failure leaves conn_ set, and the destructor rolls back.
  if (pipelined_) {
    if (auto d = conn_->drain(); !d) return d;
  }
  auto r = conn_->exec("COMMIT");
  if (!r) return r.error();
  conn_ = nullptr;
  // COMMIT of a transaction that already failed answers "ROLLBACK", not an error.
  if (std::strcmp(PQcmdStatus(r->get()), "COMMIT") != 0) {
    return make_error(ErrorKind::kInternal, "Giao dịch PostgreSQL đã bị huỷ, không được ghi.",
                      "The PostgreSQL transaction was rolled back, not committed.");
  }
  return ok();
}

void append_copy_field(std::string& line, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '\\':
        line += "\\\\";
        break;
      case '\t':
        line += "\\t";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      default:
        line += c;
    }
  }
}

std::string text_array_binary(const std::vector<std::string_view>& items) {
  // Dimensions, no nulls, element type text (oid 25), the one dimension's
  // length and lower bound; then each item: its length, its bytes. Network order.
  std::size_t size = 20;
  for (auto item : items) size += 4 + item.size();
  std::string out;
  out.reserve(size);
  auto put = [&](std::uint32_t v) {
    const char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                           static_cast<char>(v >> 8), static_cast<char>(v)};
    out.append(bytes, 4);
  };
  put(1);
  put(0);
  put(25);
  put(static_cast<std::uint32_t>(items.size()));
  put(1);
  for (auto item : items) {
    put(static_cast<std::uint32_t>(item.size()));
    out.append(item);
  }
  return out;
}

std::size_t copy_error_line(const std::string& context) {
  const auto at = context.find(", line ");
  if (at == std::string::npos) return 0;
  std::size_t line = 0;
  for (std::size_t i = at + 7; i < context.size() && context[i] >= '0' && context[i] <= '9'; ++i) {
    line = line * 10 + static_cast<std::size_t>(context[i] - '0');
  }
  return line;
}

}  // namespace motcua::store::postgres
