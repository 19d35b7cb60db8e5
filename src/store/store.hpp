// The one storage interface. Everything that persists goes through it; the
// SQLite and PostgreSQL back ends implement it and pass the same contract tests
// (tests/store/).
#pragma once

#include <memory>
#include <string>

#include "common/result.hpp"
#include "domain/units/model.hpp"
#include "store/accounts_store.hpp"
#include "store/calendar_store.hpp"
#include "store/catalog_store.hpp"
#include "store/dossiers_store.hpp"

namespace motcua::store {

class Store {
 public:
  virtual ~Store() = default;

  // "sqlite" or "postgresql".
  virtual const char* backend() const = 0;

  // Brings the schema to the newest version. Idempotent; returns the number
  // of migrations applied (0 on an up-to-date database).
  virtual Result<int> migrate() = 0;
  virtual Result<int> schema_version() = 0;

  // True when the reference units have been imported.
  virtual Result<bool> has_reference_data() = 0;

  // Replaces the reference units with `data` in one transaction: all or
  // nothing. Leaves the counters a mark to recount by them (kUnitsImportMark).
  virtual Result<void> import_reference_data(const units::ReferenceData& data) = 0;

  // All unit versions and successions, for the in-memory registry, with the
  // import they came from.
  virtual Result<units::ReferenceData> load_reference_data() = 0;

  // The newest units import's id (0 before any): a running process compares
  // it with the one it loaded.
  virtual Result<std::int64_t> latest_units_import() = 0;

  // Cheap round trip for /healthz.
  virtual Result<void> ping() = 0;

  virtual CalendarStore& calendar() = 0;
  virtual AccountsStore& accounts() = 0;
  virtual CatalogStore& catalog() = 0;
  virtual DossiersStore& dossiers() = 0;
  virtual StatsStore& stats() = 0;
};

// Opens "sqlite:PATH" or "postgresql://..." (also "postgres://..."). A bad URL
// or an unreachable server is an Error a person can act on.
Result<std::unique_ptr<Store>> open_store(const std::string& url);
// The same for a database that must exist already (checks and sweeps): a
// mistyped SQLite path is an error naming it, not a new empty database that
// then passes every check.
Result<std::unique_ptr<Store>> open_existing_store(const std::string& url);

}  // namespace motcua::store
