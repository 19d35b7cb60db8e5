#include "store/sqlite/connection.hpp"

#include <atomic>
#include <filesystem>
#include <system_error>

#include "store/sqlite/wal_batching_vfs.hpp"

namespace motcua::store::sqlite {
namespace {

// How long a writer waits for another writer (another process, or a later
// writer connection) before giving up with "busy".
constexpr int kBusyTimeoutMs = 10000;

// What a failed SQLite call means. A busy database (another program holding
// its lock: an operator's sqlite3, a VACUUM), a full disk, and a disk that
// cannot be read or written are conditions an operator mends, not the
// program's faults: a 503 that says so in both languages, SQLite's own words
// in the log. Anything else is an internal error. `doing_*`: what was being
// done ("" when the caller does not say).
Error sqlite_failure(int code, const std::string& why, std::string_view doing_vi,
                     std::string_view doing_en) {
  const std::string while_vi = doing_vi.empty() ? "" : " khi " + std::string(doing_vi);
  const std::string while_en = doing_en.empty() ? "" : " while " + std::string(doing_en);
  const auto condition = [&](std::string vi, std::string en) {
    return with_log_detail(make_error(ErrorKind::kUnavailable, std::move(vi), std::move(en)),
                           "SQLite: " + why);
  };
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return condition("Cơ sở dữ liệu đang bận" + while_vi +
                           " (một chương trình khác đang ghi hoặc bảo trì); hãy thử lại sau giây "
                           "lát.",
                       "The database is busy" + while_en +
                           " (another program is writing to it or maintaining it); try again in a "
                           "moment.");
    case SQLITE_FULL:
      return condition("Ổ đĩa chứa cơ sở dữ liệu đã đầy" + while_vi +
                           ": thay đổi chưa được lưu. Người vận hành cần giải phóng dung lượng; "
                           "hãy thử lại sau.",
                       "The database's disk is full" + while_en +
                           ": the change was not saved. The operator must free space; try again "
                           "later.");
    case SQLITE_IOERR:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
      return condition("Không đọc ghi được ổ đĩa chứa cơ sở dữ liệu" + while_vi +
                           "; người vận hành cần kiểm tra ổ đĩa và quyền ghi. Hãy thử lại sau.",
                       "The database's disk cannot be read or written" + while_en +
                           "; the operator must check the disk and its permissions. Try again "
                           "later.");
    default:
      return make_error(ErrorKind::kInternal, "Lỗi SQLite" + while_vi + ": " + why,
                        "SQLite error" + while_en + ": " + why);
  }
}

// A statement run by exec() or run() that did not complete.
Error statement_failed(int rc, const std::string& why) { return sqlite_failure(rc, why, "", ""); }

std::atomic<bool> read_only{false};

// `path` as a URI that opens it immutable: SQLite then takes no lock and
// reads no write-ahead log, and needs no -shm file beside it.
std::string immutable_uri(const std::string& path) {
  std::string uri = "file:";
  for (unsigned char ch : path) {
    if (ch == '%' || ch == '?' || ch == '#') {
      static const char* hex = "0123456789ABCDEF";
      uri += '%';
      uri += hex[ch >> 4];
      uri += hex[ch & 15];
    } else {
      uri += static_cast<char>(ch);
    }
  }
  return uri + "?immutable=1";
}

Error open_failed(const std::string& path, const std::string& why) {
  return make_error(ErrorKind::kUnavailable,
                    "Không mở được cơ sở dữ liệu SQLite '" + path + "': " + why +
                        ". Hãy kiểm tra đường dẫn và quyền ghi của thư mục.",
                    "Cannot open the SQLite database '" + path + "': " + why +
                        ". Check the path and that its folder is writable.");
}

// Opens `name` (a path, or a URI with SQLITE_OPEN_URI) through our VFS.
Result<sqlite3*> open_handle(const std::string& path, const std::string& name, int flags) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(name.c_str(), &db, flags, wal_batching_vfs());
  if (rc == SQLITE_OK) return db;
  std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  sqlite3_close(db);
  return open_failed(path, why);
}

// A reading connection: plain read-only when SQLite can read the file so; a
// file in WAL mode whose -shm can be neither opened nor made (a read-only
// folder) is read immutable, since no process can be writing it there: a
// writer needs that file too. Not when a log is beside it, whose commits an
// immutable read would not see.
Result<sqlite3*> open_reading(const std::string& path) {
  const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
  auto db = open_handle(path, path, flags);
  if (!db) return db.error();
  const int rc = sqlite3_exec(*db, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, nullptr);
  if (rc == SQLITE_OK) return db;
  const int code = sqlite3_extended_errcode(*db);
  std::string why = sqlite3_errmsg(*db);
  sqlite3_close(*db);
  std::error_code ec;
  const auto log_size = std::filesystem::file_size(path + "-wal", ec);
  const bool cannot_share = (code & 0xff) == SQLITE_CANTOPEN || (code & 0xff) == SQLITE_READONLY;
  if (path == ":memory:" || !cannot_share || (!ec && log_size > 0)) return open_failed(path, why);
  return open_handle(path, immutable_uri(path), flags | SQLITE_OPEN_URI);
}

}  // namespace

void open_read_only() { read_only = true; }

void Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void Statement::bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }

std::string Statement::column_text(int index) const {
  const auto* text = sqlite3_column_text(stmt_, index);
  const int size = sqlite3_column_bytes(stmt_, index);
  return text ? std::string(reinterpret_cast<const char*>(text), size) : std::string();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Result<std::unique_ptr<Connection>> Connection::open(const std::string& path) {
  // SQLite counts every allocation under one global mutex unless told not
  // to; nothing here reads those counts, and the writer allocates a lot.
  static const bool configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  (void)configured;
  // The log's writes gathered into a few per commit (wal_batching_vfs.hpp);
  // that relies on synchronous=FULL, set below on every connection.
  const bool reading = read_only;
  auto opened = reading
                    ? open_reading(path)
                    : open_handle(path, path,
                                  SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
  if (!opened) return opened.error();
  sqlite3* db = *opened;
  std::unique_ptr<Connection> conn(new Connection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  // WAL lets readers run while one writer commits; FULL makes each commit
  // durable before it returns; foreign keys are off in SQLite unless asked.
  // 8 KB pages hold a dossier row without overflow pages (new files only);
  // a 32 MB page cache and reads through mmap keep a busy writer off pread;
  // temp_store=MEMORY keeps the savepoint journals of a group commit (one
  // savepoint per request) out of temporary files. A long reader (a check
  // run beside the server) lets the log grow past the checkpointer's bound;
  // journal_size_limit gives the disk back when the log starts over, down to
  // that bound (Checkpointer::kInlineFrames pages, 64 MB).
  // Reading only, the file's own page size and journal mode stay, and
  // query_only refuses a write before SQLite would try it.
  const char* settings =
      reading ? "PRAGMA query_only=ON; PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768; "
                "PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY;"
              : "PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                "PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768; "
                "PRAGMA mmap_size=268435456; PRAGMA temp_store=MEMORY; "
                "PRAGMA journal_size_limit=67108864;";
  if (auto r = conn->exec(settings); !r) {
    return make_error(
        ErrorKind::kUnavailable,
        "Không dùng được cơ sở dữ liệu SQLite '" + path + "': " + r.error().message_vi,
        "Cannot use the SQLite database '" + path + "': " + r.error().message_en);
  }
  return conn;
}

Connection::~Connection() {
  statements_.clear();  // every statement must be finalized before the close
  sqlite3_close(db_);
}

Result<void> Connection::exec(const char* sql) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return ok();
  std::string why = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return statement_failed(rc, why);
}

Result<void> Connection::run(const char* sql) {
  auto stmt = cached(sql);
  if (!stmt) return stmt.error();
  int rc;
  {
    StatementUse use(**stmt);
    rc = use->step();
  }
  if (rc == SQLITE_DONE) return ok();
  return statement_failed(rc, sqlite3_errmsg(db_));
}

Result<Statement*> Connection::cached(const char* sql) {
  if (auto it = statements_.find(std::string_view(sql)); it != statements_.end()) {
    return it->second.get();
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
    return error("chuẩn bị câu lệnh", "preparing a statement");
  }
  auto& slot = statements_[sql];
  slot = std::make_unique<Statement>(stmt);
  return slot.get();
}

void Connection::on_commit(std::function<void(int)> hook) {
  on_commit_ = std::move(hook);
  if (!on_commit_) {
    sqlite3_wal_autocheckpoint(db_, 1000);  // SQLite's default
    return;
  }
  sqlite3_wal_hook(
      db_,
      [](void* self, sqlite3*, const char*, int frames) {
        static_cast<Connection*>(self)->on_commit_(frames);
        return SQLITE_OK;
      },
      this);
}

Result<Connection::CheckpointPass> Connection::checkpoint() {
  CheckpointPass pass;
  if (sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &pass.frames,
                                &pass.copied) != SQLITE_OK) {
    return error("chép nhật ký ghi trước vào tệp", "checkpointing the write-ahead log");
  }
  return pass;
}

namespace {
sqlite3_file* log_file(sqlite3* db) {
  sqlite3_file* f = nullptr;
  // The write-ahead log's file object once the database is in WAL mode.
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &f) != SQLITE_OK)
    return nullptr;
  return f;
}
}  // namespace

bool Connection::skip_next_commit_sync(bool skip) {
  return sqlite::skip_next_commit_sync(log_file(db_), skip);
}

int Connection::log_sync_descriptor() { return sqlite::log_sync_descriptor(log_file(db_)); }

Error Connection::error(std::string_view doing_vi, std::string_view doing_en) const {
  const int code = sqlite3_extended_errcode(db_);
  const std::string why = sqlite3_errmsg(db_);
  if (why.find("no such table") != std::string::npos) {
    return make_error(
        ErrorKind::kUnavailable,
        "Cơ sở dữ liệu SQLite chưa có lược đồ (" + why + "): hãy chạy `motcua migrate` trước.",
        "The SQLite database has no schema yet (" + why + "): run `motcua migrate` first.");
  }
  return sqlite_failure(code, why, doing_vi, doing_en);
}

Result<Transaction> Transaction::begin(Connection& conn, bool immediate) {
  if (auto r = conn.run(immediate ? "BEGIN IMMEDIATE" : "BEGIN"); !r) return r.error();
  return Transaction(conn);
}

Transaction::~Transaction() {
  if (conn_) (void)conn_->run("ROLLBACK");
}

Result<void> Transaction::commit() {
  Connection* conn = conn_;
  auto r = conn->run("COMMIT");
  // A failed COMMIT (busy) leaves the transaction open: the destructor rolls back.
  if (r) conn_ = nullptr;
  return r;
}

}  // namespace motcua::store::sqlite
