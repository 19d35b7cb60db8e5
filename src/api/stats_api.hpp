// /api/v1/stats/...: the operations centre's figures (services/stats_service),
// as JSON, and every table also as CSV or Excel (?format=csv|xlsx).
#pragma once

#include "http/router.hpp"
#include "services/stats_service.hpp"

namespace motcua::api {

void add_stats_routes(http::Router& router, const services::StatsService& stats);

}  // namespace motcua::api
