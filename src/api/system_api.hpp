// /healthz, /metrics and the OpenAPI document.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "common/result.hpp"
#include "http/router.hpp"

namespace motcua::api {

struct SystemHooks {
  std::string database;                  // "sqlite" | "postgresql"
  // Storage round trip, run on a thread of its own that waits for the
  // database at most ping_bound (common/wait_bound.hpp): /healthz answers
  // 503 in bounded time when the database stops answering, holding no io thread.
  std::function<Result<void>()> ping;
  std::function<std::string()> metrics;  // Prometheus text
  std::string version;
  std::chrono::milliseconds ping_bound{2000};  // see ping
};

void add_system_routes(http::Router& router, SystemHooks hooks);

// The OpenAPI 3.1 document served at /api/v1/openapi.json.
const std::string& openapi_document();

}  // namespace motcua::api
