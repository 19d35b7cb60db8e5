// Storage area `calendar`: each year's government decision on holidays (the
// YearOverrides of the domain) and each unit's working hours and receipt
// cut-off, with who last changed a row and when. The store keeps what it is
// given; CalendarService validates before it writes.
//
// A change of either can change what the operations centre counted for the
// dossiers already finished (their working time): each write leaves
// `counters_mark` in stats_rebuild_due, in its own transaction, when there
// are counters, so they are recomputed (StatsService::rebuild_if_due). The
// mark must be unique to the change: a rebuild clears only the marks it saw.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/calendar/civil_date.hpp"
#include "domain/calendar/holidays.hpp"
#include "domain/calendar/working_calendar.hpp"

namespace motcua::store {

// One row per year.
struct YearOverridesRecord {
  calendar::YearOverrides overrides;
  std::string changed_by;
  calendar::Instant changed_at;

  friend bool operator==(const YearOverridesRecord&, const YearOverridesRecord&) = default;
};

// One row per unit code (a commune or a province). A unit without a row uses
// the default settings.
struct UnitCalendarSettingsRecord {
  std::string unit_code;
  calendar::WorkingHours hours;
  std::optional<calendar::TimeOfDay> receipt_cutoff;  // unset: the end of the working day
  std::string changed_by;
  calendar::Instant changed_at;

  friend bool operator==(const UnitCalendarSettingsRecord&,
                         const UnitCalendarSettingsRecord&) = default;
};

class CalendarStore {
 public:
  virtual ~CalendarStore() = default;

  // Every stored year, oldest first.
  virtual Result<std::vector<YearOverridesRecord>> year_overrides() = 0;
  // Inserts the row of record.overrides.year or replaces it.
  virtual Result<void> put_year_overrides(const YearOverridesRecord& record,
                                          const std::string& counters_mark) = 0;

  // Every unit's settings, by unit code.
  virtual Result<std::vector<UnitCalendarSettingsRecord>> unit_settings() = 0;
  // Inserts the row of record.unit_code or replaces it.
  virtual Result<void> put_unit_settings(const UnitCalendarSettingsRecord& record,
                                         const std::string& counters_mark) = 0;
  // Leaves `counters_mark` alone: for a change this process learnt of from
  // the store (another process wrote it), after counting with the old calendars.
  virtual Result<void> mark_counters(const std::string& counters_mark) = 0;
};

}  // namespace motcua::store
