// Request and Response as the handlers in src/api/ see them: plain types with
// no Beast in sight, so handlers compile fast and test without a socket.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace motcua::http {

// Header names and tokens compared without regard to ASCII case ("Gzip", "gzip").
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != (b[i] | 0x20)) return false;
  return true;
}

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded path, no query: "/api/v1/units/00004"
  std::string target;  // raw target as sent
  // Query parameters, percent-decoded. A repeated key is refused (400) before
  // any handler runs.
  std::map<std::string, std::string, std::less<>> query;
  // Values of the route's {placeholders}, by name.
  std::map<std::string, std::string, std::less<>> params;
  // Header names are lower case.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote;      // peer address
  std::string request_id;  // the X-Request-Id the response will carry (for audit logs)
  // Came over TLS, as a proxy trusted to say so told (X-Forwarded-Proto):
  // HSTS and Secure cookies.
  bool over_tls = false;
  // Who is asking, set by the router's guard for the handler (the access
  // layer's session type; the http layer does not look inside). Null: anonymous.
  std::shared_ptr<const void> auth;

  std::optional<std::string_view> header(std::string_view lower_name) const {
    for (const auto& [k, v] : headers)
      if (k == lower_name) return std::string_view(v);
    return std::nullopt;
  }
  std::optional<std::string_view> query_param(std::string_view name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return std::string_view(it->second);
  }
  // The value of cookie `name` in the Cookie headers, the first if repeated.
  std::optional<std::string_view> cookie(std::string_view name) const {
    for (const auto& [k, v] : headers) {
      if (k != "cookie") continue;
      std::string_view rest = v;
      while (!rest.empty()) {
        const auto semi = rest.find(';');
        std::string_view pair = rest.substr(0, semi);
        while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
        const auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
        if (semi == std::string_view::npos) break;
        rest.remove_prefix(semi + 1);
      }
    }
    return std::nullopt;
  }
  std::string_view param(std::string_view name) const {
    auto it = params.find(name);
    return it == params.end() ? std::string_view() : std::string_view(it->second);
  }
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
  // Not sent: what the operator's log says of this answer (an error's
  // detail). The server writes it with the request's id when it answers.
  std::string operator_note;
};

}  // namespace motcua::http
