// `motcua simulate`: a realistic history of dossiers for drills, demos and
// benchmarks, made by the same rules as real ones. Every dossier lives its
// life through the state machine (dossier::apply: the same checks, the same
// events), gets its due time from its commune's calendar and its code from
// the store's sequences, is stored with its hash-chained events, and moves
// the operations centre's counters in the same transaction (figures_of).
//
// The history: each working day of each commune of the province receives a
// Poisson number of dossiers around `per_day`, with the week's rhythm (Monday
// busiest), a dip after long holidays (Tết), the catalog's commune-level
// procedures (a few popular, many rare), a channel mix drifting towards
// online, fees paid online or at the desk, supplements, refusals,
// withdrawals, some late dossiers and ratings.
// Dossiers whose next step lies after `end` stay open there.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "common/result.hpp"
#include "services/account_service.hpp"
#include "services/calendar_service.hpp"
#include "services/catalog_service.hpp"
#include "services/unit_service.hpp"
#include "store/dossiers_store.hpp"

namespace motcua::services {

struct SimulationOptions {
  std::string province;      // province code, or "VN" for every province
  int days = 30;             // calendar days of history, ending at `end`
  calendar::Instant end;     // the simulated "now"
  double per_day = 12;       // mean dossiers a commune receives on a working day
  std::uint64_t seed = 1;
  // Dossiers per transaction; 0: 1,000 on a province, 4,000 on the nation.
  // Each commit writes out every page it touched: on SQLite and the nation larger
  // chunks wrote a third fewer bytes and lived 20% more dossiers a second
  // (30 days: 46,559 against 38,766, two alternating pairs); on a province,
  // 60 or 365 days, 1,000 stays faster (its first chunks start the writer
  // sooner), and faster than 2,000 too. PostgreSQL, the nation over 7 days:
  // the same within the noise (17,914 / 16,858 against 18,984 / 14,681).
  std::size_t chunk = 0;
};

struct SimulationReport {
  std::int64_t dossiers = 0;
  std::int64_t events = 0;
  std::int64_t open = 0;  // still being processed at `end`
  double seconds = 0;
  double write_seconds = 0;  // the store's transactions took, summed over the writers
};

// Runs the simulation; `progress` (optional) is told the dossiers written so far, by the
// writing threads (two at once on a store with two bulk writers).
Result<SimulationReport> simulate(store::DossiersStore& store, const UnitService& units,
                                  const CatalogService& catalog, const CalendarService& calendar,
                                  const ProvinceOf& province_of, const SimulationOptions& options,
                                  const std::function<void(std::int64_t)>& progress = {});

}  // namespace motcua::services
