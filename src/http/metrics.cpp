#include "http/metrics.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>

namespace motcua::http {
namespace {

// Methods that get their own slot for requests no route answered; anything
// else is counted as "OTHER" so a client cannot grow the label set.
constexpr std::array<std::string_view, 8> kMethods = {"GET",    "HEAD",    "POST",  "PUT",
                                                      "DELETE", "OPTIONS", "PATCH", "OTHER"};

std::size_t method_index(std::string_view m) {
  for (std::size_t i = 0; i + 1 < kMethods.size(); ++i)
    if (kMethods[i] == m) return i;
  return kMethods.size() - 1;
}

void append_label_value(std::string& out, std::string_view v) {
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_double(std::string& out, double v) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%.9g", v);
  out.append(buf, static_cast<std::size_t>(n));
}

}  // namespace

// Statuses are kept in a small open-addressed table claimed with a CAS, so a
// new status never needs a lock; a route rarely sees more than a handful.
struct Metrics::Slot {
  static constexpr std::size_t kStatuses = 16;
  std::string method;
  std::string route;
  std::array<std::atomic<int>, kStatuses> status{};
  std::array<std::atomic<std::uint64_t>, kStatuses> count{};
  std::atomic<std::uint64_t> overflow{0};  // statuses beyond the table
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets{};
  std::atomic<std::uint64_t> sum_ns{0};
  std::atomic<std::uint64_t> total{0};
};

Metrics::Metrics(const std::vector<std::pair<std::string, std::string>>& routes) {
  auto add = [&](std::string_view method, std::string_view route) {
    auto s = std::make_unique<Slot>();
    s->method = method;
    s->route = route;
    slots_.push_back(std::move(s));
  };
  for (const auto& [method, route] : routes) add(method, route);
  route_slots_ = slots_.size();
  for (auto m : kMethods) add(m, "static");
  for (auto m : kMethods) add(m, "unmatched");
  for (std::size_t i = 0; i < route_slots_; ++i) {
    head_slots_.push_back(i);
    if (routes[i].first != "GET") continue;
    head_slots_.back() = slots_.size();
    add("HEAD", routes[i].second);
  }
  start_time_seconds_ =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

Metrics::~Metrics() = default;

std::size_t Metrics::special_slot(std::size_t base, std::string_view method) const {
  return base + method_index(method);
}
std::size_t Metrics::static_slot(std::string_view method) const {
  return special_slot(route_slots_, method);
}
std::size_t Metrics::unmatched_slot(std::string_view method) const {
  return special_slot(route_slots_ + kMethods.size(), method);
}

void Metrics::record(std::size_t slot_index, int status, std::chrono::nanoseconds duration) {
  Slot& s = *slots_[slot_index];
  constexpr auto relaxed = std::memory_order_relaxed;
  std::size_t i = static_cast<std::size_t>(status) % Slot::kStatuses;
  bool counted = false;
  for (std::size_t probe = 0; probe < Slot::kStatuses; ++probe, i = (i + 1) % Slot::kStatuses) {
    int seen = s.status[i].load(std::memory_order_acquire);
    if (seen == 0 && s.status[i].compare_exchange_strong(seen, status, std::memory_order_acq_rel))
      seen = status;
    if (seen == status) {
      s.count[i].fetch_add(1, relaxed);
      counted = true;
      break;
    }
  }
  if (!counted) s.overflow.fetch_add(1, relaxed);

  const double secs = std::chrono::duration<double>(duration).count();
  std::size_t b = 0;
  while (b < kBuckets.size() && secs > kBuckets[b]) ++b;
  s.buckets[b].fetch_add(1, relaxed);
  s.sum_ns.fetch_add(static_cast<std::uint64_t>(duration.count() > 0 ? duration.count() : 0),
                     relaxed);
  s.total.fetch_add(1, relaxed);
}

std::string Metrics::render() const {
  constexpr auto relaxed = std::memory_order_relaxed;
  std::string out;
  out.reserve(4096 + slots_.size() * 256);

  auto labels = [&](const Slot& s) {
    out += "route=\"";
    append_label_value(out, s.route);
    out += "\",method=\"";
    append_label_value(out, s.method);
    out += '"';
  };

  out +=
      "# HELP motcua_http_requests_total HTTP requests answered, by route, method and status.\n"
      "# TYPE motcua_http_requests_total counter\n";
  for (const auto& sp : slots_) {
    const Slot& s = *sp;
    for (std::size_t i = 0; i < Slot::kStatuses; ++i) {
      const int status = s.status[i].load(std::memory_order_acquire);
      if (status == 0) continue;
      out += "motcua_http_requests_total{";
      labels(s);
      out += ",status=\"" + std::to_string(status) + "\"} ";
      out += std::to_string(s.count[i].load(relaxed));
      out += '\n';
    }
    if (const auto n = s.overflow.load(relaxed)) {
      out += "motcua_http_requests_total{";
      labels(s);
      out += ",status=\"other\"} " + std::to_string(n) + '\n';
    }
  }

  out +=
      "# HELP motcua_http_request_duration_seconds Time from a request's headers to its "
      "response written.\n"
      "# TYPE motcua_http_request_duration_seconds histogram\n";
  for (const auto& sp : slots_) {
    const Slot& s = *sp;
    const std::uint64_t total = s.total.load(relaxed);
    // Routes never hit are still listed so dashboards see them; the fixed
    // per-method slots only once they have traffic.
    const bool is_route = &sp - slots_.data() < static_cast<std::ptrdiff_t>(route_slots_);
    if (total == 0 && !is_route) continue;
    std::uint64_t cumulative = 0;
    for (std::size_t b = 0; b <= kBuckets.size(); ++b) {
      cumulative += s.buckets[b].load(relaxed);
      out += "motcua_http_request_duration_seconds_bucket{";
      labels(s);
      out += ",le=\"";
      if (b < kBuckets.size())
        append_double(out, kBuckets[b]);
      else
        out += "+Inf";
      out += "\"} " + std::to_string(cumulative) + '\n';
    }
    out += "motcua_http_request_duration_seconds_sum{";
    labels(s);
    out += "} ";
    append_double(out, static_cast<double>(s.sum_ns.load(relaxed)) / 1e9);
    out += "\nmotcua_http_request_duration_seconds_count{";
    labels(s);
    out += "} " + std::to_string(cumulative) + '\n';
  }

  out +=
      "# HELP motcua_http_open_connections Client connections currently open.\n"
      "# TYPE motcua_http_open_connections gauge\n"
      "motcua_http_open_connections " +
      std::to_string(open_connections()) + '\n';
  out +=
      "# HELP motcua_http_connections_refused_total Connections answered and closed at once: "
      "the server at its limit (full) or the client at its own (per_client).\n"
      "# TYPE motcua_http_connections_refused_total counter\n"
      "motcua_http_connections_refused_total{limit=\"full\"} " +
      std::to_string(refused_full_.load(relaxed)) +
      "\nmotcua_http_connections_refused_total{limit=\"per_client\"} " +
      std::to_string(refused_per_client_.load(relaxed)) + '\n';
  if (log_dropped_) {
    out +=
        "# HELP motcua_http_access_log_dropped_total Access log lines dropped: the writer "
        "fell behind, or the log's reader went away.\n"
        "# TYPE motcua_http_access_log_dropped_total counter\n"
        "motcua_http_access_log_dropped_total " +
        std::to_string(log_dropped_->load(relaxed)) + '\n';
  }
  out +=
      "# HELP motcua_process_start_time_seconds Start time of the process since the Unix epoch.\n"
      "# TYPE motcua_process_start_time_seconds gauge\n"
      "motcua_process_start_time_seconds ";
  append_double(out, start_time_seconds_);
  out += '\n';
  // Resident memory from /proc (Linux); skipped elsewhere.
  if (std::ifstream statm("/proc/self/statm"); statm) {
    long pages_total = 0, pages_resident = 0;
    if (statm >> pages_total >> pages_resident) {
      out +=
          "# HELP motcua_process_resident_memory_bytes Resident memory size in bytes.\n"
          "# TYPE motcua_process_resident_memory_bytes gauge\n"
          "motcua_process_resident_memory_bytes " +
          std::to_string(pages_resident * sysconf(_SC_PAGESIZE)) + '\n';
    }
  }
  return out;
}

}  // namespace motcua::http
