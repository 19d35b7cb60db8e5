#include "store/sqlite/calendar_store.hpp"

#include "store/calendar_rows.hpp"

namespace motcua::store::sqlite {
namespace {

Result<calendar::Instant> instant_of(const std::string& text) {
  auto t = calendar::parse_rfc3339(text);
  if (!t) {
    return make_error(ErrorKind::kInternal, "Thời điểm thay đổi lịch bị hỏng: " + text,
                      "A stored calendar change time is corrupt: " + text);
  }
  return *t;
}

// Leaves `mark` for the counters when there are any (a fresh database has
// nothing to recompute).
Result<void> leave_mark(Connection& c, const std::string& mark) {
  auto stmt = c.cached(
      "INSERT INTO stats_rebuild_due (reason) SELECT ?1 WHERE EXISTS (SELECT 1 FROM stats_daily)"
      " ON CONFLICT (reason) DO NOTHING");
  if (!stmt) return stmt.error();
  StatementUse use(**stmt);
  use->bind(1, mark);
  if (use->step() != SQLITE_DONE) {
    return c.error("đánh dấu số liệu cần tính lại", "marking the counters for recomputing");
  }
  return ok();
}

}  // namespace

Result<std::vector<YearOverridesRecord>> SqliteCalendarStore::year_overrides() {
  return db_.with([](Connection& c) -> Result<std::vector<YearOverridesRecord>> {
    auto stmt = c.cached(
        "SELECT year, decision, changed_by, changed_at FROM calendar_year_overrides ORDER BY year");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    std::vector<YearOverridesRecord> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) {
      const int year = static_cast<int>(use->column_int(0));
      auto overrides = overrides_from_document(year, use->column_text(1));
      if (!overrides) return overrides.error();
      auto at = instant_of(use->column_text(3));
      if (!at) return at.error();
      out.push_back({std::move(*overrides), use->column_text(2), *at});
    }
    if (rc != SQLITE_DONE) return c.error("đọc bảng ngày nghỉ", "reading the holiday tables");
    return out;
  });
}

Result<void> SqliteCalendarStore::put_year_overrides(const YearOverridesRecord& record,
                                                     const std::string& counters_mark) {
  const std::string document = overrides_document(record.overrides);
  const std::string at = calendar::to_rfc3339(record.changed_at);
  return db_.with([&](Connection& c) -> Result<void> {
    auto tx = Transaction::begin(c, true);
    if (!tx) return tx.error();
    auto stmt = c.cached(
        "INSERT INTO calendar_year_overrides (year, decision, changed_by, changed_at)"
        " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (year) DO UPDATE SET decision = excluded.decision,"
        " changed_by = excluded.changed_by, changed_at = excluded.changed_at");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, std::int64_t{record.overrides.year});
    use->bind(2, document);
    use->bind(3, record.changed_by);
    use->bind(4, at);
    if (use->step() != SQLITE_DONE) {
      return c.error("ghi bảng ngày nghỉ", "writing the holiday table");
    }
    if (auto r = leave_mark(c, counters_mark); !r) return r;
    return tx->commit();
  });
}

Result<std::vector<UnitCalendarSettingsRecord>> SqliteCalendarStore::unit_settings() {
  return db_.with([](Connection& c) -> Result<std::vector<UnitCalendarSettingsRecord>> {
    auto stmt = c.cached(
        "SELECT unit_code, morning_start, morning_end, afternoon_start, afternoon_end,"
        " coalesce(receipt_cutoff, -1), changed_by, changed_at"
        " FROM calendar_unit_settings ORDER BY unit_code");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    std::vector<UnitCalendarSettingsRecord> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) {
      UnitCalendarSettingsRecord r;
      r.unit_code = use->column_text(0);
      r.hours.morning_start.minutes = static_cast<int>(use->column_int(1));
      r.hours.morning_end.minutes = static_cast<int>(use->column_int(2));
      r.hours.afternoon_start.minutes = static_cast<int>(use->column_int(3));
      r.hours.afternoon_end.minutes = static_cast<int>(use->column_int(4));
      if (const auto cutoff = use->column_int(5); cutoff >= 0) {
        r.receipt_cutoff = calendar::TimeOfDay{static_cast<int>(cutoff)};
      }
      r.changed_by = use->column_text(6);
      auto at = instant_of(use->column_text(7));
      if (!at) return at.error();
      r.changed_at = *at;
      out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) {
      return c.error("đọc giờ làm việc của đơn vị", "reading the units' working hours");
    }
    return out;
  });
}

Result<void> SqliteCalendarStore::put_unit_settings(const UnitCalendarSettingsRecord& record,
                                                    const std::string& counters_mark) {
  const std::string at = calendar::to_rfc3339(record.changed_at);
  return db_.with([&](Connection& c) -> Result<void> {
    auto tx = Transaction::begin(c, true);
    if (!tx) return tx.error();
    auto stmt = c.cached(
        "INSERT INTO calendar_unit_settings (unit_code, morning_start, morning_end,"
        " afternoon_start, afternoon_end, receipt_cutoff, changed_by, changed_at)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (unit_code) DO UPDATE SET"
        " morning_start = excluded.morning_start, morning_end = excluded.morning_end,"
        " afternoon_start = excluded.afternoon_start, afternoon_end = excluded.afternoon_end,"
        " receipt_cutoff = excluded.receipt_cutoff, changed_by = excluded.changed_by,"
        " changed_at = excluded.changed_at");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, record.unit_code);
    use->bind(2, std::int64_t{record.hours.morning_start.minutes});
    use->bind(3, std::int64_t{record.hours.morning_end.minutes});
    use->bind(4, std::int64_t{record.hours.afternoon_start.minutes});
    use->bind(5, std::int64_t{record.hours.afternoon_end.minutes});
    // Left unbound, ?6 is NULL: the end of the working day.
    if (record.receipt_cutoff) use->bind(6, std::int64_t{record.receipt_cutoff->minutes});
    use->bind(7, record.changed_by);
    use->bind(8, at);
    if (use->step() != SQLITE_DONE) {
      return c.error("ghi giờ làm việc của đơn vị", "writing a unit's working hours");
    }
    if (auto r = leave_mark(c, counters_mark); !r) return r;
    return tx->commit();
  });
}

Result<void> SqliteCalendarStore::mark_counters(const std::string& counters_mark) {
  return db_.with([&](Connection& c) -> Result<void> {
    auto tx = Transaction::begin(c, true);
    if (!tx) return tx.error();
    if (auto r = leave_mark(c, counters_mark); !r) return r;
    return tx->commit();
  });
}

}  // namespace motcua::store::sqlite
