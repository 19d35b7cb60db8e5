// Request counters and latency histograms in Prometheus text format 0.0.4.
// Slots are prepared before serving, one per route and method, so recording is
// a few relaxed atomic adds: no lock, no allocation on the hot path.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace motcua::http {

class Metrics {
 public:
  // Upper bounds of the latency buckets, in seconds (+Inf is implicit).
  static constexpr std::array<double, 13> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0};

  // `routes` are (method, route name) pairs; slot i is routes[i]. Slots for
  // requests no route answered ("static", "unmatched") are added per method.
  explicit Metrics(const std::vector<std::pair<std::string, std::string>>& routes);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  std::size_t route_slots() const { return route_slots_; }
  // Slot for a request served from static files / answered by no route.
  std::size_t static_slot(std::string_view method) const;
  std::size_t unmatched_slot(std::string_view method) const;
  // Slot for a HEAD answered by route `route_slot`'s GET handler (the route's
  // own for any other route); listed once it has traffic.
  std::size_t head_slot(std::size_t route_slot) const { return head_slots_[route_slot]; }

  // Thread-safe and lock-free.
  void record(std::size_t slot, int status, std::chrono::nanoseconds duration);
  void connection_opened() { open_connections_.fetch_add(1, std::memory_order_relaxed); }
  void connection_closed() { open_connections_.fetch_sub(1, std::memory_order_relaxed); }
  std::int64_t open_connections() const {
    return open_connections_.load(std::memory_order_relaxed);
  }
  // A connection turned away at a limit: the server's, or its client's.
  void connection_refused(bool per_client) {
    (per_client ? refused_per_client_ : refused_full_).fetch_add(1, std::memory_order_relaxed);
  }
  // Set by the access log so that dropped lines show up on the dashboard.
  void set_log_dropped_source(const std::atomic<std::uint64_t>* dropped) { log_dropped_ = dropped; }

  // Prometheus text exposition format 0.0.4
  // (content type "text/plain; version=0.0.4").
  std::string render() const;

 private:
  struct Slot;
  std::size_t special_slot(std::size_t base, std::string_view method) const;

  std::vector<std::unique_ptr<Slot>> slots_;
  std::size_t route_slots_ = 0;
  std::vector<std::size_t> head_slots_;  // by route slot
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::uint64_t> refused_full_{0};
  std::atomic<std::uint64_t> refused_per_client_{0};
  const std::atomic<std::uint64_t>* log_dropped_ = nullptr;
  double start_time_seconds_ = 0;
};

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace motcua::http
