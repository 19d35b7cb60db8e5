#include "store/postgres/catalog_store.hpp"

#include <charconv>

#include "store/catalog_rows.hpp"

namespace motcua::store::postgres {
namespace {

// One advisory lock key for catalog writes, so two processes editing the same
// code queue instead of both passing the version check.
constexpr const char* kLockCatalog = "SELECT pg_advisory_xact_lock(7310056203)";

std::string text(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}

int number(const PGresult* r, int row, int col) {
  int v = 0;
  const char* s = PQgetvalue(r, row, col);
  std::from_chars(s, s + PQgetlength(r, row, col), v);
  return v;
}

Result<void> apply(Connection& c, const ProcedureWrite& w, const std::string& at) {
  auto cur = c.query("SELECT current_version FROM catalog_procedures WHERE code = $1", {w.code});
  if (!cur) return cur.error();
  const int current = PQntuples(cur->get()) == 1 ? number(cur->get(), 0, 0) : 0;
  if (current != w.expected_current) return stale_write_error(w.code, w.expected_current, current);
  const int version = w.version > 0 ? w.version : current;
  if (version <= 0) return stale_write_error(w.code, w.expected_current, current);
  if (auto r = c.query("INSERT INTO catalog_procedures (code, current_version, retired, updated_at)"
                       " VALUES ($1, $2::integer, $3::boolean, $4) ON CONFLICT (code) DO UPDATE SET"
                       " current_version = excluded.current_version, retired = excluded.retired,"
                       " updated_at = excluded.updated_at",
                       {w.code, std::to_string(version), w.retired ? "true" : "false", at});
      !r) {
    return r.error();
  }
  if (w.version <= 0) return ok();
  if (auto r = c.query(
          "INSERT INTO catalog_procedure_versions (code, version, name, field, competent_level,"
          " online_level, body, created_at) VALUES ($1, $2::integer, $3, $4, $5, $6, $7, $8)",
          {w.code, std::to_string(w.version), w.name, w.field, w.competent_level, w.online_level,
           w.body, at});
      !r) {
    return r.error();
  }
  return ok();
}

}  // namespace

Result<bool> PostgresCatalogStore::has_catalog() {
  return db_.run<bool>([](Connection& c) -> Result<bool> {
    auto r = c.query("SELECT EXISTS (SELECT 1 FROM catalog_imports)");
    if (!r) return r.error();
    return text(r->get(), 0, 0) == "t";
  });
}

Result<void> PostgresCatalogStore::write(const std::vector<ProcedureWrite>& writes,
                                         const std::vector<StoredBundle>* bundles,
                                         const std::string& import_note, const std::string& at) {
  return db_.run<void>([&](Connection& c) -> Result<void> {
    auto txn = Transaction::begin(c);
    if (!txn) return txn.error();
    if (auto r = c.exec(kLockCatalog); !r) return r.error();
    for (const auto& w : writes)
      if (auto r = apply(c, w, at); !r) return r;
    if (bundles) {
      if (auto r = c.exec("DELETE FROM catalog_bundles"); !r) return r.error();
      for (const auto& b : *bundles)
        if (auto r = c.query("INSERT INTO catalog_bundles (code, body) VALUES ($1, $2)",
                             {b.code, b.body});
            !r)
          return r.error();
    }
    if (!import_note.empty()) {
      if (auto r = c.query("INSERT INTO catalog_imports (imported_at, note, procedure_count) "
                           "VALUES ($1, $2, $3::integer)",
                           {at, import_note, std::to_string(writes.size())});
          !r) {
        return r.error();
      }
    }
    return txn->commit();
  });
}

Result<std::vector<StoredProcedure>> PostgresCatalogStore::load_current() {
  return db_.run<std::vector<StoredProcedure>>(
      [](Connection& c) -> Result<std::vector<StoredProcedure>> {
        auto r = c.query(
            "SELECT p.code, p.current_version, p.retired, v.body, v.created_at"
            " FROM catalog_procedures p JOIN catalog_procedure_versions v"
            " ON v.code = p.code AND v.version = p.current_version ORDER BY p.code");
        if (!r) return r.error();
        const PGresult* res = r->get();
        std::vector<StoredProcedure> out;
        out.reserve(PQntuples(res));
        for (int i = 0; i < PQntuples(res); ++i)
          out.push_back({text(res, i, 0), number(res, i, 1), text(res, i, 2) == "t",
                         text(res, i, 3), text(res, i, 4)});
        return out;
      });
}

Result<std::optional<StoredProcedure>> PostgresCatalogStore::load_version(const std::string& code,
                                                                          int version) {
  return db_.run<std::optional<StoredProcedure>>(
      [&](Connection& c) -> Result<std::optional<StoredProcedure>> {
        auto r = c.query(
            "SELECT v.body, v.created_at, p.retired AND p.current_version = v.version"
            " FROM catalog_procedure_versions v JOIN catalog_procedures p ON p.code = v.code"
            " WHERE v.code = $1 AND v.version = $2::integer",
            {code, std::to_string(version)});
        if (!r) return r.error();
        const PGresult* res = r->get();
        if (PQntuples(res) == 0) return std::optional<StoredProcedure>();
        return std::optional<StoredProcedure>(StoredProcedure{code, version, text(res, 0, 2) == "t",
                                                              text(res, 0, 0), text(res, 0, 1)});
      });
}

Result<std::vector<VersionInfo>> PostgresCatalogStore::list_versions(const std::string& code) {
  return db_.run<std::vector<VersionInfo>>([&](Connection& c) -> Result<std::vector<VersionInfo>> {
    auto r = c.query(
        "SELECT version, created_at FROM catalog_procedure_versions WHERE code = $1 ORDER BY "
        "version",
        {code});
    if (!r) return r.error();
    const PGresult* res = r->get();
    std::vector<VersionInfo> out;
    for (int i = 0; i < PQntuples(res); ++i) out.push_back({number(res, i, 0), text(res, i, 1)});
    return out;
  });
}

Result<std::vector<StoredBundle>> PostgresCatalogStore::load_bundles() {
  return db_.run<std::vector<StoredBundle>>([](Connection& c) -> Result<std::vector<StoredBundle>> {
    auto r = c.query("SELECT code, body FROM catalog_bundles ORDER BY code");
    if (!r) return r.error();
    const PGresult* res = r->get();
    std::vector<StoredBundle> out;
    for (int i = 0; i < PQntuples(res); ++i) out.push_back({text(res, i, 0), text(res, i, 1)});
    return out;
  });
}

}  // namespace motcua::store::postgres
