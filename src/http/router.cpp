#include "http/router.hpp"

#include <optional>

#include <algorithm>
#include <array>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include "http/error_table.hpp"

namespace motcua::http {
namespace {

constexpr std::size_t kMaxPlaceholders = 16;

bool is_placeholder(std::string_view seg) {
  return seg.size() > 2 && seg.front() == '{' && seg.back() == '}';
}

// Calls f(segment) for each '/'-separated segment after the leading '/'.
// "/" has one empty segment.
template <class F>
void for_each_segment(std::string_view path, F&& f) {
  path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    f(path.substr(0, slash));
    if (slash == std::string_view::npos) return;
    path.remove_prefix(slash + 1);
  }
}

}  // namespace

struct Router::Impl {
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> param_names;
    Handler handler;  // one of handler and deferred is set
    DeferredHandler deferred;
    std::string permission;
    std::optional<std::size_t> body_limit;  // none: the server's
  };
  struct Node {
    std::vector<std::pair<std::string, std::unique_ptr<Node>>> literals;
    std::unique_ptr<Node> placeholder;
    std::vector<std::size_t> routes;  // indexes of routes ending here
  };

  std::vector<Route> routes;
  Node root;
  Guard guard;

  // Walks every node that matches the path's segments, literal children
  // before the placeholder child, and calls visit(node, captures) on each
  // full match until visit returns true.
  template <class Visit>
  static bool walk(const Node& node, std::string_view rest, bool at_end,
                   std::array<std::string_view, kMaxPlaceholders>& caps, std::size_t ncaps,
                   Visit& visit) {
    if (at_end) return !node.routes.empty() && visit(node, caps, ncaps);
    const auto slash = rest.find('/');
    const std::string_view seg = rest.substr(0, slash);
    const bool last = slash == std::string_view::npos;
    const std::string_view next = last ? std::string_view() : rest.substr(slash + 1);
    for (const auto& [lit, child] : node.literals)
      if (lit == seg && walk(*child, next, last, caps, ncaps, visit)) return true;
    if (node.placeholder && !seg.empty() && ncaps < kMaxPlaceholders) {
      caps[ncaps] = seg;
      if (walk(*node.placeholder, next, last, caps, ncaps + 1, visit)) return true;
    }
    return false;
  }

  template <class Visit>
  bool match(std::string_view path, Visit&& visit) const {
    if (path.empty() || path.front() != '/') return false;
    std::array<std::string_view, kMaxPlaceholders> caps;
    return walk(root, path.substr(1), false, caps, 0, visit);
  }

  // The route for (method, path): an exact method match first, then GET for HEAD.
  void add(std::string method, std::string pattern, std::string permission, Handler handler,
           DeferredHandler deferred);

  std::size_t find(std::string_view method, std::string_view path,
                   std::array<std::string_view, kMaxPlaceholders>* caps_out) const {
    std::size_t found = kNoRoute;
    auto try_method = [&](std::string_view m) {
      match(path, [&](const Node& n, const auto& caps, std::size_t ncaps) {
        for (std::size_t i : n.routes)
          if (routes[i].method == m) {
            found = i;
            if (caps_out) std::copy(caps.begin(), caps.begin() + ncaps, caps_out->begin());
            return true;
          }
        return false;
      });
    };
    try_method(method);
    if (found == kNoRoute && method == "HEAD") try_method("GET");
    return found;
  }
};

Router::Router() : impl_(std::make_unique<Impl>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

void Router::add(std::string method, std::string pattern, std::string permission, Handler handler) {
  if (!handler) throw std::logic_error("route without a handler: " + pattern);
  impl_->add(std::move(method), std::move(pattern), std::move(permission), std::move(handler), {});
}

void Router::add_deferred(std::string method, std::string pattern, std::string permission,
                          DeferredHandler handler) {
  if (!handler) throw std::logic_error("route without a handler: " + pattern);
  impl_->add(std::move(method), std::move(pattern), std::move(permission), {}, std::move(handler));
}

void Router::Impl::add(std::string method, std::string pattern, std::string permission,
                       Handler handler, DeferredHandler deferred) {
  if (pattern.empty() || pattern.front() != '/')
    throw std::logic_error("route pattern must start with '/': " + pattern);
  if (permission.empty()) throw std::logic_error("route without a permission: " + pattern);
  Route route{std::move(method),   std::move(pattern),    {},          std::move(handler),
              std::move(deferred), std::move(permission), std::nullopt};
  Node* node = &root;
  for_each_segment(route.pattern, [&](std::string_view seg) {
    if (is_placeholder(seg)) {
      route.param_names.emplace_back(seg.substr(1, seg.size() - 2));
      if (route.param_names.size() > kMaxPlaceholders)
        throw std::logic_error("too many placeholders: " + route.pattern);
      if (!node->placeholder) node->placeholder = std::make_unique<Node>();
      node = node->placeholder.get();
      return;
    }
    if (seg.find_first_of("{}") != std::string_view::npos)
      throw std::logic_error("malformed placeholder in route: " + route.pattern);
    auto it = std::find_if(node->literals.begin(), node->literals.end(),
                           [&](const auto& l) { return l.first == seg; });
    if (it == node->literals.end()) {
      node->literals.emplace_back(std::string(seg), std::make_unique<Node>());
      it = std::prev(node->literals.end());
    }
    node = it->second.get();
  });
  for (std::size_t i : node->routes)
    if (routes[i].method == route.method)
      throw std::logic_error("route registered twice: " + route.method + " " + route.pattern);
  node->routes.push_back(routes.size());
  routes.push_back(std::move(route));
}

Response Router::dispatch(Request& req) const {
  std::size_t ignored;
  return dispatch(req, ignored);
}

Response Router::dispatch(Request& req, std::size_t& route_index) const {
  const DeferredHandler* deferred = nullptr;
  Response resp = dispatch(req, route_index, deferred);
  if (!deferred) return resp;
  // No server here: wait for the reply on this thread.
  struct Waiter {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<Response> response;
  };
  auto w = std::make_shared<Waiter>();
  (*deferred)(req, [w](Response r) {
    std::lock_guard lock(w->mu);
    if (w->response) return;
    w->response = std::move(r);
    w->cv.notify_all();
  });
  std::unique_lock lock(w->mu);
  w->cv.wait(lock, [&] { return w->response.has_value(); });
  return std::move(*w->response);
}

Response Router::dispatch(Request& req, std::size_t& route_index,
                          const DeferredHandler*& deferred) const {
  deferred = nullptr;
  std::array<std::string_view, kMaxPlaceholders> caps;
  route_index = impl_->find(req.method, req.path, &caps);
  if (route_index != kNoRoute) {
    const auto& route = impl_->routes[route_index];
    req.params.clear();
    for (std::size_t i = 0; i < route.param_names.size(); ++i)
      req.params.emplace(route.param_names[i], std::string(caps[i]));
    if (impl_->guard) {
      if (auto refused = impl_->guard(req, route.permission)) return std::move(*refused);
    }
    if (route.deferred) {
      deferred = &route.deferred;
      return Response{};
    }
    return route.handler(req);
  }

  // No route for this method: is there one for another method?
  std::vector<std::string_view> allowed;
  impl_->match(req.path, [&](const Impl::Node& n, const auto&, std::size_t) {
    for (std::size_t i : n.routes) allowed.push_back(impl_->routes[i].method);
    return false;  // collect from every matching node
  });
  if (allowed.empty()) {
    return problem(make_error(ErrorKind::kNotFound, "Không tìm thấy đường dẫn " + req.path + ".",
                              "No resource at " + req.path + "."),
                   req.path);
  }
  if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end()) allowed.push_back("HEAD");
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  std::string allow;
  for (auto m : allowed) {
    if (!allow.empty()) allow += ", ";
    allow += m;
  }
  Response r = problem(405, "method-not-allowed",
                       make_error(ErrorKind::kBadRequest,
                                  "Phương thức " + req.method + " không được hỗ trợ tại " +
                                      req.path + ". Các phương thức được phép: " + allow + ".",
                                  "Method " + req.method + " is not allowed on " + req.path +
                                      ". Allowed: " + allow + "."),
                       req.path);
  r.headers.emplace_back("Allow", std::move(allow));
  return r;
}

void Router::set_guard(Guard guard) { impl_->guard = std::move(guard); }

std::optional<Response> Router::admit(Request& req) const {
  std::array<std::string_view, kMaxPlaceholders> caps;
  const std::size_t i = impl_->find(req.method, req.path, &caps);
  if (i == kNoRoute || !impl_->guard) return std::nullopt;
  const auto& route = impl_->routes[i];
  req.params.clear();
  for (std::size_t k = 0; k < route.param_names.size(); ++k)
    req.params.emplace(route.param_names[k], std::string(caps[k]));
  return impl_->guard(req, route.permission);
}

const std::string& Router::permission(std::size_t index) const {
  return impl_->routes.at(index).permission;
}

const std::string* Router::route_name(const Request& req) const {
  const std::size_t i = impl_->find(req.method, req.path, nullptr);
  return i == kNoRoute ? nullptr : &impl_->routes[i].pattern;
}

void Router::set_body_limit(const std::string& method, const std::string& pattern,
                            std::size_t bytes) {
  for (auto& r : impl_->routes) {
    if (r.method == method && r.pattern == pattern) {
      r.body_limit = bytes;
      return;
    }
  }
  throw std::logic_error("body limit for a route that does not exist: " + method + " " + pattern);
}

std::optional<std::size_t> Router::body_limit(std::string_view method,
                                              std::string_view path) const {
  const std::size_t i = impl_->find(method, path, nullptr);
  return i == kNoRoute ? std::nullopt : impl_->routes[i].body_limit;
}

std::vector<std::pair<std::string, std::string>> Router::routes() const {
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(impl_->routes.size());
  for (const auto& r : impl_->routes) out.emplace_back(r.method, r.pattern);
  return out;
}

}  // namespace motcua::http
