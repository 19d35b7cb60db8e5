// `motcua deadlines sweep`: one whole deadline sweep (see DossierService::
// sweep_deadlines: every candidate, --per-pass at a time) at --at or now, for
// cron-style runs and for drills; prints what it flagged as JSON.
#include <cstdio>

#include "app/commands.hpp"
#include "services/calendar_service.hpp"
#include "services/catalog_service.hpp"
#include "services/dossier_service.hpp"
#include "services/unit_service.hpp"
#include "store/store.hpp"

namespace motcua::app {

int run_deadlines_sweep(const Options& o) {
  const char* what = "deadlines sweep";
  std::optional<calendar::Instant> at;
  if (!o.at.empty()) {
    auto parsed = calendar::parse_rfc3339(o.at);
    if (parsed) at = *parsed;
    if (!parsed) {
      return report(what,
                    make_error(ErrorKind::kBadRequest,
                               "--at phải là thời điểm RFC 3339 (2025-07-01T08:30:00+07:00).",
                               "--at must be an RFC 3339 time (2025-07-01T08:30:00+07:00).", "at")),
             2;
    }
  }
  auto opened = store::open_existing_store(o.db);
  if (!opened) return report(what, opened.error()), 1;
  store::Store& store = **opened;
  auto data = store.load_reference_data();
  if (!data) return report(what, data.error()), 1;
  services::UnitService units(std::move(*data));
  auto calendar = services::CalendarService::create(store.calendar(), units);
  if (!calendar) return report(what, calendar.error()), 1;
  services::CatalogService catalog(store.catalog());
  if (auto r = catalog.load(); !r) return report(what, r.error()), 1;
  services::DossierService::Clock clock;
  if (at) clock = [t = *at] { return t; };
  services::DossierService dossiers(store.dossiers(), catalog, **calendar, units,
                                    units.province_of(), clock);
  auto swept = dossiers.sweep_deadlines(static_cast<std::size_t>(o.per_pass),
                                        services::DossierService::SweepScope::kWhole);
  if (!swept) return report(what, swept.error()), 1;
  std::printf("{\"due_soon\":%d,\"overdue\":%d}\n", swept->due_soon, swept->overdue);
  return 0;
}

}  // namespace motcua::app
