// The access guard the router runs before every handler: who is asking (a
// bearer token, or the session cookie with its CSRF token on state changes),
// and whether the route's permission allows them here.
//
// Jurisdiction: when a request names its target in the path or the query as
// `unit`/`unit_code` or `province`/`province_code`, the guard checks it (a unit
// is checked with its province). A route whose target is a stored thing (an
// account, a dossier) checks it in its service with access::decide once loaded.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "domain/access/permissions.hpp"
#include "http/router.hpp"
#include "services/account_service.hpp"
#include "services/password_hash.hpp"

namespace motcua::api {

inline constexpr const char* kSessionCookie = "motcua_session";
inline constexpr const char* kCsrfCookie = "motcua_csrf";
inline constexpr const char* kCsrfHeader = "x-csrf-token";

class AccessGuard {
 public:
  AccessGuard(services::AccountService& accounts, services::ProvinceOf province_of)
      : accounts_(accounts), province_of_(std::move(province_of)) {}

  std::optional<http::Response> check(http::Request& req, const std::string& permission) const;

 private:
  services::AccountService& accounts_;
  services::ProvinceOf province_of_;
};

// Refuses to start (std::logic_error naming the route) if a route names a
// permission the table does not know; then installs the guard.
void install_access_guard(http::Router& router, std::shared_ptr<const AccessGuard> guard);

// The signed-in session of a request that passed the guard, or nullptr.
const services::AuthSession* session_of(const http::Request& req);

// The credentials a request carries: the bearer token, else the session cookie.
struct Credentials {
  std::string token;
  bool from_cookie = false;
};
std::optional<Credentials> credentials_of(const http::Request& req);

}  // namespace motcua::api
