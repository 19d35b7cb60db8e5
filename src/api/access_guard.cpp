#include "api/access_guard.hpp"

#include <stdexcept>

#include "http/error_table.hpp"

namespace motcua::api {
namespace {

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

http::Response unauthorized(const http::Request& req, bool had_credentials) {
  auto r = http::problem(
      had_credentials
          ? make_error(ErrorKind::kUnauthorized,
                       "Phiên đăng nhập đã hết hạn hoặc không hợp lệ. Vui lòng đăng nhập lại.",
                       "The session has expired or is not valid. Please sign in again.")
          : make_error(ErrorKind::kUnauthorized, "Cần đăng nhập để dùng chức năng này.",
                       "Sign in to use this."),
      req.path);
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"motcua\"");
  return r;
}

http::Response forbidden(const http::Request& req, const std::string& permission) {
  return http::problem(
      make_error(ErrorKind::kForbidden,
                 "Bạn không có quyền thực hiện việc này (" + permission + ") tại đơn vị này.",
                 "You are not allowed to do this (" + permission + ") here."),
      req.path);
}

bool safe_method(std::string_view m) { return m == "GET" || m == "HEAD" || m == "OPTIONS"; }

std::string_view named(const http::Request& req, std::string_view a, std::string_view b) {
  for (auto name : {a, b}) {
    if (auto v = req.param(name); !v.empty()) return v;
    if (auto q = req.query_param(name); q && !q->empty()) return *q;
  }
  return {};
}

}  // namespace

std::optional<Credentials> credentials_of(const http::Request& req) {
  if (auto h = req.header("authorization"); h && iequals_prefix(*h, "bearer ")) {
    std::string_view t = h->substr(7);
    while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
    return Credentials{std::string(t), false};
  }
  if (auto c = req.cookie(kSessionCookie)) return Credentials{std::string(*c), true};
  return std::nullopt;
}

const services::AuthSession* session_of(const http::Request& req) {
  return static_cast<const services::AuthSession*>(req.auth.get());
}

std::optional<http::Response> AccessGuard::check(http::Request& req,
                                                 const std::string& permission) const {
  req.auth.reset();
  const auto perm = access::permission_from_name(permission);
  if (!perm) return forbidden(req, permission);  // unreachable: checked at start
  const auto creds = credentials_of(req);
  std::shared_ptr<const services::AuthSession> session;
  if (creds) session = accounts_.authenticate(creds->token);
  if (*perm == access::Permission::kPublic) {
    req.auth = session;
    return std::nullopt;
  }
  if (!session) return unauthorized(req, creds.has_value());
  // A cookie rides along with any request the browser makes, so a change
  // must prove it comes from our page: the CSRF token only our page can read.
  if (creds->from_cookie && !safe_method(req.method)) {
    const auto sent = req.header(kCsrfHeader);
    if (!sent || !services::equal_secrets(*sent, session->csrf_token)) {
      return http::problem(
          make_error(ErrorKind::kForbidden,
                     "Thiếu hoặc sai mã chống giả mạo yêu cầu (X-CSRF-Token). Hãy tải lại trang.",
                     "The anti-forgery token (X-CSRF-Token) is missing or wrong. Reload the page.",
                     "X-CSRF-Token"),
          req.path);
    }
  }
  const auto& who = session->principal;
  if (*perm != access::Permission::kSelf) {
    const std::string_view unit = named(req, "unit", "unit_code");
    const std::string_view province = named(req, "province", "province_code");
    bool allowed;
    if (!unit.empty()) {
      access::Target t;
      t.unit_code = std::string(unit);
      auto p = province_of_(unit);
      t.province_code = p ? *p : "?";
      allowed = access::decide(who, *perm, t).allowed;
      if (allowed && !province.empty()) {
        access::Target tp;
        tp.province_code = std::string(province);
        allowed = access::decide(who, *perm, tp).allowed;
      }
    } else if (!province.empty()) {
      access::Target t;
      t.province_code = std::string(province);
      allowed = access::decide(who, *perm, t).allowed;
    } else {
      allowed = access::decide(who, *perm, access::Target{}).allowed;
    }
    if (!allowed) return forbidden(req, permission);
  }
  req.auth = std::move(session);
  return std::nullopt;
}

void install_access_guard(http::Router& router, std::shared_ptr<const AccessGuard> guard) {
  const auto routes = router.routes();
  for (std::size_t i = 0; i < routes.size(); ++i)
    if (!access::permission_from_name(router.permission(i)))
      throw std::logic_error("route " + routes[i].first + " " + routes[i].second +
                             " names the unknown permission '" + router.permission(i) +
                             "' (see src/domain/access/permissions.cpp)");
  router.set_guard([guard](http::Request& req, const std::string& permission) {
    return guard->check(req, permission);
  });
}

}  // namespace motcua::api
