// The guard refuses to start over a route whose permission is unknown, and
// refuses anonymous callers on every non-public route.
#include <gtest/gtest.h>

#include "api/access_guard.hpp"
#include "http/error_table.hpp"
#include "store/store.hpp"

namespace motcua {
namespace {

http::Response ok_handler(const http::Request&) { return http::json_response(200, "{}"); }

struct Fixture : ::testing::Test {
  void SetUp() override {
    auto opened = store::open_store("sqlite::memory:");
    ASSERT_TRUE(opened.ok());
    db = std::move(*opened);
    ASSERT_TRUE(db->migrate().ok());
    accounts = std::make_unique<services::AccountService>(
        db->accounts(), [](std::string_view) { return std::optional<std::string>("01"); });
    guard = std::make_shared<api::AccessGuard>(
        *accounts, [](std::string_view) { return std::optional<std::string>("01"); });
  }
  std::unique_ptr<store::Store> db;
  std::unique_ptr<services::AccountService> accounts;
  std::shared_ptr<api::AccessGuard> guard;
};

TEST_F(Fixture, ARouteNamingAnUnknownPermissionDoesNotStart) {
  http::Router router;
  router.add("GET", "/a", "public", ok_handler);
  router.add("POST", "/b", "dossier.teleport", ok_handler);
  try {
    api::install_access_guard(router, guard);
    FAIL() << "installed over an unknown permission";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("POST /b"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("dossier.teleport"), std::string::npos) << e.what();
  }
}

TEST_F(Fixture, AnonymousCallersReachPublicRoutesOnly) {
  http::Router router;
  router.add("GET", "/open", "public", ok_handler);
  router.add("GET", "/closed", "dossier.read", ok_handler);
  router.add("GET", "/me", "self", ok_handler);
  api::install_access_guard(router, guard);
  http::Request req;
  req.method = "GET";
  req.path = "/open";
  EXPECT_EQ(router.dispatch(req).status, 200);
  for (const char* path : {"/closed", "/me"}) {
    req.path = path;
    EXPECT_EQ(router.dispatch(req).status, 401) << path;
  }
  req.headers = {{"authorization", "Bearer not-a-real-token-not-a-real-token-not-a-"}};
  EXPECT_EQ(router.dispatch(req).status, 401);
}

TEST_F(Fixture, AStaffTokenPassesWithinItsUnitAndNotBeyond) {
  services::NewUser u;
  u.username = "clerk.one";
  u.display_name = "Clerk";
  u.roles = {"receiving_officer"};
  u.unit_code = "00004";
  u.password = "clerk-password-1";
  ASSERT_TRUE(accounts->create_user(nullptr, u).ok());
  long retry = 0;
  auto login = accounts->login("clerk.one", "clerk-password-1", "bearer", "127.0.0.1", retry);
  ASSERT_TRUE(login.ok());
  http::Router router;
  router.add("GET", "/units/{unit}/dossiers", "dossier.read", [](const http::Request& req) {
    const auto* s = api::session_of(req);
    return http::json_response(200, s ? s->principal.username : "none");
  });
  api::install_access_guard(router, guard);
  http::Request req;
  req.method = "GET";
  req.headers = {{"authorization", "Bearer " + login->token}};
  req.path = "/units/00004/dossiers";
  auto r = router.dispatch(req);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "clerk.one");
  req.path = "/units/00008/dossiers";
  EXPECT_EQ(router.dispatch(req).status, 403);
}

}  // namespace
}  // namespace motcua
