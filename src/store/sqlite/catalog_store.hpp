// The catalog area on SQLite.
#pragma once

#include "store/catalog_store.hpp"
#include "store/sqlite/database.hpp"

namespace motcua::store::sqlite {

class SqliteCatalogStore final : public CatalogStore {
 public:
  explicit SqliteCatalogStore(Database& db) : db_(db) {}

  Result<bool> has_catalog() override;
  Result<void> write(const std::vector<ProcedureWrite>& writes,
                     const std::vector<StoredBundle>* bundles, const std::string& import_note,
                     const std::string& at) override;
  Result<std::vector<StoredProcedure>> load_current() override;
  Result<std::optional<StoredProcedure>> load_version(const std::string& code,
                                                      int version) override;
  Result<std::vector<VersionInfo>> list_versions(const std::string& code) override;
  Result<std::vector<StoredBundle>> load_bundles() override;

 private:
  Database& db_;
};

}  // namespace motcua::store::sqlite
