// First start on an empty database: migrate it and import the bundled
// reference data. Later starts find both done and change nothing.
#pragma once

#include <string>

#include "common/result.hpp"
#include "store/store.hpp"

namespace motcua::services {

struct SetupReport {
  int migrations_applied = 0;
  bool imported = false;
  std::size_t versions = 0;
  std::size_t successions = 0;
  std::size_t catalog_procedures = 0;  // imported into an empty catalog
};

Result<SetupReport> prepare_database(store::Store& store, const std::string& data_dir);

// Reads data_dir and (re)imports it whatever the database holds: `motcua import`.
Result<SetupReport> import_reference(store::Store& store, const std::string& data_dir);

}  // namespace motcua::services
