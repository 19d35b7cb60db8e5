// /healthz, /metrics and the OpenAPI document.
#pragma once

#include <functional>
#include <string>

#include "common/result.hpp"
#include "http/router.hpp"

namespace motcua::api {

struct SystemHooks {
  std::string database;                  // "sqlite" | "postgresql"
  std::function<Result<void>()> ping;    // storage round trip
  std::function<std::string()> metrics;  // Prometheus text
  std::string version;
};

void add_system_routes(http::Router& router, SystemHooks hooks);

// The OpenAPI 3.1 document served at /api/v1/openapi.json.
const std::string& openapi_document();

}  // namespace motcua::api
