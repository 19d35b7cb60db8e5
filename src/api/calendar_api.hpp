// Handlers of the working-day calendar:
//   GET /api/v1/calendar/{year}                 public: holidays, swapped days, hours
//   GET /api/v1/calendar/due                    public: due time from a receipt
//   GET /api/v1/calendar/working-time           public: working time between two instants
//   GET/PUT /api/v1/calendar/{year}/overrides   the year's government decision (PUT:
//   calendar.admin) GET/PUT /api/v1/units/{code}/calendar-settings   a unit's hours (PUT:
//   calendar.admin)
#pragma once

#include "http/router.hpp"
#include "services/calendar_service.hpp"

namespace motcua::api {

void add_calendar_routes(http::Router& router, services::CalendarService& calendar);

}  // namespace motcua::api
