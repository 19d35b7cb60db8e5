// Due-time computations per second through CalendarService (the path the
// dossier engine uses: snapshot load, unit look-up in the registry, the unit's
// calendar, the domain's computation) beside the raw domain figure, on one
// thread, with p50/p99 latency; then the same service call while another
// thread keeps publishing administrator edits.
//
// Usage: calendar_service_bench [calls]   (default 1,000,000 calls per row)
// Measure in a release build: the numbers of a sanitizer build mean little.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "services/calendar_service.hpp"
#include "services/reference_data.hpp"
#include "services/unit_service.hpp"
#include "store/store.hpp"

namespace cal = motcua::calendar;
namespace services = motcua::services;
using Clock = std::chrono::steady_clock;

namespace {

struct Input {
  const std::string* unit;
  cal::Instant received;
  int amount;
  cal::Interval pause;
};

struct Row {
  std::string name;
  double per_second;
  double p50_ns;
  double p99_ns;
};

Row measure(std::string name, const std::vector<Input>& inputs,
            const std::function<std::int64_t(const Input&)>& op) {
  std::int64_t sink = 0;
  const auto t0 = Clock::now();
  for (const Input& in : inputs) sink += op(in);
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();

  const std::size_t samples = std::min<std::size_t>(inputs.size(), 200000);
  std::vector<double> ns(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    const auto a = Clock::now();
    sink += op(inputs[i]);
    ns[i] = std::chrono::duration<double, std::nano>(Clock::now() - a).count();
  }
  std::sort(ns.begin(), ns.end());
  if (sink == 42) std::puts("");  // keeps the results alive
  return Row{std::move(name), static_cast<double>(inputs.size()) / secs, ns[samples / 2],
             ns[samples * 99 / 100]};
}

int fail(const motcua::Error& e) {
  std::fprintf(stderr, "calendar_service_bench: %s\n", e.message_en.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t calls = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;

  auto data = services::load_reference_data(std::string(MOTCUA_SOURCE_DIR) + "/data");
  if (!data) return fail(data.error());
  services::UnitService units(std::move(*data));
  auto store = motcua::store::open_store("sqlite::memory:");
  if (!store) return fail(store.error());
  if (auto r = (*store)->migrate(); !r) return fail(r.error());
  auto service = services::CalendarService::create((*store)->calendar(), units);
  if (!service) return fail(service.error());
  services::CalendarService& svc = **service;

  // The government's 2026 decision, and one province with its own hours, so
  // that some look-ups fall back to a province.
  cal::YearOverrides o2026;
  o2026.year = 2026;
  o2026.tet_days = std::vector<cal::CivilDate>{
      {2026, 2, 16}, {2026, 2, 17}, {2026, 2, 18}, {2026, 2, 19}, {2026, 2, 20}};
  o2026.days_off.push_back({{2026, 1, 2}, "", ""});
  if (auto r = svc.set_overrides(o2026, "bench"); !r) return fail(r.error());
  services::UnitCalendarSettings hanoi;
  hanoi.receipt_cutoff = cal::TimeOfDay::hm(16, 0);
  if (auto r = svc.set_unit_settings("01", hanoi, "bench"); !r) return fail(r.error());

  // Communes in force over the whole range of receipt times.
  std::vector<std::string> communes;
  for (const auto& v : units.registry().all_versions()) {
    if (v.level == motcua::units::Level::kCommune && v.in_force_at("2025-07-02") &&
        v.in_force_at("2026-04-28")) {
      communes.push_back(v.code);
    }
  }
  if (communes.empty()) {
    std::fprintf(stderr, "calendar_service_bench: no commune in force in 2025-2026\n");
    return 1;
  }

  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> when(
      cal::make_instant({2025, 7, 2}, 0, 0).epoch_seconds,
      cal::make_instant({2026, 4, 28}, 0, 0).epoch_seconds);
  std::uniform_int_distribution<int> amount(1, 60);
  std::uniform_int_distribution<std::size_t> pick(0, communes.size() - 1);
  std::uniform_int_distribution<std::int64_t> pause_length(3600, 10 * 86400);
  std::vector<Input> inputs(calls);
  for (Input& in : inputs) {
    in.unit = &communes[pick(rng)];
    in.received = cal::Instant{when(rng)};
    in.amount = amount(rng);
    const std::int64_t from = in.received.epoch_seconds + pause_length(rng);
    in.pause = {cal::Instant{from}, cal::Instant{from + pause_length(rng)}};
  }

  const auto snap = svc.snapshot();
  const cal::WorkingCalendar& domain = snap->default_calendar();
  using services::DueKind;
  std::vector<Row> rows;
  rows.push_back(measure("domain: due_after_working_days", inputs, [&](const Input& in) {
    return domain.due_after_working_days(in.received, in.amount)->epoch_seconds;
  }));
  rows.push_back(measure("service: due, working days", inputs, [&](const Input& in) {
    return svc.due(*in.unit, in.received, in.amount, DueKind::kWorkingDays)->epoch_seconds;
  }));
  rows.push_back(measure("service: due, working hours", inputs, [&](const Input& in) {
    return svc.due(*in.unit, in.received, in.amount, DueKind::kWorkingHours)->epoch_seconds;
  }));
  rows.push_back(measure("service: due, calendar days", inputs, [&](const Input& in) {
    return svc.due(*in.unit, in.received, in.amount, DueKind::kCalendarDays)->epoch_seconds;
  }));
  rows.push_back(measure("domain: working days + 1 pause", inputs, [&](const Input& in) {
    return domain.due_after_working_days(in.received, in.amount, {&in.pause, 1})->epoch_seconds;
  }));
  rows.push_back(measure("service: working days + 1 pause", inputs, [&](const Input& in) {
    return svc.due(*in.unit, in.received, in.amount, DueKind::kWorkingDays, {&in.pause, 1})
        ->epoch_seconds;
  }));
  rows.push_back(measure("service: working_time + 1 pause", inputs, [&](const Input& in) {
    return svc.working_time(*in.unit, in.received, in.pause.to, {&in.pause, 1})->seconds.count();
  }));
  rows.push_back(measure("snapshot held: calendar_for + due", inputs, [&](const Input& in) {
    return (*snap->calendar_for(*in.unit, in.received))
        ->due_after_working_days(in.received, in.amount)
        ->epoch_seconds;
  }));

  // Readers never wait for a writer: an administrator edits the 2026 decision
  // over and over on another thread while this one computes.
  std::atomic<bool> stop{false};
  std::atomic<int> edits{0};
  std::thread writer([&] {
    cal::YearOverrides o = o2026;
    while (!stop.load(std::memory_order_relaxed)) {
      o.days_off[0].date = o.days_off[0].date == cal::CivilDate{2026, 1, 2}
                               ? cal::CivilDate{2026, 1, 5}
                               : cal::CivilDate{2026, 1, 2};
      if (svc.set_overrides(o, "bench").ok()) edits.fetch_add(1, std::memory_order_relaxed);
    }
  });
  const auto e0 = Clock::now();
  rows.push_back(measure("service: due, during admin edits", inputs, [&](const Input& in) {
    return svc.due(*in.unit, in.received, in.amount, DueKind::kWorkingDays)->epoch_seconds;
  }));
  const double edit_secs = std::chrono::duration<double>(Clock::now() - e0).count();
  stop = true;
  writer.join();

  std::printf(
      "calendar_service_bench: %zu calls per row, one thread; %zu communes, receipts\n"
      "2025-07-02..2026-04-28, 1-60 units\n\n",
      calls, communes.size());
  std::printf("| %-36s | %12s | %8s | %8s | %9s |\n", "operation", "calls/s", "p50 ns", "p99 ns",
              "vs domain");
  std::printf("|%s|%s|%s|%s|%s|\n", std::string(38, '-').c_str(), std::string(14, '-').c_str(),
              std::string(10, '-').c_str(), std::string(10, '-').c_str(),
              std::string(11, '-').c_str());
  const double base = rows[0].per_second;
  for (const Row& r : rows) {
    std::printf("| %-36s | %12.0f | %8.0f | %8.0f | %8.2fx |\n", r.name.c_str(), r.per_second,
                r.p50_ns, r.p99_ns, r.per_second / base);
  }
  std::printf(
      "\nduring the last row a writer published %d edits (%.1f per second); latencies\n"
      "include one clock read pair\n",
      edits.load(), edits.load() / edit_secs);
  return 0;
}
