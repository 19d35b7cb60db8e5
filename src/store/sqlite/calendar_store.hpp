// The calendar area on SQLite.
#pragma once

#include "store/calendar_store.hpp"
#include "store/sqlite/database.hpp"

namespace motcua::store::sqlite {

class SqliteCalendarStore final : public CalendarStore {
 public:
  explicit SqliteCalendarStore(Database& db) : db_(db) {}

  Result<std::vector<YearOverridesRecord>> year_overrides() override;
  Result<void> put_year_overrides(const YearOverridesRecord& record,
                                  const std::string& counters_mark) override;
  Result<std::vector<UnitCalendarSettingsRecord>> unit_settings() override;
  Result<void> put_unit_settings(const UnitCalendarSettingsRecord& record,
                                 const std::string& counters_mark) override;
  Result<void> mark_counters(const std::string& counters_mark) override;

 private:
  Database& db_;
};

}  // namespace motcua::store::sqlite
