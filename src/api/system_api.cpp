#include "api/system_api.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/object.hpp>
#include <memory>

#include "http/error_table.hpp"
#include "http/metrics.hpp"

namespace motcua::api {

void add_system_routes(http::Router& router, SystemHooks hooks) {
  auto h = std::make_shared<SystemHooks>(std::move(hooks));
  router.add("GET", "/healthz", "public", [h](const http::Request& req) {
    auto r = h->ping();
    if (!r) return http::problem(r.error(), req.path);
    boost::json::object o;
    o["status"] = "ok";
    o["database"] = h->database;
    o["version"] = h->version;
    return http::json_response(200, boost::json::serialize(o));
  });
  router.add("GET", "/metrics", "public", [h](const http::Request&) {
    http::Response res;
    res.content_type = std::string(http::kMetricsContentType);
    res.body = h->metrics();
    return res;
  });
  router.add("GET", "/api/v1/openapi.json", "public", [](const http::Request&) {
    return http::json_response(200, openapi_document());
  });
}

}  // namespace motcua::api
