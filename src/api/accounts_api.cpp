#include "api/accounts_api.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <chrono>

#include "api/access_guard.hpp"
#include "api/params.hpp"
#include "common/dates.hpp"
#include "http/error_table.hpp"
#include "services/request_text.hpp"

namespace motcua::api {
namespace {

namespace json = boost::json;
using services::AuthSession;

std::string time_text(std::int64_t seconds) {
  return vn_rfc3339(std::chrono::system_clock::time_point(std::chrono::seconds(seconds)));
}

// A string field: absent gives nullopt; another type is a 400 naming it.
Result<std::optional<std::string>> string_field(const json::object& o, const char* name) {
  auto it = o.find(name);
  if (it == o.end() || it->value().is_null()) return std::optional<std::string>();
  if (!it->value().is_string())
    return bad_param(name, std::string("Trường ") + name + " phải là chuỗi.",
                     std::string("The field ") + name + " must be a string.");
  // A password is hashed, never kept as text: any character may stand in it,
  // and it is taken byte for byte, as it was set.
  const std::string_view value = it->value().as_string();
  if (std::string_view(name).ends_with("password")) return std::optional<std::string>(value);
  auto kept = services::request_text(value, name);
  if (!kept) return kept.error();
  return std::optional<std::string>(std::move(*kept));
}

Result<std::string> required_string(const json::object& o, const char* name) {
  auto v = string_field(o, name);
  if (!v) return v.error();
  if (!*v || (*v)->empty())
    return bad_param(name, std::string("Thiếu trường ") + name + ".",
                     std::string("The field ") + name + " is required.");
  return std::move(**v);
}

Result<std::optional<std::vector<std::string>>> roles_field(const json::object& o) {
  auto it = o.find("roles");
  if (it == o.end() || it->value().is_null()) return std::optional<std::vector<std::string>>();
  if (!it->value().is_array())
    return bad_param("roles", "Trường roles phải là một mảng tên vai trò.",
                     "The field roles must be an array of role names.");
  std::vector<std::string> out;
  for (const auto& r : it->value().as_array()) {
    if (!r.is_string())
      return bad_param("roles", "Trường roles phải là một mảng tên vai trò.",
                       "The field roles must be an array of role names.");
    if (auto t = services::plain_text(r.as_string(), "roles"); !t) return t.error();
    out.emplace_back(r.as_string());
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<std::int64_t> id_param(const http::Request& req) {
  const auto text = req.param("id");
  std::int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id <= 0)
    return bad_param("id", "Mã tài khoản phải là số nguyên dương.",
                     "The account id must be a positive whole number.");
  return id;
}

json::array roles_array(const std::string& roles) {
  json::array a;
  std::string_view rest = roles;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    a.emplace_back(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return a;
}

json::object user_json(const store::UserRecord& u) {
  json::object o;
  o["id"] = u.id;
  o["username"] = u.username;
  o["display_name"] = u.display_name;
  o["kind"] = u.kind;
  o["roles"] = roles_array(u.roles);
  o["unit_code"] = u.unit_code;
  o["province_code"] = u.province_code;
  if (u.kind == "citizen") o["id_number"] = u.id_number;
  // Contact fields only when set: an account without them carries no personal field.
  if (!u.phone.empty()) o["phone"] = u.phone;
  if (!u.email.empty()) o["email"] = u.email;
  o["active"] = u.active;
  o["created_at"] = time_text(u.created_at);
  o["updated_at"] = time_text(u.updated_at);
  return o;
}

std::string route_of(const http::Request& req, const char* pattern) {
  return req.method + " " + pattern;
}

services::ViewContext view_context(const http::Request& req, const char* pattern) {
  return {route_of(req, pattern), req.request_id, req.remote};
}

// How long a device stays known after its last sign-in (half a year).
constexpr long kDeviceCookieSeconds = 183L * 24 * 3600;

std::string cookie(const http::Request& req, std::string_view name, const std::string& value,
                   long max_age, bool http_only, std::string_view path = "/") {
  std::string c = std::string(name) + "=" + value + "; Path=" + std::string(path) +
                  "; SameSite=Strict; Max-Age=" + std::to_string(max_age);
  if (http_only) c += "; HttpOnly";
  if (req.over_tls) c += "; Secure";  // the server believed X-Forwarded-Proto
  return c;
}

http::Response json_ok(int status, const json::object& o) {
  return http::json_response(status, json::serialize(o));
}

// Query parameter `name` as a whole number, 0 or more, into `out`; absent: `out` kept.
Result<void> whole_param(const http::Request& req, const char* name, std::int64_t& out) {
  auto v = req.query_param(name);
  if (!v) return ok();
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || p != v->data() + v->size() || out < 0)
    return bad_param(name, std::string(name) + " phải là số nguyên không âm.",
                     std::string(name) + " must be a whole number, 0 or more.");
  return ok();
}

// The audit logs' `from` and `to` (dates, inclusive and exclusive) as Unix
// milliseconds of midnight in Vietnam (UTC+7) of that date; absent: 0, open.
Result<void> audit_dates(const http::Request& req, std::int64_t& from_ms, std::int64_t& to_ms) {
  for (auto [name, out] : {std::pair{"from", &from_ms}, std::pair{"to", &to_ms}}) {
    if (!req.query_param(name)) continue;
    auto d = date_param(req, name);
    if (!d) return d.error();
    const int y = std::stoi(d->substr(0, 4)), m = std::stoi(d->substr(5, 2)),
              day = std::stoi(d->substr(8, 2));
    const auto days =
        std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(day));
    *out = (std::chrono::duration_cast<std::chrono::milliseconds>(days.time_since_epoch()) -
            std::chrono::hours(7))
               .count();
  }
  return ok();
}

// A page of an audit log: its items and the cursor to the next (null: the last).
json::object audit_page(json::array items, bool more, std::int64_t last_id) {
  json::object o;
  o["items"] = std::move(items);
  if (more)
    o["next_cursor"] = std::to_string(last_id);
  else
    o["next_cursor"] = nullptr;
  return o;
}

json::object change_json(const store::AccountChange& ch) {
  json::object o;
  o["id"] = ch.id;
  const auto at =
      std::chrono::system_clock::time_point(std::chrono::milliseconds(ch.changed_at_ms));
  o["changed_at"] = vn_rfc3339(at);
  o["changed_at_ms"] = ch.changed_at_ms;
  // id 0: the command line (motcua user add), no account.
  o["actor"] = json::object{{"id", ch.actor_id}, {"username", ch.actor_username}};
  o["subject"] = json::object{{"id", ch.subject_id}, {"username", ch.subject_username}};
  o["action"] = ch.action;
  o["detail"] = ch.detail;
  o["request_id"] = ch.request_id;
  o["remote"] = ch.remote;
  return o;
}

}  // namespace

void add_account_routes(http::Router& router, services::AccountService& accounts,
                        services::PersonalDataLog& views, AccountsApiOptions options) {
  auto* acc = &accounts;
  auto* log = &views;

  router.add("POST", "/api/v1/auth/login", "public", [acc, options](const http::Request& req) {
    auto body = json_body_object(req);  // not a cross-site form's sign-in into another account
    if (!body) return http::problem(body.error(), req.path);
    auto username = required_string(*body, "username");
    if (!username) return http::problem(username.error(), req.path);
    auto password = required_string(*body, "password");
    if (!password) return http::problem(password.error(), req.path);
    auto kind = string_field(*body, "session");
    if (!kind) return http::problem(kind.error(), req.path);
    const std::string mode = kind->value_or("bearer");
    if (mode != "bearer" && mode != "cookie")
      return http::problem(bad_param("session", "Trường session là 'bearer' hoặc 'cookie'.",
                                     "The field session is 'bearer' or 'cookie'."),
                           req.path);
    // The device's token (KnownDevices): a program keeps it from the answer,
    // a browser in the cookie.
    auto device_token = string_field(*body, "device_token");
    if (!device_token) return http::problem(device_token.error(), req.path);
    const std::string device_cookie = services::AccountService::device_cookie_name(*username);
    long retry_after = 0;
    const std::string_view device =
        *device_token ? std::string_view(**device_token) : req.cookie(device_cookie).value_or("");
    auto result = acc->login(*username, *password, mode, req.remote, retry_after, device);
    if (!result) {
      auto r = http::problem(result.error(), req.path);
      if (retry_after > 0) r.headers.emplace_back("Retry-After", std::to_string(retry_after));
      return r;
    }
    json::object o;
    o["token_type"] = mode == "cookie" ? "cookie" : "Bearer";
    if (mode == "bearer") {
      o["token"] = result->token;
      o["device_token"] = result->device_token;
    }
    if (mode == "cookie") o["csrf_token"] = result->session->csrf_token;
    o["expires_at"] = time_text(result->session->expires_at);
    o["user"] = user_json(result->user);
    auto r = json_ok(200, o);
    r.headers.emplace_back("Cache-Control", "no-store");
    if (mode == "cookie") {
      // Sent back with this account's sign-ins only.
      r.headers.emplace_back("Set-Cookie", cookie(req, device_cookie, result->device_token,
                                                  kDeviceCookieSeconds, true, req.path));
      r.headers.emplace_back("Set-Cookie", cookie(req, kSessionCookie, result->token,
                                                  options.session_ttl_seconds, true));
      r.headers.emplace_back("Set-Cookie", cookie(req, kCsrfCookie, result->session->csrf_token,
                                                  options.session_ttl_seconds, false));
    }
    return r;
  });

  router.add("POST", "/api/v1/auth/logout", "self", [acc](const http::Request& req) {
    if (auto r = acc->logout(*session_of(req)); !r) return http::problem(r.error(), req.path);
    http::Response r;
    r.status = 204;
    r.headers.emplace_back("Set-Cookie", cookie(req, kSessionCookie, "", 0, true));
    r.headers.emplace_back("Set-Cookie", cookie(req, kCsrfCookie, "", 0, false));
    return r;
  });

  router.add("GET", "/api/v1/auth/me", "self", [acc](const http::Request& req) {
    const AuthSession& s = *session_of(req);
    auto user = acc->get_user_self(s.principal.user_id);
    if (!user) return http::problem(user.error(), req.path);
    json::object o;
    o["user"] = user_json(*user);
    json::object perms;
    for (const auto& row : access::permission_table()) {
      const auto scope = access::granted_scope(s.principal.roles, row.id);
      if (row.id != access::Permission::kPublic && scope != access::Scope::kNone)
        perms[row.name] = access::scope_name(scope);
    }
    o["permissions"] = std::move(perms);
    o["session"] = s.kind;
    if (s.kind == "cookie") o["csrf_token"] = s.csrf_token;
    o["expires_at"] = time_text(s.expires_at);
    auto r = json_ok(200, o);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  });

  // Who a leader may assign a dossier to: names and ids only, no personal field.
  router.add("GET", "/api/v1/specialists", "dossier.process", [acc](const http::Request& req) {
    const auto& who = session_of(req)->principal;
    // An empty unit= is no unit (the access guard reads it so): one's own.
    const auto unit = req.query_param("unit");
    const std::string code = unit && !unit->empty() ? std::string(*unit) : who.unit_code;
    if (code.empty())
      return http::problem(bad_param("unit", "Hãy chọn đơn vị (tham số unit).",
                                     "Name the unit (the unit parameter)."),
                           req.path);
    auto list = acc->specialists_of(code);
    if (!list) return http::problem(list.error(), req.path);
    json::array items;
    for (const auto& u : *list) {
      items.push_back(json::object{{"id", u.id}, {"display_name", u.display_name}});
    }
    return json_ok(200, json::object{{"unit", code}, {"items", std::move(items)}});
  });

  router.add("POST", "/api/v1/auth/password", "self", [acc](const http::Request& req) {
    auto body = body_object(req);
    if (!body) return http::problem(body.error(), req.path);
    auto current = required_string(*body, "current_password");
    if (!current) return http::problem(current.error(), req.path);
    auto next = required_string(*body, "new_password");
    if (!next) return http::problem(next.error(), req.path);
    long retry_after = 0;
    if (auto r = acc->change_password(*session_of(req), *current, *next,
                                      view_context(req, "/api/v1/auth/password"), retry_after);
        !r) {
      auto answer = http::problem(r.error(), req.path);
      if (retry_after > 0) answer.headers.emplace_back("Retry-After", std::to_string(retry_after));
      return answer;
    }
    http::Response r;
    r.status = 204;
    return r;
  });

  router.add("GET", "/api/v1/users", "users.admin", [acc, log](const http::Request& req) {
    store::UserQuery q;
    auto unit = req.query_param("unit");
    if (unit) q.unit_code = std::string(*unit);
    auto province = code_param(req, "province", 2);
    if (!province) return http::problem(province.error(), req.path);
    q.province_code = *province;
    if (auto k = req.query_param("kind")) {
      if (*k != "staff" && *k != "citizen")
        return http::problem(
            bad_param("kind", "kind là 'staff' hoặc 'citizen'.", "kind is 'staff' or 'citizen'."),
            req.path);
      q.kind = std::string(*k);
    }
    auto limit = size_param(req, "limit", 50, 1, 500);
    if (!limit) return http::problem(limit.error(), req.path);
    q.limit = *limit + 1;
    if (auto c = req.query_param("cursor")) {
      auto [p, ec] = std::from_chars(c->data(), c->data() + c->size(), q.after_id);
      if (ec != std::errc() || p != c->data() + c->size() || q.after_id < 0)
        return http::problem(
            bad_param("cursor", "Con trỏ trang không hợp lệ.", "The page cursor is not valid."),
            req.path);
    }
    const AuthSession& s = *session_of(req);
    auto rows = acc->list_users(s.principal, q);
    if (!rows) return http::problem(rows.error(), req.path);
    const bool more = rows->size() > *limit;
    if (more) rows->resize(*limit);
    json::array items;
    for (const auto& u : *rows) {
      if (u.kind == "citizen") {
        auto r = log->record(s.principal, "citizen", u.id_number, "list",
                             view_context(req, "/api/v1/users"));
        if (!r) return http::problem(r.error(), req.path);
      }
      items.push_back(user_json(u));
    }
    json::object o;
    o["items"] = std::move(items);
    if (more)
      o["next_cursor"] = std::to_string(rows->back().id);
    else
      o["next_cursor"] = nullptr;
    return json_ok(200, o);
  });

  router.add("POST", "/api/v1/users", "users.admin", [acc](const http::Request& req) {
    auto body = body_object(req);
    if (!body) return http::problem(body.error(), req.path);
    services::NewUser in;
    for (auto [name, field] :
         {std::pair{"kind", &in.kind}, std::pair{"username", &in.username},
          std::pair{"display_name", &in.display_name}, std::pair{"unit_code", &in.unit_code},
          std::pair{"province_code", &in.province_code}, std::pair{"id_number", &in.id_number},
          std::pair{"phone", &in.phone}, std::pair{"email", &in.email},
          std::pair{"password", &in.password}}) {
      auto v = string_field(*body, name);
      if (!v) return http::problem(v.error(), req.path);
      if (*v) *field = std::move(**v);
    }
    auto roles = roles_field(*body);
    if (!roles) return http::problem(roles.error(), req.path);
    if (*roles) in.roles = std::move(**roles);
    auto u = acc->create_user(&session_of(req)->principal, in, view_context(req, "/api/v1/users"));
    if (!u) return http::problem(u.error(), req.path);
    auto r = json_ok(201, user_json(*u));
    r.headers.emplace_back("Location", "/api/v1/users/" + std::to_string(u->id));
    return r;
  });

  router.add("GET", "/api/v1/users/{id}", "users.admin", [acc, log](const http::Request& req) {
    auto id = id_param(req);
    if (!id) return http::problem(id.error(), req.path);
    const AuthSession& s = *session_of(req);
    auto u = acc->get_user(s.principal, *id);
    if (!u) return http::problem(u.error(), req.path);
    if (u->kind == "citizen") {
      auto r = log->record(s.principal, "citizen", u->id_number, "read",
                           view_context(req, "/api/v1/users/{id}"));
      if (!r) return http::problem(r.error(), req.path);
    }
    return json_ok(200, user_json(*u));
  });

  router.add("PATCH", "/api/v1/users/{id}", "users.admin", [acc, log](const http::Request& req) {
    auto id = id_param(req);
    if (!id) return http::problem(id.error(), req.path);
    auto body = body_object(req);
    if (!body) return http::problem(body.error(), req.path);
    services::UserChanges ch;
    for (auto [name, field] :
         {std::pair{"display_name", &ch.display_name}, std::pair{"unit_code", &ch.unit_code},
          std::pair{"phone", &ch.phone}, std::pair{"email", &ch.email}}) {
      auto v = string_field(*body, name);
      if (!v) return http::problem(v.error(), req.path);
      *field = std::move(*v);
    }
    auto roles = roles_field(*body);
    if (!roles) return http::problem(roles.error(), req.path);
    ch.roles = std::move(*roles);
    if (auto it = body->find("active"); it != body->end()) {
      if (!it->value().is_bool())
        return http::problem(bad_param("active", "Trường active phải là true hoặc false.",
                                       "The field active must be true or false."),
                             req.path);
      ch.active = it->value().as_bool();
    }
    const AuthSession& s = *session_of(req);
    auto u = acc->update_user(s.principal, *id, ch, view_context(req, "/api/v1/users/{id}"));
    if (!u) return http::problem(u.error(), req.path);
    // The answer shows the person's fields, as a read does: logged the same.
    if (u->kind == "citizen") {
      auto r = log->record(s.principal, "citizen", u->id_number, "update",
                           view_context(req, "/api/v1/users/{id}"));
      if (!r) return http::problem(r.error(), req.path);
    }
    return json_ok(200, user_json(*u));
  });

  router.add("POST", "/api/v1/users/{id}/password", "users.admin", [acc](const http::Request& req) {
    auto id = id_param(req);
    if (!id) return http::problem(id.error(), req.path);
    auto body = body_object(req);
    if (!body) return http::problem(body.error(), req.path);
    auto password = required_string(*body, "password");
    if (!password) return http::problem(password.error(), req.path);
    if (auto r = acc->reset_password(session_of(req)->principal, *id, *password,
                                     view_context(req, "/api/v1/users/{id}/password"));
        !r)
      return http::problem(r.error(), req.path);
    http::Response r;
    r.status = 204;
    return r;
  });

  router.add("DELETE", "/api/v1/users/{id}/sessions", "users.admin",
             [acc](const http::Request& req) {
               auto id = id_param(req);
               if (!id) return http::problem(id.error(), req.path);
               auto n = acc->revoke_sessions(session_of(req)->principal, *id,
                                             view_context(req, "/api/v1/users/{id}/sessions"));
               if (!n) return http::problem(n.error(), req.path);
               json::object o;
               o["revoked"] = *n;
               return json_ok(200, o);
             });

  router.add(
      "GET", "/api/v1/audit/personal-data-views", "audit.read", [log](const http::Request& req) {
        store::ViewQuery q;
        auto limit = size_param(req, "limit", 50, 1, 500);
        if (!limit) return http::problem(limit.error(), req.path);
        q.limit = *limit + 1;
        if (auto r = whole_param(req, "viewer_id", q.viewer_id); !r)
          return http::problem(r.error(), req.path);
        if (auto r = whole_param(req, "cursor", q.before_id); !r)
          return http::problem(r.error(), req.path);
        if (auto r = audit_dates(req, q.from_ms, q.to_ms); !r)
          return http::problem(r.error(), req.path);
        if (auto k = req.query_param("subject_kind")) q.subject_kind = std::string(*k);
        if (auto s = req.query_param("subject_id")) q.subject_id = std::string(*s);
        auto rows = log->query(q);
        if (!rows) return http::problem(rows.error(), req.path);
        const bool more = rows->size() > *limit;
        if (more) rows->resize(*limit);
        json::array items;
        for (const auto& v : *rows) {
          json::object o;
          o["id"] = v.id;
          const auto at =
              std::chrono::system_clock::time_point(std::chrono::milliseconds(v.viewed_at_ms));
          o["viewed_at"] = vn_rfc3339(at);
          o["viewed_at_ms"] = v.viewed_at_ms;
          json::object viewer;
          viewer["id"] = v.viewer_id;
          viewer["username"] = v.viewer_username;
          viewer["roles"] = roles_array(v.viewer_roles);
          o["viewer"] = std::move(viewer);
          o["subject_kind"] = v.subject_kind;
          o["subject_id"] = v.subject_id;
          o["action"] = v.action;
          o["route"] = v.route;
          o["request_id"] = v.request_id;
          o["remote"] = v.remote;
          items.push_back(std::move(o));
        }
        return json_ok(200, audit_page(std::move(items), more, more ? rows->back().id : 0));
      });

  // The account-change log: who created or changed which account, when, old → new.
  router.add("GET", "/api/v1/audit/account-changes", "audit.read", [acc](const http::Request& req) {
    store::ChangeQuery q;
    auto limit = size_param(req, "limit", 50, 1, 500);
    if (!limit) return http::problem(limit.error(), req.path);
    q.limit = *limit + 1;
    if (auto r = whole_param(req, "subject_id", q.subject_id); !r)
      return http::problem(r.error(), req.path);
    if (auto r = whole_param(req, "actor_id", q.actor_id); !r)  // 0: the command line
      return http::problem(r.error(), req.path);
    if (auto r = whole_param(req, "cursor", q.before_id); !r)
      return http::problem(r.error(), req.path);
    if (auto r = audit_dates(req, q.from_ms, q.to_ms); !r)
      return http::problem(r.error(), req.path);
    auto rows = acc->list_changes(q);
    if (!rows) return http::problem(rows.error(), req.path);
    const bool more = rows->size() > *limit;
    if (more) rows->resize(*limit);
    json::array items;
    for (const auto& ch : *rows) items.push_back(change_json(ch));
    return json_ok(200, audit_page(std::move(items), more, more ? rows->back().id : 0));
  });

  const http::Router* table = &router;
  router.add("GET", "/api/v1/access/routes", "public", [table](const http::Request&) {
    json::array routes;
    const auto all = table->routes();
    for (std::size_t i = 0; i < all.size(); ++i) {
      json::object r;
      r["method"] = all[i].first;
      r["pattern"] = all[i].second;
      r["permission"] = table->permission(i);
      routes.push_back(std::move(r));
    }
    json::array perms;
    for (const auto& row : access::permission_table()) {
      json::object p;
      p["name"] = row.name;
      p["description"] = row.description;
      json::object grants;
      for (int r = 0; r < access::kRoleCount; ++r)
        if (row.grants[r] != access::Scope::kNone)
          grants[access::role_name(static_cast<access::Role>(r))] =
              access::scope_name(row.grants[r]);
      p["grants"] = std::move(grants);
      perms.push_back(std::move(p));
    }
    json::object o;
    o["routes"] = std::move(routes);
    o["permissions"] = std::move(perms);
    return json_ok(200, o);
  });
  // Anyone may send it, unsigned: a name and a password, not a megabyte a
  // connection for the server to hold.
  router.set_body_limit("POST", "/api/v1/auth/login", 16 << 10);
}

}  // namespace motcua::api
