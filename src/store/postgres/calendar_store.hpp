// The calendar area on PostgreSQL.
#pragma once

#include "store/calendar_store.hpp"
#include "store/postgres/database.hpp"

namespace motcua::store::postgres {

class PostgresCalendarStore final : public CalendarStore {
 public:
  explicit PostgresCalendarStore(Database& db) : db_(db) {}

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

}  // namespace motcua::store::postgres
