// `motcua simulate` (services/simulator.hpp) and `motcua stats rebuild|verify`
// (StatsService::rebuild, verify): the operations centre's drills and checks.
#include <chrono>
#include <cstdio>

#include "app/commands.hpp"
#include "app/huge_pages.hpp"
#include "domain/calendar/civil_date.hpp"
#include "domain/stats/period.hpp"
#include "services/calendar_service.hpp"
#include "services/catalog_service.hpp"
#include "services/database_setup.hpp"
#include "services/simulator.hpp"
#include "services/stats_service.hpp"
#include "services/unit_service.hpp"
#include "store/store.hpp"

namespace motcua::app {
namespace {

// What the commands need: the store ready and the services the figures are
// computed with.
struct Context {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<services::UnitService> units;
  std::unique_ptr<services::CalendarService> calendar;
  std::unique_ptr<services::CatalogService> catalog;
};

Result<void> load_services(Context& c) {
  auto data = c.store->load_reference_data();
  if (!data) return data.error();
  c.units = std::make_unique<services::UnitService>(std::move(*data));
  auto calendar = services::CalendarService::create(c.store->calendar(), *c.units);
  if (!calendar) return calendar.error();
  c.calendar = std::move(*calendar);
  c.catalog = std::make_unique<services::CatalogService>(c.store->catalog());
  return c.catalog->load();
}

// simulate: may start a new database (migrated, reference data in).
Result<Context> open_context(const Options& o) {
  Context c;
  auto opened = store::open_store(o.db);
  if (!opened) return opened.error();
  c.store = std::move(*opened);
  if (auto r = services::prepare_database(*c.store, o.data_dir); !r) return r.error();
  if (auto r = load_services(c); !r) return r.error();
  return c;
}

// The checks and the rebuild: an existing database at this binary's schema,
// with its units (open_up_to_date); verify reads it only.
Result<Context> open_existing_context(const Options& o, bool read_only) {
  Context c;
  auto opened = open_up_to_date(o.db, read_only);
  if (!opened) return opened.error();
  c.store = std::move(*opened);
  auto present = c.store->has_reference_data();
  if (!present) return present.error();
  if (!*present) {
    return make_error(ErrorKind::kUnavailable,
                      "Cơ sở dữ liệu chưa có đơn vị hành chính: hãy chạy motcua import trước.",
                      "The database has no administrative units yet: run motcua import first.",
                      "database_url");
  }
  if (auto r = load_services(c); !r) return r.error();
  return c;
}

}  // namespace

int run_simulate(const Options& o) {
  const char* what = "simulate";
  (void)use_huge_pages();  // a bulk load: see huge_pages.hpp
  services::SimulationOptions s;
  s.province = o.province;
  s.days = o.days;
  s.per_day = o.per_day;
  s.seed = o.seed;
  s.end = calendar::Instant{std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count()};
  if (!o.at.empty()) {
    auto at = calendar::parse_rfc3339(o.at);
    if (!at) {
      return report(what, make_error(ErrorKind::kBadRequest,
                                     "--at phải là thời điểm RFC 3339 (2025-07-01T08:30:00+07:00).",
                                     "--at must be an RFC 3339 time (2025-07-01T08:30:00+07:00).",
                                     "at")),
             2;
    }
    s.end = *at;
  }
  // Arguments and the data folder before the database is created or changed.
  if (o.province.empty()) {
    return report(what, make_error(ErrorKind::kBadRequest,
                                   "Cần --province MÃ (mã tỉnh, ví dụ 01; VN: cả nước).",
                                   "--province CODE is required (a province's code, e.g. 01; "
                                   "VN: the nation).",
                                   "province")),
           2;
  }
  if (auto r = check_data_dir(o.data_dir); !r) return report(what, r.error()), 2;
  auto c = open_context(o);
  if (!c) return report(what, c.error()), 1;
  auto r = services::simulate(c->store->dossiers(), *c->units, *c->catalog, *c->calendar,
                              c->units->province_of(), s);
  if (!r) return report(what, r.error()), r.error().kind == ErrorKind::kBadRequest ? 2 : 1;
  std::printf(
      "{\"dossiers\":%lld,\"events\":%lld,\"open\":%lld,\"seconds\":%.3f,"
      "\"write_seconds\":%.3f,\"dossiers_per_second\":%.0f}\n",
      static_cast<long long>(r->dossiers), static_cast<long long>(r->events),
      static_cast<long long>(r->open), r->seconds, r->write_seconds,
      r->seconds > 0 ? static_cast<double>(r->dossiers) / r->seconds : 0.0);
  return 0;
}

int run_stats(const Options& o) {
  const char* what = o.subcommand == "rebuild" ? "stats rebuild" : "stats verify";
  auto c = open_existing_context(o, o.subcommand == "verify");
  if (!c) return report(what, c.error()), 1;
  services::StatsService stats(c->store->stats(), c->store->dossiers(), *c->units, *c->calendar,
                               *c->catalog, c->units->province_of());
  if (o.subcommand == "rebuild") {
    auto n = stats.rebuild();
    if (!n) return report(what, n.error()), 1;
    std::printf("{\"rows\":%zu}\n", *n);
    return 0;
  }
  auto diff = stats.verify();
  if (!diff) return report(what, diff.error()), 1;
  for (const auto& d : diff->counters) {
    const std::string when = d.key.day == stats::kGaugeDay ? "now"
                             : d.month ? "month " + stats::day_iso(d.key.day).substr(0, 7)
                                       : stats::day_iso(d.key.day);
    std::printf("differs: %s %s %s", std::string(stats::level_name(d.key.level)).c_str(),
                d.key.unit.c_str(), when.c_str());
    for (int i = 0; i < stats::kCounterCount; ++i) {
      if (d.stored.v[i] != d.recomputed.v[i]) {
        std::printf(" %s=%lld(recomputed %lld)",
                    std::string(stats::counter_name(static_cast<stats::Counter>(i))).c_str(),
                    static_cast<long long>(d.stored.v[i]), static_cast<long long>(d.recomputed.v[i]));
      }
    }
    std::printf("\n");
  }
  auto text = [](const std::optional<std::int64_t>& t) {
    return t ? calendar::to_rfc3339(calendar::Instant{*t}) : std::string("none");
  };
  for (const auto& d : diff->live_due) {
    std::printf("differs: dossier %s live_due=%s(recomputed %s)\n", d.dossier_id.c_str(),
                text(d.stored).c_str(), text(d.recomputed).c_str());
  }
  // An upgrade changed what a counter counts, or a calendar change what it
  // counted: the rows are stale until a rebuild.
  for (const auto& reason : diff->rebuild_due) {
    std::printf(
        "differs: counters due for a rebuild (%s): serve recounts them, or run motcua stats "
        "rebuild\n"
        "khác: số liệu cần tính lại (%s): serve sẽ tính lại, hoặc hãy chạy motcua stats "
        "rebuild\n",
        reason.c_str(), reason.c_str());
  }
  std::printf("{\"differences\":%zu}\n",
              diff->counters.size() + diff->live_due.size() + diff->rebuild_due.size());
  return diff->same() ? 0 : 1;
}

}  // namespace motcua::app
