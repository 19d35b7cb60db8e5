#include "store/postgres/postgres_store.hpp"

#include <mutex>

#include "store/migrations/migration.hpp"
#include "store/postgres/accounts_store.hpp"
#include "store/postgres/calendar_store.hpp"
#include "store/postgres/catalog_store.hpp"
#include "store/postgres/connection.hpp"
#include "store/postgres/database.hpp"
#include "store/postgres/dossiers_store.hpp"
#include "store/postgres/stats_store.hpp"
#include "store/reference_rows.hpp"

namespace motcua::store {
namespace {

using postgres::Connection;
using postgres::Database;
using postgres::PgResult;
using postgres::Transaction;

// Advisory lock keys (per database): one migrate and one import at a time,
// whichever process asks.
constexpr const char* kLockMigrations = "SELECT pg_advisory_xact_lock(7310056201)";
constexpr const char* kLockImport = "SELECT pg_advisory_xact_lock(7310056202)";

constexpr const char* kCreateSchemaMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())";

std::string text(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}

std::string versions_copy_data(const units::ReferenceData& data) {
  std::string out;
  out.reserve(data.versions.size() * 160);
  for (const auto& v : data.versions) {
    const std::string_view fields[] = {
        level_text(v.level), v.code,          v.valid_from, v.valid_to,
        v.province_code,     v.district_code, v.name,       v.full_name,
        v.name_en,           v.full_name_en,  v.unit_type};
    bool first = true;
    for (auto f : fields) {
      if (!first) out += '\t';
      first = false;
      postgres::append_copy_field(out, f);
    }
    out += '\n';
  }
  return out;
}

std::string successions_copy_data(const units::ReferenceData& data) {
  std::string out;
  out.reserve(data.successions.size() * 300);
  std::size_t id = 0;
  for (const auto& s : data.successions) {
    // Ids follow the input order, which load_reference_data() gives back.
    out += std::to_string(++id);
    const std::string_view fields[] = {s.old_province_code,
                                       s.old_province_name,
                                       s.old_district_code,
                                       s.old_district_name,
                                       s.old_commune_code,
                                       s.old_commune_name,
                                       s.new_province_code,
                                       s.new_province_name,
                                       s.new_commune_code,
                                       s.new_commune_name,
                                       s.kind,
                                       s.note,
                                       s.effective};
    for (auto f : fields) {
      out += '\t';
      postgres::append_copy_field(out, f);
    }
    out += '\n';
  }
  return out;
}

class PostgresStore final : public Store {
 public:
  PostgresStore(std::unique_ptr<Connection> conn, std::unique_ptr<Connection> reader,
                const std::string& url)
      : db_(std::make_unique<Database>(std::move(conn), url, std::move(reader))) {}

  const char* backend() const override { return "postgresql"; }
  CalendarStore& calendar() override { return calendar_; }
  AccountsStore& accounts() override { return accounts_; }
  CatalogStore& catalog() override { return catalog_; }
  DossiersStore& dossiers() override { return dossiers_; }
  StatsStore& stats() override { return stats_; }

  Result<int> migrate() override {
    return run<int>([](Connection& c) -> Result<int> {
      const auto list = migrations::postgres_migrations();
      const int latest = migrations::latest_version(list);
      auto before = read_version(c);
      if (!before) return before.error();
      if (*before > latest) return too_new(*before, latest);
      if (*before == latest) return 0;
      int applied = 0;
      for (const auto& m : list) {
        // Each migration in its own transaction under one advisory lock: a
        // second process waits, then sees the row and skips the migration.
        auto txn = Transaction::begin(c);
        if (!txn) return txn.error();
        if (auto r = c.exec(kLockMigrations); !r) return r.error();
        if (auto r = c.exec(kCreateSchemaMigrations); !r) return r.error();
        auto current = read_version(c);
        if (!current) return current.error();
        if (*current > latest) return too_new(*current, latest);
        if (*current >= m.version) continue;
        if (auto r = c.exec(m.sql); !r) {
          return make_error(ErrorKind::kInternal,
                            "Migration " + std::to_string(m.version) + " (" + m.name +
                                ") không chạy được: " + r.error().message_vi,
                            "Migration " + std::to_string(m.version) + " (" + m.name +
                                ") failed: " + r.error().message_en,
                            {}, r.error().log_detail);
        }
        if (auto r = c.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                             {std::to_string(m.version), m.name});
            !r) {
          return r.error();
        }
        if (auto r = txn->commit(); !r) return r.error();
        ++applied;
      }
      return applied;
    });
  }

  Result<int> schema_version() override { return run<int>(read_version); }

  Result<bool> has_reference_data() override {
    return run<bool>([](Connection& c) -> Result<bool> {
      auto r = c.query(
          "SELECT version_count FROM reference_imports WHERE kind = 'units'"
          " ORDER BY id DESC LIMIT 1");
      if (!r) return r.error();
      const PGresult* res = r->get();
      return PQntuples(res) == 1 && std::stol(text(res, 0, 0)) > 0;
    });
  }

  Result<void> import_reference_data(const units::ReferenceData& data) override {
    // Built once, outside the lock and the transaction.
    const std::string versions = versions_copy_data(data);
    const std::string successions = successions_copy_data(data);
    return run<void>([&](Connection& c) -> Result<void> {
      auto txn = Transaction::begin(c);
      if (!txn) return txn.error();
      if (auto r = c.exec(kLockImport); !r) return r.error();
      // DELETE, not TRUNCATE: readers keep seeing the old rows until COMMIT.
      if (auto r = c.exec("DELETE FROM successions; DELETE FROM unit_versions"); !r) {
        return r.error();
      }
      if (auto r = c.copy_in(
              "COPY unit_versions (level, code, valid_from, valid_to, province_code,"
              " district_code, name, full_name, name_en, full_name_en, unit_type) FROM STDIN",
              versions);
          !r) {
        return copy_error(c, data, ReferenceTable::kVersions);
      }
      if (auto r = c.copy_in(
              "COPY successions (id, old_province_code, old_province_name, old_district_code,"
              " old_district_name, old_commune_code, old_commune_name, new_province_code,"
              " new_province_name, new_commune_code, new_commune_name, kind, note, effective)"
              " FROM STDIN",
              successions);
          !r) {
        return copy_error(c, data, ReferenceTable::kSuccessions);
      }
      if (auto r = c.query(
              "INSERT INTO reference_imports (kind, version_count, succession_count)"
              " VALUES ('units', $1, $2)",
              {std::to_string(data.versions.size()), std::to_string(data.successions.size())});
          !r) {
        return r.error();
      }
      if (auto r = c.exec(kMarkUnitsImportSql); !r) return r.error();
      return txn->commit();
    });
  }

  Result<units::ReferenceData> load_reference_data() override {
    return run<units::ReferenceData>([](Connection& c) -> Result<units::ReferenceData> {
      // One snapshot, so versions and successions come from the same import.
      auto txn = Transaction::begin(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      if (!txn) return txn.error();
      units::ReferenceData data;
      if (auto r = load_versions(c, data); !r) return r.error();
      if (auto r = load_successions(c, data); !r) return r.error();
      auto id = latest_import(c);
      if (!id) return id.error();
      data.import_id = *id;
      if (auto r = txn->commit(); !r) return r.error();
      return data;
    });
  }

  Result<std::int64_t> latest_units_import() override { return run<std::int64_t>(latest_import); }

  Result<void> ping() override {
    return run<void>([](Connection& c) -> Result<void> {
      if (auto r = c.query("SELECT 1"); !r) return r.error();
      return ok();
    });
  }

 private:
  template <class T, class F>
  Result<T> run(F&& fn) {
    return db_->run<T>(std::forward<F>(fn));
  }

  static Result<int> read_version(Connection& c) {
    auto exists = c.query("SELECT to_regclass('schema_migrations') IS NOT NULL");
    if (!exists) return exists.error();
    if (text(exists->get(), 0, 0) != "t") return 0;
    auto r = c.query("SELECT coalesce(max(version), 0) FROM schema_migrations");
    if (!r) return r.error();
    return std::stoi(text(r->get(), 0, 0));
  }

  static Error too_new(int current, int latest) {
    return make_error(ErrorKind::kUnavailable,
                      "Lược đồ cơ sở dữ liệu ở phiên bản " + std::to_string(current) +
                          ", mới hơn phiên bản " + std::to_string(latest) +
                          " mà chương trình này biết: hãy nâng cấp motcua.",
                      "The database schema is at version " + std::to_string(current) +
                          ", newer than the version " + std::to_string(latest) +
                          " this program knows: upgrade motcua.");
  }

  // A failed COPY: name the input row when the server rejected one.
  static Error copy_error(const Connection& c, const units::ReferenceData& data,
                          ReferenceTable table) {
    const auto& f = c.last_failure();
    const std::string cls = f.sqlstate.substr(0, 2);
    // Integrity (23) and data (22) errors are the input's fault.
    if (cls != "23" && cls != "22")
      return c.error("nhập dữ liệu tham chiếu", "importing reference data");
    std::string reason = f.message;
    if (!f.detail.empty()) reason += " (" + f.detail + ")";
    const std::size_t line = postgres::copy_error_line(f.context);
    const std::size_t rows =
        table == ReferenceTable::kVersions ? data.versions.size() : data.successions.size();
    if (line == 0 || line > rows) return rejected_import_error(reason);
    return rejected_row_error(data, table, line - 1, f.sqlstate == "23505", reason);
  }

  static Result<std::int64_t> latest_import(Connection& c) {
    auto r = c.query(kLatestUnitsImportSql);
    if (!r) return r.error();
    return std::int64_t{std::stoll(text(r->get(), 0, 0))};
  }

  static Result<void> load_versions(Connection& c, units::ReferenceData& data) {
    static const std::string sql =
        std::string(
            "SELECT level, code, valid_from, valid_to, province_code, district_code, name,"
            " full_name, name_en, full_name_en, unit_type FROM unit_versions ORDER BY ") +
        kLevelRankSql + ", code, valid_from";
    auto r = c.query(sql.c_str());
    if (!r) return r.error();
    const PGresult* res = r->get();
    const int n = PQntuples(res);
    data.versions.reserve(n);
    for (int i = 0; i < n; ++i) {
      units::UnitVersion v;
      const auto level = level_from_text(text(res, i, 0));
      if (!level) {
        return make_error(ErrorKind::kInternal,
                          "Cấp đơn vị không hợp lệ trong cơ sở dữ liệu: " + text(res, i, 0),
                          "Invalid unit level in the database: " + text(res, i, 0));
      }
      v.level = *level;
      v.code = text(res, i, 1);
      v.valid_from = text(res, i, 2);
      v.valid_to = text(res, i, 3);
      v.province_code = text(res, i, 4);
      v.district_code = text(res, i, 5);
      v.name = text(res, i, 6);
      v.full_name = text(res, i, 7);
      v.name_en = text(res, i, 8);
      v.full_name_en = text(res, i, 9);
      v.unit_type = text(res, i, 10);
      data.versions.push_back(std::move(v));
    }
    return ok();
  }

  static Result<void> load_successions(Connection& c, units::ReferenceData& data) {
    auto r = c.query(
        "SELECT old_province_code, old_province_name, old_district_code, old_district_name,"
        " old_commune_code, old_commune_name, new_province_code, new_province_name,"
        " new_commune_code, new_commune_name, kind, note, effective FROM successions ORDER BY id");
    if (!r) return r.error();
    const PGresult* res = r->get();
    const int n = PQntuples(res);
    data.successions.reserve(n);
    for (int i = 0; i < n; ++i) {
      units::Succession s;
      s.old_province_code = text(res, i, 0);
      s.old_province_name = text(res, i, 1);
      s.old_district_code = text(res, i, 2);
      s.old_district_name = text(res, i, 3);
      s.old_commune_code = text(res, i, 4);
      s.old_commune_name = text(res, i, 5);
      s.new_province_code = text(res, i, 6);
      s.new_province_name = text(res, i, 7);
      s.new_commune_code = text(res, i, 8);
      s.new_commune_name = text(res, i, 9);
      s.kind = text(res, i, 10);
      s.note = text(res, i, 11);
      s.effective = text(res, i, 12);
      data.successions.push_back(std::move(s));
    }
    return ok();
  }

  // The session shared with the other areas' stores.
  std::unique_ptr<Database> db_;
  postgres::PostgresCalendarStore calendar_{*db_};
  postgres::PostgresAccountsStore accounts_{*db_};
  postgres::PostgresCatalogStore catalog_{*db_};
  postgres::PostgresDossiersStore dossiers_{*db_};
  postgres::PostgresStatsStore stats_{*db_};
};

}  // namespace

Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url) {
  auto conn = Connection::open(url);
  if (!conn) return conn.error();
  auto reader = Connection::open(url);
  if (!reader) return reader.error();
  return std::unique_ptr<Store>(new PostgresStore(std::move(*conn), std::move(*reader), url));
}

}  // namespace motcua::store
