#include "services/database_setup.hpp"

#include "services/catalog_data.hpp"
#include "services/catalog_service.hpp"
#include "services/reference_data.hpp"

namespace motcua::services {

Result<SetupReport> import_reference(store::Store& store, const std::string& data_dir) {
  SetupReport report;
  auto data = load_reference_data(data_dir);
  if (!data) return data.error();
  report.versions = data->versions.size();
  report.successions = data->successions.size();
  if (auto r = store.import_reference_data(*data); !r) return r.error();
  report.imported = true;
  return report;
}

Result<SetupReport> prepare_database(store::Store& store, const std::string& data_dir) {
  auto applied = store.migrate();
  if (!applied) return applied.error();
  auto present = store.has_reference_data();
  if (!present) return present.error();
  SetupReport report;
  if (!*present) {
    auto imported = import_reference(store, data_dir);
    if (!imported) return imported.error();
    report = *imported;
  }
  report.migrations_applied = *applied;
  // The bundled procedure catalog, once: later changes are the admins'.
  auto catalog_present = store.catalog().has_catalog();
  if (!catalog_present) return catalog_present.error();
  if (!*catalog_present) {
    auto bundled = load_bundled_catalog(data_dir);
    if (!bundled) return bundled.error();
    CatalogService catalog(store.catalog());
    auto n = catalog.import_if_absent(*bundled);
    if (!n) return n.error();
    report.catalog_procedures = *n;
  }
  return report;
}

}  // namespace motcua::services
