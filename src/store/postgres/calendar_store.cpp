#include "store/postgres/calendar_store.hpp"

#include <charconv>

#include "store/calendar_rows.hpp"

namespace motcua::store::postgres {
namespace {

// After a `changed` CTE: leaves parameter `mark` as a mark for the counters,
// in the same statement (one transaction), when there are any.
std::string mark_counters_sql(int mark) {
  return " INSERT INTO stats_rebuild_due (reason) SELECT $" + std::to_string(mark) +
         " FROM changed WHERE EXISTS (SELECT 1 FROM stats_daily) ON CONFLICT (reason) DO NOTHING";
}

std::string text(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}

std::int64_t number(const PGresult* r, int row, int col) {
  std::int64_t v = 0;
  const char* s = PQgetvalue(r, row, col);
  std::from_chars(s, s + PQgetlength(r, row, col), v);
  return v;
}

}  // namespace

// Times travel as epoch seconds, so no time zone setting of the session can
// shift them.
Result<std::vector<YearOverridesRecord>> PostgresCalendarStore::year_overrides() {
  return db_.run<std::vector<YearOverridesRecord>>(
      [](Connection& c) -> Result<std::vector<YearOverridesRecord>> {
        auto r = c.query(
            "SELECT year, decision::text, changed_by, extract(epoch FROM changed_at)::bigint"
            " FROM calendar_year_overrides ORDER BY year");
        if (!r) return r.error();
        const PGresult* res = r->get();
        std::vector<YearOverridesRecord> out;
        for (int i = 0; i < PQntuples(res); ++i) {
          const int year = static_cast<int>(number(res, i, 0));
          auto overrides = overrides_from_document(year, text(res, i, 1));
          if (!overrides) return overrides.error();
          out.push_back({std::move(*overrides), text(res, i, 2), {number(res, i, 3)}});
        }
        return out;
      });
}

Result<void> PostgresCalendarStore::put_year_overrides(const YearOverridesRecord& record,
                                                       const std::string& counters_mark) {
  const std::vector<std::string> params = {
      std::to_string(record.overrides.year), overrides_document(record.overrides),
      record.changed_by, std::to_string(record.changed_at.epoch_seconds), counters_mark};
  return db_.run<void>([&](Connection& c) -> Result<void> {
    static const std::string sql =
        "WITH changed AS (INSERT INTO calendar_year_overrides (year, decision, changed_by,"
        " changed_at) VALUES ($1::integer, $2::jsonb, $3, to_timestamp($4::bigint))"
        " ON CONFLICT (year) DO UPDATE SET decision = excluded.decision,"
        " changed_by = excluded.changed_by, changed_at = excluded.changed_at RETURNING 1)" +
        mark_counters_sql(5);
    auto r = c.query(sql.c_str(), params);
    if (!r) return r.error();
    return ok();
  });
}

Result<std::vector<UnitCalendarSettingsRecord>> PostgresCalendarStore::unit_settings() {
  return db_.run<std::vector<UnitCalendarSettingsRecord>>(
      [](Connection& c) -> Result<std::vector<UnitCalendarSettingsRecord>> {
        auto r = c.query(
            "SELECT unit_code, morning_start, morning_end, afternoon_start, afternoon_end,"
            " coalesce(receipt_cutoff, -1), changed_by, extract(epoch FROM changed_at)::bigint"
            " FROM calendar_unit_settings ORDER BY unit_code");
        if (!r) return r.error();
        const PGresult* res = r->get();
        std::vector<UnitCalendarSettingsRecord> out;
        for (int i = 0; i < PQntuples(res); ++i) {
          UnitCalendarSettingsRecord s;
          s.unit_code = text(res, i, 0);
          s.hours.morning_start.minutes = static_cast<int>(number(res, i, 1));
          s.hours.morning_end.minutes = static_cast<int>(number(res, i, 2));
          s.hours.afternoon_start.minutes = static_cast<int>(number(res, i, 3));
          s.hours.afternoon_end.minutes = static_cast<int>(number(res, i, 4));
          if (const auto cutoff = number(res, i, 5); cutoff >= 0) {
            s.receipt_cutoff = calendar::TimeOfDay{static_cast<int>(cutoff)};
          }
          s.changed_by = text(res, i, 6);
          s.changed_at = {number(res, i, 7)};
          out.push_back(std::move(s));
        }
        return out;
      });
}

Result<void> PostgresCalendarStore::put_unit_settings(const UnitCalendarSettingsRecord& record,
                                                      const std::string& counters_mark) {
  const auto& h = record.hours;
  const std::vector<std::string> params = {
      record.unit_code,
      std::to_string(h.morning_start.minutes),
      std::to_string(h.morning_end.minutes),
      std::to_string(h.afternoon_start.minutes),
      std::to_string(h.afternoon_end.minutes),
      record.receipt_cutoff ? std::to_string(record.receipt_cutoff->minutes) : std::string(),
      record.changed_by,
      std::to_string(record.changed_at.epoch_seconds),
      counters_mark};
  return db_.run<void>([&](Connection& c) -> Result<void> {
    static const std::string sql =
        "WITH changed AS (INSERT INTO calendar_unit_settings (unit_code, morning_start, "
        "morning_end,"
        " afternoon_start, afternoon_end, receipt_cutoff, changed_by, changed_at)"
        " VALUES ($1, $2::integer, $3::integer, $4::integer, $5::integer,"
        " nullif($6, '')::integer, $7, to_timestamp($8::bigint))"
        " ON CONFLICT (unit_code) DO UPDATE SET"
        " morning_start = excluded.morning_start, morning_end = excluded.morning_end,"
        " afternoon_start = excluded.afternoon_start, afternoon_end = excluded.afternoon_end,"
        " receipt_cutoff = excluded.receipt_cutoff, changed_by = excluded.changed_by,"
        " changed_at = excluded.changed_at RETURNING 1)" +
        mark_counters_sql(9);
    auto r = c.query(sql.c_str(), params);
    if (!r) return r.error();
    return ok();
  });
}

Result<void> PostgresCalendarStore::mark_counters(const std::string& counters_mark) {
  return db_.run<void>([&](Connection& c) -> Result<void> {
    auto r = c.query(
        "INSERT INTO stats_rebuild_due (reason) SELECT $1 WHERE EXISTS (SELECT 1 FROM stats_daily)"
        " ON CONFLICT (reason) DO NOTHING",
        {counters_mark});
    if (!r) return r.error();
    return ok();
  });
}

}  // namespace motcua::store::postgres
