#include "store/postgres/connection.hpp"

#include <cstring>

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
    return make_error(ErrorKind::kUnavailable,
                      "Không kết nối được PostgreSQL (" + where + "): " + why +
                          ". Hãy kiểm tra máy chủ đang chạy, địa chỉ, cổng, tên cơ sở dữ liệu và "
                          "quyền truy cập trong URL.",
                      "Cannot connect to PostgreSQL (" + where + "): " + why +
                          ". Check that the server is running and the URL's host, port, "
                          "database name and credentials.");
  }
  PQsetNoticeProcessor(conn, ignore_notice, nullptr);
  return owner;
}

Error Connection::fail_from(const PGresult* result) {
  failure_ = Failure{};
  failure_.connection_lost = lost();
  if (result != nullptr && PQresultStatus(result) == PGRES_FATAL_ERROR) {
    failure_.sqlstate = field(result, PG_DIAG_SQLSTATE);
    failure_.message = trimmed(field(result, PG_DIAG_MESSAGE_PRIMARY));
    failure_.detail = trimmed(field(result, PG_DIAG_MESSAGE_DETAIL));
    failure_.context = field(result, PG_DIAG_CONTEXT);
  }
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
  return check(PQexec(conn_, sql), PGRES_COMMAND_OK);
}

Result<PgResult> Connection::query(const char* sql, const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p.c_str());
  // A bound on the session's statements: texts built from filters vary.
  constexpr std::size_t kMaxPrepared = 256;
  auto it = prepared_.find(sql);
  if (it == prepared_.end() && prepared_.size() < kMaxPrepared) {
    std::string name = "motcua_" + std::to_string(prepared_.size() + 1);
    auto made = check(PQprepare(conn_, name.c_str(), sql, 0, nullptr), PGRES_COMMAND_OK);
    if (!made) return made.error();
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  if (it == prepared_.end()) {
    return check(PQexecParams(conn_, sql, static_cast<int>(values.size()), nullptr, values.data(),
                              nullptr, nullptr, 0),
                 PGRES_COMMAND_OK);
  }
  return check(PQexecPrepared(conn_, it->second.c_str(), static_cast<int>(values.size()),
                              values.data(), nullptr, nullptr, 0),
               PGRES_COMMAND_OK);
}

Result<void> Connection::copy_in(const char* sql, std::string_view data) {
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
  prepared_.clear();  // a new session knows none of them
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
  if (f.connection_lost || cls == "08" || cls == "57") {
    return make_error(ErrorKind::kUnavailable,
                      "Mất kết nối tới PostgreSQL khi " + std::string(doing_vi) + ": " + why +
                          ". Hãy kiểm tra máy chủ cơ sở dữ liệu rồi thử lại.",
                      "Lost the connection to PostgreSQL while " + std::string(doing_en) + ": " +
                          why + ". Check the database server and try again.");
  }
  if (f.sqlstate == "42P01") {
    return make_error(
        ErrorKind::kUnavailable,
        "Cơ sở dữ liệu PostgreSQL chưa có lược đồ (" + why + "): hãy chạy `motcua migrate` trước.",
        "The PostgreSQL database has no schema yet (" + why + "): run `motcua migrate` first.");
  }
  if (cls == "40" || f.sqlstate == "55P03") {
    return make_error(ErrorKind::kUnavailable,
                      "PostgreSQL đang bận khi " + std::string(doing_vi) + " (" + why +
                          "); hãy thử lại sau giây lát.",
                      "PostgreSQL was busy while " + std::string(doing_en) + " (" + why +
                          "); try again in a moment.");
  }
  return make_error(ErrorKind::kInternal,
                    "Lỗi PostgreSQL khi " + std::string(doing_vi) + ": " + why +
                        (f.sqlstate.empty() ? "" : " [" + f.sqlstate + "]"),
                    "PostgreSQL error while " + std::string(doing_en) + ": " + why +
                        (f.sqlstate.empty() ? "" : " [" + f.sqlstate + "]"));
}

Result<Transaction> Transaction::begin(Connection& conn, const char* begin_sql) {
  if (auto r = conn.exec(begin_sql); !r) return r.error();
  return Transaction(conn);
}

Transaction::~Transaction() {
  if (conn_ && !conn_->lost()) (void)conn_->exec("ROLLBACK");
}

Result<void> Transaction::commit() {
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
