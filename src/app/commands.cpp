#include "app/commands.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "services/database_setup.hpp"
#include "store/reference_rows.hpp"
#include "store/store.hpp"

namespace motcua::app {

void report(const char* what, const Error& e) {
  std::fprintf(stderr, "motcua: %s failed: %s\nmotcua: %s thất bại: %s\n", what, e.message_en.c_str(),
               what, e.message_vi.c_str());
  if (!e.log_detail.empty()) std::fprintf(stderr, "motcua: %s\n", e.log_detail.c_str());
}

int run_migrate(const Options& o) {
  auto store = store::open_store(o.db);
  if (!store) return report("migrate", store.error()), 1;
  auto applied = (*store)->migrate();
  if (!applied) return report("migrate", applied.error()), 1;
  auto version = (*store)->schema_version();
  std::printf("%d migrations applied; schema version %d (%s)\n", *applied, version ? *version : -1,
              (*store)->backend());
  // Recomputing the counters needs the reference data and the calendars:
  // serve does it on start, or `stats rebuild` now.
  auto due = (*store)->stats().rebuild_due();
  if (!due) return report("migrate", due.error()), 1;
  for (const auto& reason : *due) {
    std::printf(
        "the operations centre's counters must be recomputed (%s): serve does it on start, "
        "or run motcua stats rebuild\n",
        reason.c_str());
  }
  return 0;
}

int run_import(const Options& o) {
  auto store = store::open_store(o.db);
  if (!store) return report("import", store.error()), 1;
  auto applied = (*store)->migrate();
  if (!applied) return report("import", applied.error()), 1;
  auto t0 = std::chrono::steady_clock::now();
  auto r = services::import_reference(**store, o.data_dir);
  if (!r) return report("import", r.error()), 1;
  auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  std::printf("imported %zu unit versions and %zu successions from %s in %.0f ms\n", r->versions,
              r->successions, o.data_dir.c_str(), ms);
  // The counters roll up by the registry: recounted by the first process
  // that loads it (a server started on it, or `stats rebuild`).
  auto due = (*store)->stats().rebuild_due();
  if (!due) return report("import", due.error()), 1;
  if (std::any_of(due->begin(), due->end(), [](const std::string& reason) {
        return reason.starts_with(store::kUnitsImportMark);
      })) {
    std::printf(
        "the operations centre's counters must be recomputed by the new units: a server started "
        "now does it, running servers keep the old units until restarted; or run motcua stats "
        "rebuild\n");
  }
  return 0;
}

}  // namespace motcua::app
