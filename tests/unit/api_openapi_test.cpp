// Keeps the router and the OpenAPI document in step: every route is documented
// and every documented operation is routed.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>

#include "api/system_api.hpp"
#include "api/units_api.hpp"

namespace motcua {
namespace {

std::string to_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(OpenApi, EveryRouteIsDocumentedAndEveryOperationRouted) {
  units::ReferenceData data;
  data.versions.push_back({"01", units::Level::kProvince, "", "", "Hà Nội", "Thành phố Hà Nội", "",
                           "", "thanh_pho_tw", "2025-07-01", ""});
  services::UnitService svc(std::move(data));
  http::Router router;
  api::add_system_routes(router, {"sqlite", [] { return ok(); }, [] { return std::string(); }, "t"});
  api::add_unit_routes(router, svc);

  std::set<std::pair<std::string, std::string>> routed;
  for (const auto& [method, pattern] : router.routes()) routed.insert({to_lower(method), pattern});

  auto doc = boost::json::parse(api::openapi_document()).as_object();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : doc.at("paths").as_object())
    for (const auto& [method, op] : item.as_object()) {
      documented.insert({std::string(method), std::string(path)});
      EXPECT_TRUE(op.as_object().contains("responses")) << method << " " << path;
    }
  EXPECT_EQ(routed, documented);
}

}  // namespace
}  // namespace motcua
