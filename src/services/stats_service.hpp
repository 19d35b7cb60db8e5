// The operations centre: indicators of a commune, a province or the nation
// over any range, the 766 service index, communes ranked within their
// province, warnings and the 14-working-day forecast.
//
// Figures come from the counters table (one row per unit and day, kept in the
// dossiers' own transactions), so a query reads units x days rows and never
// the dossiers; "overdue now" and the warning lists read only the open
// dossiers past due through a partial index. rebuild() and verify() recompute
// the counters from the dossiers themselves.
//
// Access: stats.read at the scope of the unit asked (the nation needs the
// national scope); a province's own agencies (scope own) are reached as a unit
// at the province's code, so its own staff read them, not its communes.
// Nothing returned carries personal data.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/access/principal.hpp"
#include "domain/stats/dossier_list.hpp"
#include "domain/stats/forecast.hpp"
#include "domain/stats/indicators.hpp"
#include "domain/stats/period.hpp"
#include "domain/stats/unit_scope.hpp"
#include "services/account_service.hpp"
#include "services/calendar_service.hpp"
#include "services/catalog_service.hpp"
#include "services/unit_service.hpp"
#include "store/dossiers_store.hpp"

namespace motcua::services {

// The unit a figure is asked of: a code and, for a province, all its
// dossiers or only its own agencies' (stats/unit_scope.hpp).
struct UnitAsked {
  std::string code;
  stats::UnitScope scope = stats::UnitScope::kAll;
  UnitAsked(std::string c, stats::UnitScope s = stats::UnitScope::kAll)
      : code(std::move(c)), scope(s) {}
  UnitAsked(const char* c) : code(c) {}
};

struct StatsUnit {
  std::string code;  // "VN" for the nation
  // "nation", "province", "commune", or "province_agencies": the dossiers
  // whose competent unit is the province itself (scope own, or its row
  // among the province's communes).
  std::string level;
  std::string name, name_en;
  std::string province_code;  // "" for the nation
};

struct UnitFigures {
  StatsUnit unit;
  stats::Range range;
  stats::Indicators indicators;
  stats::ServiceIndex index;
  std::optional<int> rank;  // among the communes of its province (children())
};

struct SeriesDay {
  std::int64_t day = 0;
  stats::Counters counters;  // those of kSeriesCounters; the others are 0
};
// What a daily series carries: the chart's counters. Reading only these
// reads a quarter of each row's columns.
inline constexpr stats::Counter kSeriesCounters[] = {
    stats::Counter::kReceived, stats::Counter::kReceivedOnline, stats::Counter::kReceivedPortal,
    stats::Counter::kFinished, stats::Counter::kOnTime,         stats::Counter::kLate};

struct WatchedDossier {
  std::string code, procedure_code, procedure_name, competent_unit, state;
  std::int64_t due_at = 0;
};

struct UnitWarning {
  StatsUnit unit;
  std::string kind;  // "on_time_falling", "backlog_spike"
  double before = 0, now = 0;
  std::string message_vi, message_en;
};

struct Warnings {
  StatsUnit unit;
  std::vector<WatchedDossier> due_soon;  // within one working day, soonest first
  std::vector<WatchedDossier> overdue;   // most overdue first
  // How many there are in all: each list holds at most the limit asked for.
  std::int64_t due_soon_total = 0, overdue_total = 0;
  std::vector<UnitWarning> units;
};

// How many dossiers each list of the warnings names at most.
inline constexpr std::size_t kWatchLimit = 100, kWatchLimitMax = 1000;

// One dossier of a figure's list: what a leader needs to follow it up, and
// nothing personal (the applicant is not named).
struct ListedDossier {
  std::string code, procedure_code, procedure_name, channel, state;
  std::optional<std::int64_t> received_at, finished_at;  // epoch seconds
  std::optional<std::int64_t> due_at;  // effective: the legal due time pushed back by pauses
  std::string time_status;             // dossier::time_status_name, now
  int supplement_requests = 0;         // after receipt
};

// The dossiers behind one figure of a commune over a range, ordered as the
// figure is read: the newest receipt or finish first; the open and overdue
// soonest due first.
struct DossierList {
  StatsUnit unit;
  stats::Range range;
  stats::ListKind kind = stats::ListKind::kReceived;
  std::int64_t total = 0;
  std::size_t offset = 0;
  std::vector<ListedDossier> items;  // at most the limit asked for, from `offset`
};

inline constexpr std::size_t kListLimit = 50, kListLimitMax = 1000;

struct ForecastDay {
  std::int64_t day = 0;
  double expected = 0;
  int staff = 0;
};

struct UnitForecast {
  StatsUnit unit;
  std::vector<ForecastDay> days;
  std::optional<stats::ForecastError> error;
  double per_staff = 0;
  int history_days = 0;                      // working days the forecast and its error stand on
  std::optional<std::int64_t> history_from;  // the first of them (none: no history)
};

class StatsService {
 public:
  using Clock = std::function<calendar::Instant()>;
  StatsService(store::StatsStore& stats, store::DossiersStore& dossiers, const UnitService& units,
               const CalendarService& calendar, const CatalogService& catalog,
               ProvinceOf province_of, Clock clock = {});

  // Today's local day number (for default periods).
  std::int64_t today() const;

  Result<UnitFigures> figures(const access::Principal& who, const UnitAsked& unit,
                              const stats::Range& range) const;
  // The provinces of the nation, or the communes of a province (ranked by
  // index score) plus, as its own row, the province's agencies.
  Result<std::vector<UnitFigures>> children(const access::Principal& who, const UnitAsked& unit,
                                            const stats::Range& range) const;
  Result<std::vector<SeriesDay>> series(const access::Principal& who, const UnitAsked& unit,
                                        const stats::Range& range) const;
  Result<Warnings> warnings(const access::Principal& who, const UnitAsked& unit,
                            std::size_t limit = kWatchLimit) const;
  Result<UnitForecast> forecast(const access::Principal& who, const UnitAsked& unit,
                                double per_staff) const;
  // A commune's (or a province's own agencies') dossiers counted by figure
  // `kind` over `range` (the province and the nation list through their
  // communes); `limit` 0: all of them. Reads every dossier of the unit in
  // the states the list can hold.
  Result<DossierList> dossier_list(const access::Principal& who, const UnitAsked& unit,
                                   const stats::Range& range, stats::ListKind kind,
                                   std::size_t offset, std::size_t limit) const;

  // A dossier row whose indexed due times are not the ones its body gives
  // with the calendars counted by: its live due time (what "overdue now"
  // and the sweep read) `stored`, where `recomputed` is right. A calendar
  // change moves the due time of a dossier whose supplement pause it spans.
  struct LiveDueDifference {
    std::string dossier_id;
    std::optional<std::int64_t> stored, recomputed;
    std::int64_t version = 0;            // the row's, as read
    std::optional<std::int64_t> due_at;  // the indexed due time that goes with `recomputed`
  };
  // Recomputes every counter from the dossiers; rebuild() stores them,
  // verify() returns the rows where the table differs (empty: identical).
  // Reading every dossier anyway, the recomputation also checks each row's
  // live due time into `live` when given. With the calendars of `calendars`
  // (the ones in force when null).
  Result<std::vector<stats::Row>> recompute(
      std::vector<LiveDueDifference>* live = nullptr,
      std::shared_ptr<const CalendarService::Snapshot> calendars = nullptr) const;
  // The recomputed rows and the stored daily (and monthly) rows, read in one snapshot.
  struct Counted {
    std::vector<stats::Row> fresh, days, months;
  };
  Result<Counted> counted(std::vector<LiveDueDifference>* live, bool with_months,
                          std::shared_ptr<const CalendarService::Snapshot> calendars = nullptr) const;
  // Recomputes and replaces every counter (while dossiers change: a few
  // tries, then kConflict), and clears the marks that were due.
  Result<std::size_t> rebuild() const;
  // rebuild() if an upgrade (migration 17) or a calendar change left the
  // counters to recompute: the marks it cleared, empty when there was none.
  // On start-up, before any dossier can change, and then now and then.
  Result<std::vector<std::string>> rebuild_if_due() const;
  struct Difference {
    stats::Key key;  // a month row's key.day is the month's first day
    stats::Counters stored, recomputed;
    bool month = false;  // a row of the monthly rollup
  };
  struct Verification {
    std::vector<Difference> counters;
    std::vector<LiveDueDifference> live_due;
    std::vector<std::string> rebuild_due;  // marks of changes not recounted yet
    bool same() const { return counters.empty() && live_due.empty() && rebuild_due.empty(); }
  };
  Result<Verification> verify() const;

 private:
  // The marks due and the calendars to recount them with, read together.
  Result<std::pair<std::vector<std::string>, std::shared_ptr<const CalendarService::Snapshot>>>
  recount_due() const;
  Result<std::size_t> rebuild(const std::vector<std::string>& due,
                              const std::shared_ptr<const CalendarService::Snapshot>& calendars) const;
  Result<StatsUnit> resolve(const access::Principal& who, const UnitAsked& asked) const;
  stats::Level level_of(const StatsUnit& u) const;
  // Open dossiers past due now, by unit of `level` (a unit, its province, or
  // "VN"); `units` non-empty: only those competent units are counted.
  Result<std::map<std::string, std::int64_t>> overdue_by(stats::Level level,
                                                         const std::vector<std::string>& units) const;
  // The units under `u`: a province's communes and its own agencies, the
  // nation's provinces; none under a commune.
  struct Children {
    stats::Level level = stats::Level::kUnit;
    std::vector<const units::UnitVersion*> units;
    std::vector<std::string> codes;
  };
  Children children_of(const StatsUnit& u) const;
  std::vector<std::string> communes_of(const std::string& province) const;
  StatsUnit unit_ref(const units::UnitVersion& v) const;
  // A child's reference; the province's own row is labelled "province_agencies".
  StatsUnit child_ref(const units::UnitVersion& v, const StatsUnit& parent) const;
  UnitFigures make(StatsUnit u, const stats::Range& r, const stats::Counters& c,
                   std::int64_t open, std::int64_t overdue) const;

  store::StatsStore& stats_;
  store::DossiersStore& dossiers_;
  const UnitService& units_;
  const CalendarService& calendar_;
  const CatalogService& catalog_;
  ProvinceOf province_of_;
  Clock clock_;
};

}  // namespace motcua::services
