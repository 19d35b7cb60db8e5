// The working-day calendar as a service: the computed holidays, each year's
// government decision (edited by an administrator, stored in the `calendar`
// area) and each unit's working hours and receipt cut-off.
//
// The calendars live in an immutable Snapshot held by an atomically swapped
// shared_ptr: readers load it and compute without a lock, so a due time never
// waits for an administrator's edit. An edit is checked, written to the store,
// and only then published as a new Snapshot (rebuilding only the calendars it
// changes). Units share one WorkingCalendar per distinct set of hours.
//
// A unit's settings: its own row, else its province's row (for a commune),
// else the default (07:30-11:30, 13:00-17:00, receipt until 17:00).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "domain/calendar/holidays.hpp"
#include "domain/calendar/working_calendar.hpp"
#include "services/unit_service.hpp"
#include "store/calendar_store.hpp"

namespace motcua::services {

enum class DueKind { kWorkingDays, kWorkingHours, kCalendarDays };

// "working_days", "working_hours", "calendar_days".
const char* due_kind_name(DueKind kind);

struct UnitCalendarSettings {
  calendar::WorkingHours hours;
  std::optional<calendar::TimeOfDay> receipt_cutoff;  // unset: the end of the working day

  friend bool operator==(const UnitCalendarSettings& a, const UnitCalendarSettings& b) {
    return a.hours.morning_start == b.hours.morning_start &&
           a.hours.morning_end == b.hours.morning_end &&
           a.hours.afternoon_start == b.hours.afternoon_start &&
           a.hours.afternoon_end == b.hours.afternoon_end && a.receipt_cutoff == b.receipt_cutoff;
  }
};

// The settings a unit computes with, and where they come from.
struct EffectiveSettings {
  std::string unit_code;
  UnitCalendarSettings settings;
  const char* source = "default";                           // "unit", "province" or "default"
  std::optional<store::UnitCalendarSettingsRecord> record;  // the row used, if any
};

// One day of a year's calendar that is not a plain weekend day.
struct CalendarDay {
  calendar::Holiday holiday;
  bool working = false;  // after every rule and decision
};

struct YearView {
  int year = 0;
  std::vector<CalendarDay> days;
  std::optional<store::YearOverridesRecord> overrides;
  EffectiveSettings settings;
};

struct WorkingTime {
  std::chrono::seconds seconds{0};
  std::chrono::seconds day_length{0};  // the unit's working day
};

class CalendarService {
 public:
  // Everything readers need, immutable once published.
  class Snapshot {
   public:
    // The calendar of the unit: it must be a commune or a province in force
    // at `at` (422 naming `unit` otherwise). A hash look-up and a short scan.
    Result<const calendar::WorkingCalendar*> calendar_for(std::string_view unit_code,
                                                          calendar::Instant at) const;
    const calendar::WorkingCalendar& default_calendar() const { return *default_; }
    EffectiveSettings settings_for(const units::UnitVersion& unit) const;

   private:
    friend class CalendarService;
    struct Hash {
      using is_transparent = void;
      std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    using Calendars =
        std::unordered_map<std::string, std::shared_ptr<const calendar::WorkingCalendar>, Hash,
                           std::equal_to<>>;

    // One dated version of a commune or province, with the calendar its
    // settings give; the versions of one code are consecutive in spans_.
    struct UnitSpan {
      std::int64_t from_day;  // local day numbers, [from_day, to_day)
      std::int64_t to_day;
      const calendar::WorkingCalendar* calendar;
    };
    struct SpanRange {
      std::uint32_t first;
      std::uint32_t count;
    };

    const units::Registry* registry_ = nullptr;
    std::vector<UnitSpan> spans_;
    std::unordered_map<std::uint32_t, SpanRange> span_index_;  // by unit_key(code)
    std::map<int, store::YearOverridesRecord> overrides_;
    std::map<std::string, store::UnitCalendarSettingsRecord, std::less<>> settings_;
    std::shared_ptr<const calendar::WorkingCalendar> default_;
    Calendars by_unit_;  // units with a row of their own
  };

  // Reads the decisions and the settings from `store` and builds the
  // calendars (years first_year..last_year of CalendarConfig's default).
  static Result<std::unique_ptr<CalendarService>> create(store::CalendarStore& store,
                                                         const UnitService& units);

  std::shared_ptr<const Snapshot> snapshot() const { return snapshot_.load(); }
  // While held, no change lands: a change writes its mark for the counters
  // and publishes its calendars under this lock, so a recount that reads the
  // marks and takes snapshot() under it counts with every marked change.
  std::unique_lock<std::mutex> hold_changes() const { return std::unique_lock(write_mutex_); }
  // The calendars as the store holds them now, built apart and not
  // published: another process (a second server, `stats rebuild`) may have
  // changed them since this one read them.
  Result<std::shared_ptr<const Snapshot>> stored_snapshot() const;
  // Publishes the calendars the store holds when another process (a second
  // server on the database) changed them; true when it did. It then marks
  // the counters, so that what this process counted with its old calendars
  // meanwhile is recounted: after publishing, as every write counted with
  // the old ones (DossierService::run_act) is then committed before the mark
  // (the mark waits for the batch in flight: on SQLite for the write lock, on
  // PostgreSQL for the one writing session the store's areas share). It
  // marks them before publishing too, so a process stopping in between
  // leaves a mark. A mark that could not be written is tried again next time.
  Result<bool> refresh();

  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }

  // Due time of `n` units of `kind` for a dossier of `unit_code` received at
  // `received`; the clock stops during `pauses` (working days and hours only:
  // calendar days take no pauses). Errors name "unit", "from", "n" or "pauses".
  Result<calendar::Instant> due(std::string_view unit_code, calendar::Instant received, int n,
                                DueKind kind,
                                std::span<const calendar::Interval> pauses = {}) const;
  // Where the budget of `kind` starts to run (for calendar days: midnight
  // after the receipt date).
  Result<calendar::Instant> clock_start(std::string_view unit_code, calendar::Instant received,
                                        DueKind kind) const;
  // Working time in [from, to) outside the pauses; errors name "unit", "from", "to".
  Result<WorkingTime> working_time(std::string_view unit_code, calendar::Instant from,
                                   calendar::Instant to,
                                   std::span<const calendar::Interval> pauses = {}) const;

  // The year's holidays, compensatory days and decisions, for `unit_code`
  // (empty: the default settings). Errors name "year" or "unit".
  Result<YearView> year(int year, std::string_view unit_code = {}) const;

  // The stored decision of `year`, if any.
  Result<std::optional<store::YearOverridesRecord>> overrides(int year) const;
  // Checks the decision (400 naming the field: "tet_days[1]", "days_off[0].date", ...),
  // stores it in place of the year's previous one, and publishes it.
  Result<store::YearOverridesRecord> set_overrides(calendar::YearOverrides overrides,
                                                   std::string actor);

  // A unit's settings (404 naming "code" for an unknown code, 422 for a
  // district).
  Result<EffectiveSettings> unit_settings(std::string_view unit_code) const;
  // Checks the hours (400 naming "morning_start", ..., "receipt_cutoff"),
  // stores them and publishes them.
  Result<EffectiveSettings> set_unit_settings(std::string_view unit_code,
                                              UnitCalendarSettings settings, std::string actor);

 private:
  CalendarService(store::CalendarStore& store, const UnitService& units)
      : store_(store), units_(units) {}

  // A new snapshot from `overrides` and `settings`, reusing `previous`'s
  // calendars when the decisions did not change.
  Result<std::shared_ptr<const Snapshot>> build(
      std::map<int, store::YearOverridesRecord> overrides,
      std::map<std::string, store::UnitCalendarSettingsRecord, std::less<>> settings,
      const Snapshot* previous) const;
  Result<const units::UnitVersion*> calendar_unit(std::string_view unit_code) const;
  // The counters' mark of a change (write_mutex_ held): unique to it.
  std::string change_mark(const std::string& what);
  struct Stored {
    std::map<int, store::YearOverridesRecord> overrides;
    std::map<std::string, store::UnitCalendarSettingsRecord, std::less<>> settings;
  };
  Result<Stored> stored() const;

  store::CalendarStore& store_;
  const UnitService& units_;
  int first_year_ = 0;
  int last_year_ = 0;
  std::atomic<std::shared_ptr<const Snapshot>> snapshot_;
  mutable std::mutex write_mutex_;  // one administrator's edit at a time
  std::uint64_t changes_ = 0;       // this process's changes, for unique marks
  std::string process_tag_;         // random, made with the first mark
  std::string mark_owed_;           // refresh()'s mark, not written yet
};

// The field-by-field check behind set_overrides, exposed for tests.
Result<void> check_overrides(const calendar::YearOverrides& overrides);
// The check behind set_unit_settings.
Result<void> check_settings(const UnitCalendarSettings& settings);

}  // namespace motcua::services
