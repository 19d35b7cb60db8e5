// JSON of the calendar resources: the year's decision and a unit's hours, both
// ways. Parsing names the field at fault ("days_off[2].date") in a 400 Error.
#pragma once

#include <boost/json/object.hpp>
#include <string_view>

#include "common/result.hpp"
#include "services/calendar_service.hpp"

namespace motcua::api {

// The body of PUT /calendar/{year}/overrides; `year` comes from the path (a
// "year" field, when given, must match it).
Result<calendar::YearOverrides> parse_overrides(int year, std::string_view body);
// The body of PUT /units/{code}/calendar-settings; absent times keep the default.
Result<services::UnitCalendarSettings> parse_settings(std::string_view body);

// {year, tet_days, national_day_adjacent, days_off, working_days, changed_by, changed_at}
boost::json::object overrides_json(int year, const store::YearOverridesRecord* record);
// {morning_start, morning_end, afternoon_start, afternoon_end, receipt_cutoff}
boost::json::object hours_json(const services::UnitCalendarSettings& settings);
// {unit, source, working_hours, changed_by, changed_at}
boost::json::object settings_json(const services::EffectiveSettings& settings);

}  // namespace motcua::api
