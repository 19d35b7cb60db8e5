#include "store/sqlite/sqlite_store.hpp"

#include <mutex>

#include "store/migrations/migration.hpp"
#include "store/reference_rows.hpp"
#include "store/sqlite/accounts_store.hpp"
#include "store/sqlite/calendar_store.hpp"
#include "store/sqlite/catalog_store.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/dossiers_store.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/stats_store.hpp"

namespace motcua::store {
namespace {

using sqlite::Connection;
using sqlite::Database;
using sqlite::StatementUse;
using sqlite::Transaction;

constexpr const char* kBackend = "SQLite";

constexpr const char* kCreateSchemaMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TEXT NOT NULL) STRICT";

constexpr const char* kInsertVersion =
    "INSERT INTO unit_versions (level, code, valid_from, valid_to, province_code, district_code,"
    " name, full_name, name_en, full_name_en, unit_type)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

constexpr const char* kInsertSuccession =
    "INSERT INTO successions (id, old_province_code, old_province_name, old_district_code,"
    " old_district_name, old_commune_code, old_commune_name, new_province_code,"
    " new_province_name, new_commune_code, new_commune_name, kind, note, effective)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

// How a migration that rebuilds tables runs, for the life of this object
// (when `rebuilding`), then as before: foreign keys off, since the tables are
// dropped and made again; and secure_delete FAST, since the rows dropped were
// just copied into the new tables in the same transaction, so zeroing every
// page they leave would hide nothing. With Debian's default (ON) that zeroing
// wrote the whole old log to the WAL and held it in memory: 0.9 GB for a
// database of 1.1 GB, against 0.3 GB with FAST.
class RebuildSettings {
 public:
  RebuildSettings(Connection& c, bool rebuilding) : c_(rebuilding ? &c : nullptr) {
    if (!c_) return;
    auto was = c_->cached("PRAGMA secure_delete");
    if (!was) {
      result_ = was.error();
      return;
    }
    {
      StatementUse use(**was);
      if (use->step() == SQLITE_ROW) secure_delete_ = use->column_int(0);
    }
    result_ = c_->exec("PRAGMA foreign_keys=OFF; PRAGMA secure_delete=FAST");
  }
  ~RebuildSettings() {
    if (!c_) return;
    const std::string restore =
        "PRAGMA foreign_keys=ON; PRAGMA secure_delete=" + std::to_string(secure_delete_);
    (void)c_->exec(restore.c_str());
  }
  RebuildSettings(const RebuildSettings&) = delete;
  RebuildSettings& operator=(const RebuildSettings&) = delete;
  bool ok() const { return result_.ok(); }
  Error error() const { return result_.error(); }

 private:
  Connection* c_;
  std::int64_t secure_delete_ = 1;
  Result<void> result_ = motcua::ok();
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::unique_ptr<Connection> conn, const std::string& path,
              std::unique_ptr<Connection> reader, std::unique_ptr<Connection> checkpointing)
      : db_(std::make_unique<Database>(std::move(conn), path, std::move(reader),
                                       std::move(checkpointing))) {}

  const char* backend() const override { return "sqlite"; }
  CalendarStore& calendar() override { return calendar_; }
  AccountsStore& accounts() override { return accounts_; }
  CatalogStore& catalog() override { return catalog_; }
  DossiersStore& dossiers() override { return dossiers_; }
  StatsStore& stats() override { return stats_; }

  Result<int> migrate() override {
    std::lock_guard lock(mutex_);
    const auto list = migrations::sqlite_migrations();
    // Up to date (the usual start-up): answer without taking the write lock.
    auto before = read_version();
    if (!before) return before.error();
    if (*before > migrations::latest_version(list)) return too_new(*before, list);
    if (*before == migrations::latest_version(list)) return 0;
    int applied = 0;
    for (const auto& m : list) {
      // Set outside the transaction (foreign keys cannot be switched inside
      // one), and set back however this migration ends.
      RebuildSettings settings(*conn_, m.rebuilds_tables);
      if (!settings.ok()) return settings.error();
      // Each migration in its own IMMEDIATE transaction: a second process
      // waits for the lock, then sees the row and skips the migration.
      auto txn = Transaction::begin(*conn_, true);
      if (!txn) return txn.error();
      if (auto r = conn_->exec(kCreateSchemaMigrations); !r) return r.error();
      auto current = read_version();
      if (!current) return current.error();
      if (*current > migrations::latest_version(list)) return too_new(*current, list);
      if (*current >= m.version) continue;
      if (auto r = conn_->exec(m.sql); !r) {
        return make_error(ErrorKind::kInternal,
                          "Migration " + std::to_string(m.version) + " (" + m.name +
                              ") không chạy được: " + r.error().message_vi,
                          "Migration " + std::to_string(m.version) + " (" + m.name +
                              ") failed: " + r.error().message_en,
                          {}, r.error().log_detail);
      }
      if (m.rebuilds_tables) {
        if (auto r = check_foreign_keys(m); !r) return r.error();
      }
      auto insert = conn_->cached(
          "INSERT INTO schema_migrations (version, name, applied_at)"
          " VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))");
      if (!insert) return insert.error();
      StatementUse use(**insert);
      use->bind(1, std::int64_t{m.version});
      use->bind(2, std::string_view(m.name));
      if (use->step() != SQLITE_DONE) {
        return conn_->error("ghi nhận migration", "recording a migration");
      }
      if (auto r = txn->commit(); !r) return r.error();
      ++applied;
    }
    return applied;
  }

  Result<int> schema_version() override {
    std::lock_guard lock(mutex_);
    return read_version();
  }

  Result<bool> has_reference_data() override {
    std::lock_guard lock(mutex_);
    auto stmt = conn_->cached(
        "SELECT version_count FROM reference_imports WHERE kind = 'units'"
        " ORDER BY id DESC LIMIT 1");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    const int rc = use->step();
    if (rc == SQLITE_ROW) return use->column_int(0) > 0;
    if (rc == SQLITE_DONE) return false;
    return conn_->error("kiểm tra dữ liệu tham chiếu", "checking for reference data");
  }

  Result<void> import_reference_data(const units::ReferenceData& data) override {
    std::lock_guard lock(mutex_);
    auto txn = Transaction::begin(*conn_, true);
    if (!txn) return txn.error();
    if (auto r = conn_->exec("DELETE FROM successions; DELETE FROM unit_versions;"); !r) {
      return conn_->error("xoá dữ liệu tham chiếu cũ", "deleting the old reference data");
    }
    if (auto r = insert_versions(data); !r) return r;
    if (auto r = insert_successions(data); !r) return r;
    auto log = conn_->cached(
        "INSERT INTO reference_imports (kind, imported_at, version_count, succession_count)"
        " VALUES ('units', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?1, ?2)");
    if (!log) return log.error();
    {
      StatementUse use(**log);
      use->bind(1, static_cast<std::int64_t>(data.versions.size()));
      use->bind(2, static_cast<std::int64_t>(data.successions.size()));
      if (use->step() != SQLITE_DONE) {
        return conn_->error("ghi nhận lần nhập", "recording the import");
      }
    }
    if (auto r = conn_->exec(kMarkUnitsImportSql); !r) return r;
    return txn->commit();
  }

  Result<units::ReferenceData> load_reference_data() override {
    std::lock_guard lock(mutex_);
    // One read transaction, so versions and successions come from one import.
    auto txn = Transaction::begin(*conn_, false);
    if (!txn) return txn.error();
    units::ReferenceData data;
    if (auto r = load_versions(data); !r) return r.error();
    if (auto r = load_successions(data); !r) return r.error();
    auto id = latest_import();
    if (!id) return id.error();
    data.import_id = *id;
    if (auto r = txn->commit(); !r) return r.error();
    return data;
  }

  Result<std::int64_t> latest_units_import() override {
    std::lock_guard lock(mutex_);
    return latest_import();
  }

  Result<void> ping() override {
    std::lock_guard lock(mutex_);
    auto stmt = conn_->cached("SELECT 1");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    if (use->step() != SQLITE_ROW) return conn_->error("kiểm tra kết nối", "pinging");
    return ok();
  }

 private:
  Result<int> read_version() {
    auto exists = conn_->cached(
        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'");
    if (!exists) return exists.error();
    {
      StatementUse use(**exists);
      if (use->step() != SQLITE_ROW) {
        return conn_->error("đọc phiên bản lược đồ", "reading the schema version");
      }
      if (use->column_int(0) == 0) return 0;
    }
    auto stmt = conn_->cached("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    if (use->step() != SQLITE_ROW) {
      return conn_->error("đọc phiên bản lược đồ", "reading the schema version");
    }
    return static_cast<int>(use->column_int(0));
  }

  // After a migration that ran with foreign keys off: every reference still
  // finds its row, or the migration fails (and rolls back).
  Result<void> check_foreign_keys(const migrations::Migration& m) {
    auto stmt = conn_->cached("PRAGMA foreign_key_check");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    const int rc = use->step();
    if (rc == SQLITE_DONE) return ok();
    if (rc != SQLITE_ROW) return conn_->error("kiểm tra khoá ngoại", "checking foreign keys");
    const std::string table = use->column_text(0);
    return make_error(ErrorKind::kInternal,
                      "Migration " + std::to_string(m.version) + " (" + m.name +
                          ") để lại dòng của bảng " + table + " trỏ tới dòng không còn.",
                      "Migration " + std::to_string(m.version) + " (" + m.name +
                          ") left rows of table " + table + " pointing at rows that are gone.");
  }

  static Error too_new(int current, std::span<const migrations::Migration> list) {
    const auto known = std::to_string(migrations::latest_version(list));
    return make_error(
        ErrorKind::kUnavailable,
        "Lược đồ cơ sở dữ liệu ở phiên bản " + std::to_string(current) + ", mới hơn phiên bản " +
            known + " mà chương trình này biết: hãy nâng cấp motcua.",
        "The database schema is at version " + std::to_string(current) +
            ", newer than the version " + known + " this program knows: upgrade motcua.");
  }

  // A failed INSERT of input row `index`, worded for the person importing.
  Error row_error(const units::ReferenceData& data, ReferenceTable table, std::size_t index) {
    const int code = conn_->extended_errcode();
    if ((code & 0xff) != SQLITE_CONSTRAINT) {
      return conn_->error("nhập dữ liệu tham chiếu", "importing reference data");
    }
    const bool duplicate = code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE;
    return rejected_row_error(data, table, index, duplicate, conn_->errmsg());
  }

  Result<void> insert_versions(const units::ReferenceData& data) {
    auto stmt = conn_->cached(kInsertVersion);
    if (!stmt) return stmt.error();
    for (std::size_t i = 0; i < data.versions.size(); ++i) {
      const auto& v = data.versions[i];
      StatementUse use(**stmt);
      use->bind(1, std::string_view(level_text(v.level)));
      use->bind(2, v.code);
      use->bind(3, v.valid_from);
      use->bind(4, v.valid_to);
      use->bind(5, v.province_code);
      use->bind(6, v.district_code);
      use->bind(7, v.name);
      use->bind(8, v.full_name);
      use->bind(9, v.name_en);
      use->bind(10, v.full_name_en);
      use->bind(11, v.unit_type);
      if (use->step() != SQLITE_DONE) return row_error(data, ReferenceTable::kVersions, i);
    }
    return ok();
  }

  Result<void> insert_successions(const units::ReferenceData& data) {
    auto stmt = conn_->cached(kInsertSuccession);
    if (!stmt) return stmt.error();
    for (std::size_t i = 0; i < data.successions.size(); ++i) {
      const auto& s = data.successions[i];
      StatementUse use(**stmt);
      // Ids follow the input order, which load_reference_data() gives back.
      use->bind(1, static_cast<std::int64_t>(i + 1));
      use->bind(2, s.old_province_code);
      use->bind(3, s.old_province_name);
      use->bind(4, s.old_district_code);
      use->bind(5, s.old_district_name);
      use->bind(6, s.old_commune_code);
      use->bind(7, s.old_commune_name);
      use->bind(8, s.new_province_code);
      use->bind(9, s.new_province_name);
      use->bind(10, s.new_commune_code);
      use->bind(11, s.new_commune_name);
      use->bind(12, s.kind);
      use->bind(13, s.note);
      use->bind(14, s.effective);
      if (use->step() != SQLITE_DONE) return row_error(data, ReferenceTable::kSuccessions, i);
    }
    return ok();
  }

  Result<std::int64_t> latest_import() {
    auto stmt = conn_->cached(kLatestUnitsImportSql);
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    if (use->step() != SQLITE_ROW) {
      return conn_->error("đọc lần nhập dữ liệu tham chiếu", "reading the reference imports");
    }
    return use->column_int(0);
  }

  Result<void> load_versions(units::ReferenceData& data) {
    static const std::string sql =
        std::string(
            "SELECT level, code, valid_from, valid_to, province_code, district_code, name,"
            " full_name, name_en, full_name_en, unit_type FROM unit_versions ORDER BY ") +
        kLevelRankSql + ", code, valid_from";
    auto stmt = conn_->cached(sql.c_str());
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) {
      units::UnitVersion v;
      const auto level = level_from_text(use->column_text(0));
      if (!level) return unknown_level(use->column_text(0));
      v.level = *level;
      v.code = use->column_text(1);
      v.valid_from = use->column_text(2);
      v.valid_to = use->column_text(3);
      v.province_code = use->column_text(4);
      v.district_code = use->column_text(5);
      v.name = use->column_text(6);
      v.full_name = use->column_text(7);
      v.name_en = use->column_text(8);
      v.full_name_en = use->column_text(9);
      v.unit_type = use->column_text(10);
      data.versions.push_back(std::move(v));
    }
    if (rc != SQLITE_DONE) return conn_->error("đọc đơn vị hành chính", "reading unit versions");
    return ok();
  }

  Result<void> load_successions(units::ReferenceData& data) {
    auto stmt = conn_->cached(
        "SELECT old_province_code, old_province_name, old_district_code, old_district_name,"
        " old_commune_code, old_commune_name, new_province_code, new_province_name,"
        " new_commune_code, new_commune_name, kind, note, effective FROM successions ORDER BY id");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) {
      units::Succession s;
      s.old_province_code = use->column_text(0);
      s.old_province_name = use->column_text(1);
      s.old_district_code = use->column_text(2);
      s.old_district_name = use->column_text(3);
      s.old_commune_code = use->column_text(4);
      s.old_commune_name = use->column_text(5);
      s.new_province_code = use->column_text(6);
      s.new_province_name = use->column_text(7);
      s.new_commune_code = use->column_text(8);
      s.new_commune_name = use->column_text(9);
      s.kind = use->column_text(10);
      s.note = use->column_text(11);
      s.effective = use->column_text(12);
      data.successions.push_back(std::move(s));
    }
    if (rc != SQLITE_DONE) return conn_->error("đọc bảng chuyển đổi", "reading successions");
    return ok();
  }

  static Error unknown_level(const std::string& text) {
    return make_error(ErrorKind::kInternal, "Cấp đơn vị không hợp lệ trong cơ sở dữ liệu: " + text,
                      "Invalid unit level in the database: " + text);
  }

  // The database shared with the other areas' stores; the unit queries above
  // use its lock and connection directly.
  std::unique_ptr<Database> db_;
  std::mutex& mutex_ = db_->mutex;
  std::unique_ptr<Connection>& conn_ = db_->conn;
  sqlite::SqliteCalendarStore calendar_{*db_};
  sqlite::SqliteAccountsStore accounts_{*db_};
  sqlite::SqliteCatalogStore catalog_{*db_};
  sqlite::SqliteDossiersStore dossiers_{*db_};
  sqlite::SqliteStatsStore stats_{*db_};
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path) {
  auto conn = Connection::open(path);
  if (!conn) return conn.error();
  // A file has a reading connection and one that checkpoints in the
  // background; ":memory:" cannot be shared and has no write-ahead log.
  std::unique_ptr<Connection> reader, checkpointing;
  if (path != ":memory:") {
    auto r = Connection::open(path);
    if (!r) return r.error();
    reader = std::move(*r);
    auto k = Connection::open(path);
    if (!k) return k.error();
    checkpointing = std::move(*k);
  }
  return std::unique_ptr<Store>(
      new SqliteStore(std::move(*conn), path, std::move(reader), std::move(checkpointing)));
}

}  // namespace motcua::store
