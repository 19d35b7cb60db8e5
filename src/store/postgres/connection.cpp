#include "store/postgres/connection.hpp"

#include <cstdint>
#include <cstring>
#include <optional>

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

}  // namespace

Result<std::unique_ptr<Connection>> Connection::open(const std::string& url) {
  // Later entries override what the URL says; earlier ones are defaults.
  const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", "client_encoding",
                        nullptr};
  const char* values[] = {"10", "motcua", url.c_str(), "UTF8", nullptr};
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

Error Connection::fail_from(const PGresult* result) {
  failure_ = Failure{};
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
    auto made = check(PQprepare(conn_, name.c_str(), sql, 0, nullptr), PGRES_COMMAND_OK);
    if (!made) return made.error();
  }
  return &prepared_.emplace(sql, std::move(name)).first->second;
}

Result<PgResult> Connection::query(const char* sql, const std::vector<std::string>& params) {
  if (auto d = drain(); !d) return d.error();
  if (auto t = no_nul(params); !t) return t.error();
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  auto name = statement(sql);
  if (!name) return name.error();
  if (!*name) {
    return check(PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(),
                              nullptr, nullptr, 0),
                 PGRES_COMMAND_OK);
  }
  return check(PQexecPrepared(conn_, (*name)->c_str(), static_cast<int>(values.size()),
                              values.data(), nullptr, nullptr, 0),
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
      PgResult r(PQgetResult(conn_));
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
      while (PgResult extra{PQgetResult(conn_)}) {
      }
    }
    if (!lost()) {
      PgResult sync(PQgetResult(conn_));
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
  auto started = check(PQexec(conn_, sql), PGRES_COPY_IN);
  if (!started) return started.error();
  for (std::size_t at = 0; at < data.size(); at += kCopyChunk) {
    const auto piece = data.substr(at, kCopyChunk);
    if (PQputCopyData(conn_, piece.data(), static_cast<int>(piece.size())) != 1) break;
  }
  PQputCopyEnd(conn_, nullptr);
  // The server's verdict on the whole COPY; then drain to leave the connection idle.
  PgResult result(PQgetResult(conn_));
  bool good = result && PQresultStatus(result.get()) == PGRES_COMMAND_OK;
  Error failure;
  if (!good) failure = fail_from(result.get());
  while (PgResult extra{PQgetResult(conn_)}) {
  }
  if (!good) return failure;
  return ok();
}

bool Connection::reconnect() {
  PQreset(conn_);
  broken_ = false;
  prepared_.clear();  // a new session knows none of them
  pipelined_ = false;
  expected_rows_.clear();
  queued_prepares_.clear();
  if (PQstatus(conn_) == CONNECTION_OK) return true;
  // Report why the new connection failed, not the query that noticed the loss.
  failure_ = Failure{};
  failure_.connection_lost = true;
  failure_.message = trimmed(PQerrorMessage(conn_));
  return false;
}

Error Connection::error(std::string_view doing_vi, std::string_view doing_en) const {
  const auto& f = failure_;
  std::string why = f.message;
  if (!f.detail.empty()) why += " (" + f.detail + ")";
  const std::string cls = f.sqlstate.substr(0, 2);
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
