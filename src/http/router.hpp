// Routes (method, pattern) to handlers: plain ones answer on return, deferred
// ones answer later through a Reply. Handlers include this header,
// message.hpp and error_table.hpp only: no Beast, no Asio.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.hpp"

namespace motcua::http {

using Handler = std::function<Response(const Request&)>;

// Sends a deferred request's response. Callable from any thread; the first
// call counts and later ones are ignored, as is a call after the connection
// has gone (the client left, or the server gave up waiting).
using Reply = std::function<void(Response)>;
// A handler that answers later, e.g. once a group commit is durable: it
// returns at once and someone calls reply(response) exactly once, from any
// thread. The connection waits without holding its io thread. The Request is
// only valid during the call: copy what the reply needs. A throw before
// replying answers 500.
using DeferredHandler = std::function<void(const Request&, Reply)>;

// Runs before every routed handler with the route's permission; returns a
// response (401, 403, 429) to refuse, or nothing to let the handler run. It may
// fill req (who is asking) for the handler. Installed by the access layer.
using Guard = std::function<std::optional<Response>(Request&, const std::string& permission)>;

class Router {
 public:
  static constexpr std::size_t kNoRoute = static_cast<std::size_t>(-1);

  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // `pattern` is like "/api/v1/units/{code}": a {name} segment matches any one
  // non-empty segment. Literal segments win over placeholders, so
  // "/api/v1/units/resolve" beats "/api/v1/units/{code}". Registering the same
  // (method, pattern) twice, or a malformed pattern, is a bug and throws
  // std::logic_error. `permission` names what the caller must be allowed
  // ("public", "catalog.admin", ...): a route without one does not start.
  void add(std::string method, std::string pattern, std::string permission, Handler handler);
  // The same for a deferred handler: same matching, guard, metrics, 404/405.
  void add_deferred(std::string method, std::string pattern, std::string permission,
                    DeferredHandler handler);

  // Lets the route (method, pattern), added before, take bodies up to
  // `bytes` instead of the server's limit (uploads, catalog imports).
  void set_body_limit(const std::string& method, const std::string& pattern, std::size_t bytes);
  // The body limit of the route that would answer (method, path), if it has
  // its own; `path` is the target without its query.
  std::optional<std::size_t> body_limit(std::string_view method, std::string_view path) const;

  // The guard every routed request passes before its handler (see Guard).
  void set_guard(Guard guard);
  // The guard's answer for req before its body is read (req has no body
  // yet): its refusal, or nothing when the route lets it in or there is no
  // route (dispatch answers that). For routes that take large bodies.
  std::optional<Response> admit(Request& req) const;

  // Permission of route i (as in routes()).
  const std::string& permission(std::size_t index) const;

  // Finds the route and calls its handler with req.params filled. No path
  // matches: 404 problem. The path matches under other methods only: 405 with
  // an Allow header. HEAD falls back to the GET route (the server drops the body).
  // A deferred handler is called and waited for (blocking), for tests.
  Response dispatch(Request& req) const;
  // The same, and tells which route answered (an index into routes()), or
  // kNoRoute for 404/405. The server uses it for per-route metrics.
  Response dispatch(Request& req, std::size_t& route_index) const;
  // For the server: the same, except that a deferred route whose guard passed
  // is not called: `deferred` points at its handler (else it is null) and the
  // returned response means nothing.
  Response dispatch(Request& req, std::size_t& route_index, const DeferredHandler*& deferred) const;

  // Pattern of the route that would answer req, or nullptr.
  const std::string* route_name(const Request& req) const;

  // All (method, pattern) pairs in registration order, for the OpenAPI
  // consistency test; index i is the route_index reported by dispatch.
  std::vector<std::pair<std::string, std::string>> routes() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace motcua::http
