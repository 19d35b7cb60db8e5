#include "store/sqlite/catalog_store.hpp"

#include "store/catalog_rows.hpp"

namespace motcua::store::sqlite {
namespace {

Result<int> current_version(Connection& c, const std::string& code) {
  auto stmt = c.cached("SELECT current_version FROM catalog_procedures WHERE code = ?1");
  if (!stmt) return stmt.error();
  StatementUse use(**stmt);
  use->bind(1, code);
  const int rc = use->step();
  if (rc == SQLITE_ROW) return static_cast<int>(use->column_int(0));
  if (rc == SQLITE_DONE) return 0;
  return c.error("đọc phiên bản thủ tục", "reading a procedure's version");
}

Result<void> apply(Connection& c, const ProcedureWrite& w, const std::string& at) {
  auto cur = current_version(c, w.code);
  if (!cur) return cur.error();
  if (*cur != w.expected_current) return stale_write_error(w.code, w.expected_current, *cur);
  const int version = w.version > 0 ? w.version : *cur;
  if (version <= 0) return stale_write_error(w.code, w.expected_current, *cur);
  auto upsert = c.cached(
      "INSERT INTO catalog_procedures (code, current_version, retired, updated_at)"
      " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (code) DO UPDATE SET"
      " current_version = excluded.current_version, retired = excluded.retired,"
      " updated_at = excluded.updated_at");
  if (!upsert) return upsert.error();
  {
    StatementUse use(**upsert);
    use->bind(1, w.code);
    use->bind(2, std::int64_t{version});
    use->bind(3, std::int64_t{w.retired ? 1 : 0});
    use->bind(4, at);
    if (use->step() != SQLITE_DONE) return c.error("ghi thủ tục", "writing a procedure");
  }
  if (w.version <= 0) return ok();
  auto insert = c.cached(
      "INSERT INTO catalog_procedure_versions (code, version, name, field, competent_level,"
      " online_level, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  if (!insert) return insert.error();
  StatementUse use(**insert);
  use->bind(1, w.code);
  use->bind(2, std::int64_t{w.version});
  use->bind(3, w.name);
  use->bind(4, w.field);
  use->bind(5, w.competent_level);
  use->bind(6, w.online_level);
  use->bind(7, w.body);
  use->bind(8, at);
  if (use->step() != SQLITE_DONE)
    return c.error("ghi phiên bản thủ tục", "writing a procedure version");
  return ok();
}

}  // namespace

Result<bool> SqliteCatalogStore::has_catalog() {
  return db_.with([](Connection& c) -> Result<bool> {
    auto stmt = c.cached("SELECT count(*) FROM catalog_imports");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    if (use->step() != SQLITE_ROW)
      return c.error("kiểm tra danh mục thủ tục", "checking for the catalog");
    return use->column_int(0) > 0;
  });
}

Result<void> SqliteCatalogStore::write(const std::vector<ProcedureWrite>& writes,
                                       const std::vector<StoredBundle>* bundles,
                                       const std::string& import_note, const std::string& at) {
  return db_.with([&](Connection& c) -> Result<void> {
    auto txn = Transaction::begin(c, true);
    if (!txn) return txn.error();
    for (const auto& w : writes)
      if (auto r = apply(c, w, at); !r) return r;
    if (bundles) {
      if (auto r = c.exec("DELETE FROM catalog_bundles"); !r) return r;
      auto stmt = c.cached("INSERT INTO catalog_bundles (code, body) VALUES (?1, ?2)");
      if (!stmt) return stmt.error();
      for (const auto& b : *bundles) {
        StatementUse use(**stmt);
        use->bind(1, b.code);
        use->bind(2, b.body);
        if (use->step() != SQLITE_DONE) return c.error("ghi nhóm liên thông", "writing a bundle");
      }
    }
    if (!import_note.empty()) {
      auto stmt = c.cached(
          "INSERT INTO catalog_imports (imported_at, note, procedure_count) VALUES (?1, ?2, ?3)");
      if (!stmt) return stmt.error();
      StatementUse use(**stmt);
      use->bind(1, at);
      use->bind(2, import_note);
      use->bind(3, static_cast<std::int64_t>(writes.size()));
      if (use->step() != SQLITE_DONE) return c.error("ghi nhận lần nhập", "recording the import");
    }
    return txn->commit();
  });
}

Result<std::vector<StoredProcedure>> SqliteCatalogStore::load_current() {
  return db_.with([](Connection& c) -> Result<std::vector<StoredProcedure>> {
    auto stmt = c.cached(
        "SELECT p.code, p.current_version, p.retired, v.body, v.created_at"
        " FROM catalog_procedures p JOIN catalog_procedure_versions v"
        " ON v.code = p.code AND v.version = p.current_version ORDER BY p.code");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    std::vector<StoredProcedure> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) {
      out.push_back({use->column_text(0), static_cast<int>(use->column_int(1)),
                     use->column_int(2) != 0, use->column_text(3), use->column_text(4)});
    }
    if (rc != SQLITE_DONE) return c.error("đọc danh mục thủ tục", "reading the catalog");
    return out;
  });
}

Result<std::optional<StoredProcedure>> SqliteCatalogStore::load_version(const std::string& code,
                                                                        int version) {
  return db_.with([&](Connection& c) -> Result<std::optional<StoredProcedure>> {
    auto stmt = c.cached(
        "SELECT v.body, v.created_at, p.retired AND p.current_version = v.version"
        " FROM catalog_procedure_versions v JOIN catalog_procedures p ON p.code = v.code"
        " WHERE v.code = ?1 AND v.version = ?2");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, code);
    use->bind(2, std::int64_t{version});
    const int rc = use->step();
    if (rc == SQLITE_DONE) return std::optional<StoredProcedure>();
    if (rc != SQLITE_ROW) return c.error("đọc phiên bản thủ tục", "reading a procedure version");
    return std::optional<StoredProcedure>(StoredProcedure{
        code, version, use->column_int(2) != 0, use->column_text(0), use->column_text(1)});
  });
}

Result<std::vector<VersionInfo>> SqliteCatalogStore::list_versions(const std::string& code) {
  return db_.with([&](Connection& c) -> Result<std::vector<VersionInfo>> {
    auto stmt = c.cached(
        "SELECT version, created_at FROM catalog_procedure_versions WHERE code = ?1 ORDER BY "
        "version");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, code);
    std::vector<VersionInfo> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW)
      out.push_back({static_cast<int>(use->column_int(0)), use->column_text(1)});
    if (rc != SQLITE_DONE)
      return c.error("đọc các phiên bản thủ tục", "reading procedure versions");
    return out;
  });
}

Result<std::vector<StoredBundle>> SqliteCatalogStore::load_bundles() {
  return db_.with([](Connection& c) -> Result<std::vector<StoredBundle>> {
    auto stmt = c.cached("SELECT code, body FROM catalog_bundles ORDER BY code");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    std::vector<StoredBundle> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW)
      out.push_back({use->column_text(0), use->column_text(1)});
    if (rc != SQLITE_DONE) return c.error("đọc nhóm liên thông", "reading bundles");
    return out;
  });
}

}  // namespace motcua::store::sqlite
