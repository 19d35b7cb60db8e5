#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <stdexcept>

#include "http/router.hpp"

namespace motcua::http {
namespace {

Handler answer(std::string text) {
  return [text](const Request& req) {
    Response r;
    r.body = text;
    for (const auto& [k, v] : req.params) r.body += "|" + k + "=" + v;
    return r;
  };
}

Request make(std::string method, std::string path) {
  Request r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

Router sample() {
  Router router;
  router.add("GET", "/api/v1/units/{code}", "public", answer("unit"));
  router.add("GET", "/api/v1/units/resolve", "public", answer("resolve"));
  router.add("DELETE", "/api/v1/units/{code}", "public", answer("delete"));
  router.add("GET", "/api/v1/dossiers/{code}/events/{seq}", "public", answer("event"));
  router.add("POST", "/api/v1/dossiers", "public", answer("create"));
  router.add("GET", "/", "public", answer("root"));
  return router;
}

TEST(HttpRouter, LiteralSegmentBeatsPlaceholderWhateverTheOrderOfRegistration) {
  const Router router = sample();
  auto req = make("GET", "/api/v1/units/resolve");
  EXPECT_EQ(router.dispatch(req).body, "resolve");
  auto other = make("GET", "/api/v1/units/00004");
  EXPECT_EQ(router.dispatch(other).body, "unit|code=00004");
}

TEST(HttpRouter, FillsEveryPlaceholderByName) {
  const Router router = sample();
  auto req = make("GET", "/api/v1/dossiers/H29.01.05-250701-0001/events/7");
  EXPECT_EQ(router.dispatch(req).body, "event|code=H29.01.05-250701-0001|seq=7");
  EXPECT_EQ(req.param("seq"), "7");
}

TEST(HttpRouter, FallsBackToThePlaceholderWhenTheLiteralHasNoRouteForTheMethod) {
  const Router router = sample();
  auto req = make("DELETE", "/api/v1/units/resolve");
  EXPECT_EQ(router.dispatch(req).body, "delete|code=resolve");
}

TEST(HttpRouter, UnknownPathIs404Problem) {
  const Router router = sample();
  for (const char* path : {"/api/v1/nothing", "/api/v1/units", "/api/v1/units/",
                           "/api/v1/units/a/b", "/api/v1/dossiers/x/events"}) {
    auto req = make("GET", path);
    std::size_t index = 0;
    const Response r = router.dispatch(req, index);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.content_type, "application/problem+json");
    EXPECT_EQ(index, Router::kNoRoute);
    EXPECT_EQ(boost::json::parse(r.body).at("instance").as_string(), path);
  }
}

TEST(HttpRouter, OtherMethodIs405WithAllowListingEveryMethodOfThePath) {
  const Router router = sample();
  auto req = make("PUT", "/api/v1/units/00004");
  const Response r = router.dispatch(req);
  EXPECT_EQ(r.status, 405);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Allow");
  EXPECT_EQ(r.headers[0].second, "DELETE, GET, HEAD");
  EXPECT_EQ(boost::json::parse(r.body).at("type").as_string(),
            "https://motcua.vn/problems/method-not-allowed");

  auto post = make("GET", "/api/v1/dossiers");
  const Response r2 = router.dispatch(post);
  EXPECT_EQ(r2.status, 405);
  EXPECT_EQ(r2.headers[0].second, "POST");
}

TEST(HttpRouter, HeadUsesTheGetRoute) {
  const Router router = sample();
  auto req = make("HEAD", "/");
  std::size_t index = Router::kNoRoute;
  EXPECT_EQ(router.dispatch(req, index).body, "root");
  EXPECT_EQ(router.routes()[index], (std::pair<std::string, std::string>("GET", "/")));
}

TEST(HttpRouter, ReportsRouteNamesAndRoutes) {
  const Router router = sample();
  const auto name = router.route_name(make("GET", "/api/v1/units/79"));
  ASSERT_NE(name, nullptr);
  EXPECT_EQ(*name, "/api/v1/units/{code}");
  EXPECT_EQ(router.route_name(make("GET", "/nope")), nullptr);
  EXPECT_EQ(router.route_name(make("PATCH", "/api/v1/units/79")), nullptr);
  const auto routes = router.routes();
  ASSERT_EQ(routes.size(), 6u);
  EXPECT_EQ(routes[1], (std::pair<std::string, std::string>("GET", "/api/v1/units/resolve")));
}

TEST(HttpRouter, DispatchReportsTheIndexOfTheRoute) {
  const Router router = sample();
  auto req = make("POST", "/api/v1/dossiers");
  std::size_t index = Router::kNoRoute;
  router.dispatch(req, index);
  EXPECT_EQ(index, 4u);
}

TEST(HttpRouter, ParamsFromAnEarlierDispatchDoNotLinger) {
  const Router router = sample();
  auto req = make("GET", "/api/v1/units/1");
  router.dispatch(req);
  req.path = "/";
  EXPECT_EQ(router.dispatch(req).body, "root");
  EXPECT_TRUE(req.params.empty());
}

TEST(HttpRouter, RejectsBuggyRegistrations) {
  Router router = sample();
  EXPECT_THROW(router.add("GET", "/api/v1/units/{code}", "public", answer("x")), std::logic_error);
  EXPECT_THROW(router.add("GET", "no-slash", "public", answer("x")), std::logic_error);
  EXPECT_THROW(router.add("GET", "/a/{b", "public", answer("x")), std::logic_error);
  EXPECT_THROW(router.add("GET", "/a", "public", Handler()), std::logic_error);
  // A different placeholder name at the same position is a different route.
  EXPECT_NO_THROW(router.add("PUT", "/api/v1/units/{id}", "public", answer("put")));
  auto req = make("PUT", "/api/v1/units/5");
  EXPECT_EQ(router.dispatch(req).body, "put|id=5");
}

}  // namespace
}  // namespace motcua::http

namespace motcua::http {
namespace {

TEST(RouterGuard, RouteWithoutPermissionDoesNotStart) {
  Router router;
  EXPECT_THROW(router.add("GET", "/a", "", [](const Request&) { return Response{}; }),
               std::logic_error);
}

TEST(RouterGuard, GuardSeesThePermissionAndCanRefuse) {
  Router router;
  router.add("GET", "/open", "public", [](const Request&) { return Response{200, "text/plain", "open"}; });
  router.add("GET", "/admin", "catalog.admin", [](const Request&) { return Response{200, "text/plain", "admin"}; });
  std::vector<std::string> seen;
  router.set_guard([&](Request&, const std::string& permission) -> std::optional<Response> {
    seen.push_back(permission);
    if (permission == "public") return std::nullopt;
    return Response{403, "text/plain", "no"};
  });
  Request a;
  a.method = "GET";
  a.path = "/open";
  EXPECT_EQ(router.dispatch(a).body, "open");
  Request b;
  b.method = "GET";
  b.path = "/admin";
  auto r = router.dispatch(b);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(seen, (std::vector<std::string>{"public", "catalog.admin"}));
  EXPECT_EQ(router.permission(1), "catalog.admin");
}

}  // namespace
}  // namespace motcua::http
