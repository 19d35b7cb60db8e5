// The operations centre's indicator query against the GROUP BY it replaces,
// both in this one process over the same SQLite file: the same figure (the
// dossiers received by channel, for a commune and a province, over last
// month and the last 365 days), so neither side pays for HTTP or a client.
// bench/stats_bench.py runs it on its ten-million-dossier file, beside the
// same comparison through the HTTP API.
//
// The indicator side is StatsService::figures, the call the API handler
// makes (the counters, plus the open and overdue gauges); the GROUP BY reads
// the dossiers through the competent-unit index on a read-only connection.
// Both answers must agree, or the row says so.
//
// Usage: indicator_query --db FILE [--queries N]
// Measure in a release build: the numbers of a sanitizer build mean little.
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/dates.hpp"
#include "domain/stats/period.hpp"
#include "services/calendar_service.hpp"
#include "services/catalog_service.hpp"
#include "services/stats_service.hpp"
#include "services/unit_service.hpp"
#include "store/store.hpp"
#include "timing.hpp"

namespace services = motcua::services;
namespace stats = motcua::stats;

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "indicator_query: %s\n", what.c_str());
  std::exit(1);
}

using motcua::bench::timed;
using motcua::bench::Timing;

// Received by channel over the range, counted from the dossiers themselves.
std::map<std::string, std::int64_t> group_by(sqlite3* db, const std::vector<std::string>& units,
                                             const stats::Range& r) {
  std::string sql =
      "SELECT channel, count(*) FROM dossiers WHERE code IS NOT NULL"
      " AND json_extract(body, '$.received_at') BETWEEN ?1 AND ?2 AND competent_unit IN (";
  for (std::size_t i = 0; i < units.size(); ++i) sql += (i ? ",?" : "?") + std::to_string(i + 3);
  sql += ") GROUP BY channel";
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
    fail(std::string("GROUP BY: ") + sqlite3_errmsg(db));
  const std::string lo = stats::day_iso(r.from_day) + "T00:00:00+07:00";
  const std::string hi = stats::day_iso(r.to_day) + "T23:59:59+07:00";
  sqlite3_bind_text(stmt, 1, lo.c_str(), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(stmt, 2, hi.c_str(), -1, SQLITE_TRANSIENT);
  for (std::size_t i = 0; i < units.size(); ++i)
    sqlite3_bind_text(stmt, static_cast<int>(i + 3), units[i].c_str(), -1, SQLITE_TRANSIENT);
  std::map<std::string, std::int64_t> out;
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    out[reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))] =
        sqlite3_column_int64(stmt, 1);
  }
  if (rc != SQLITE_DONE) fail(std::string("GROUP BY: ") + sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string db_path;
  int queries = 1000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--db"))
      db_path = argv[i + 1];
    else if (!std::strcmp(argv[i], "--queries"))
      queries = std::max(1, std::atoi(argv[i + 1]));
    else
      fail(std::string("unknown option ") + argv[i]);
  }
  if (db_path.empty()) fail("usage: indicator_query --db FILE [--queries N]");

  auto opened = motcua::store::open_store("sqlite:" + db_path);
  if (!opened) fail(opened.error().message_en);
  auto& store = **opened;
  auto data = store.load_reference_data();
  if (!data) fail(data.error().message_en);
  services::UnitService units(std::move(*data));
  auto calendar = services::CalendarService::create(store.calendar(), units);
  if (!calendar) fail(calendar.error().message_en);
  services::CatalogService catalog(store.catalog());
  if (auto r = catalog.load(); !r) fail(r.error().message_en);
  services::StatsService svc(store.stats(), store.dossiers(), units, **calendar, catalog,
                             units.province_of());
  motcua::access::Principal viewer;
  viewer.username = "bench";
  viewer.roles = motcua::access::role_bit(motcua::access::Role::kNationalViewer);

  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    fail("cannot open " + db_path + " read-only");

  std::vector<std::string> communes01;
  motcua::units::UnitQuery q;
  q.level = motcua::units::Level::kCommune;
  q.province = "01";
  q.at = motcua::vn_today();
  q.limit = 1000;
  for (const auto* v : units.registry().search(q).items) communes01.push_back(v->code);

  // The periods stats_bench.py asks the API for, read as the API reads them.
  const std::int64_t today = svc.today();
  auto this_month = stats::parse_range("month", "", "", "", today);
  if (!this_month) fail(this_month.error().message_en);
  auto last_month =
      stats::parse_range("month", stats::day_iso(this_month->from_day - 1), "", "", today);
  if (!last_month) fail(last_month.error().message_en);
  const stats::Range last_year{today - 364, today};

  struct Case {
    const char* label;
    std::string unit;
    std::vector<std::string> units;
    int group_by_runs;
  };
  const std::vector<Case> cases = {{"commune 00004", "00004", {"00004"}, 30},
                                   {"province 01", "01", communes01, 3}};
  std::printf("%-42s %12s %12s %14s %10s %6s\n", "figure (in process)", "received", "query p50/p99",
              "GROUP BY p50", "ratio", "same");
  for (const auto& c : cases) {
    for (const auto& [period, range] :
         {std::pair{"last month", *last_month}, std::pair{"last 365 days", last_year}}) {
      auto first = svc.figures(viewer, c.unit, range);
      if (!first) fail(first.error().message_en);
      const auto& sums = first->indicators.sums;
      const Timing query = timed(queries, [&] {
        if (!svc.figures(viewer, c.unit, range)) fail("indicator query failed");
      });
      std::map<std::string, std::int64_t> expect;
      const Timing gb = timed(c.group_by_runs, [&] { expect = group_by(raw, c.units, range); });
      using stats::Counter;
      const bool same = sums[Counter::kReceivedOnline] == expect["online"] &&
                        sums[Counter::kReceivedCounter] == expect["counter"] &&
                        sums[Counter::kReceivedPost] == expect["post"] &&
                        sums[Counter::kReceivedPortal] == expect["national_portal"];
      char name[64], times[40], gbs[32], ratio[24];
      std::snprintf(name, sizeof name, "indicators, %s, %s", c.label, period);
      std::snprintf(times, sizeof times, "%.3f/%.3f ms", query.p50_ms, query.p99_ms);
      std::snprintf(gbs, sizeof gbs, "%.1f ms", gb.p50_ms);
      std::snprintf(ratio, sizeof ratio, "%.0fx", gb.p50_ms / query.p50_ms);
      std::printf("%-42s %12lld %12s %14s %10s %6s\n", name,
                  static_cast<long long>(sums[Counter::kReceived]), times, gbs, ratio,
                  same ? "yes" : "NO");
    }
  }
  sqlite3_close(raw);
  return 0;
}
