// Handlers of /api/v1/units: search, one unit with its history, resolve.
#pragma once

#include "http/router.hpp"
#include "services/unit_service.hpp"

namespace motcua::api {

void add_unit_routes(http::Router& router, const services::UnitService& units);

}  // namespace motcua::api
