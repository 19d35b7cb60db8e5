// Due-time computations per second on one thread, and per-call latency.
//
// Usage: calendar_bench [calls]   (default 2,000,000 calls per operation)
// Measure in a release build: the numbers of a sanitizer build mean little.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "domain/calendar/working_calendar.hpp"

namespace cal = motcua::calendar;
using Clock = std::chrono::steady_clock;

namespace {

struct Input {
  cal::Instant received;
  int amount;
  cal::Interval pause;
};

struct Row {
  const char* name;
  double per_second;
  double p50_ns;
  double p99_ns;
};

// Throughput over all inputs, then latency of single calls on a sample (the
// clock read itself is included; its cost is printed below the table).
Row measure(const char* name, const std::vector<Input>& inputs,
            const std::function<std::int64_t(const Input&)>& op) {
  std::int64_t sink = 0;
  const auto t0 = Clock::now();
  for (const Input& in : inputs) sink += op(in);
  const auto t1 = Clock::now();
  const double secs = std::chrono::duration<double>(t1 - t0).count();

  const std::size_t samples = std::min<std::size_t>(inputs.size(), 200000);
  std::vector<double> ns(samples);
  for (std::size_t i = 0; i < samples; ++i) {
    const auto a = Clock::now();
    sink += op(inputs[i]);
    const auto b = Clock::now();
    ns[i] = std::chrono::duration<double, std::nano>(b - a).count();
  }
  std::sort(ns.begin(), ns.end());
  if (sink == 42) std::puts("");  // keeps the results alive
  return Row{name, static_cast<double>(inputs.size()) / secs, ns[samples / 2],
             ns[samples * 99 / 100]};
}

}  // namespace

int main(int argc, char** argv) {
  const std::size_t calls = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2000000;

  cal::YearOverrides o2025;
  o2025.year = 2025;
  o2025.tet_days = std::vector<cal::CivilDate>{
      {2025, 1, 27}, {2025, 1, 28}, {2025, 1, 29}, {2025, 1, 30}, {2025, 1, 31}};
  o2025.days_off.push_back({{2025, 5, 2}, "", ""});
  o2025.working_days.push_back({{2025, 4, 26}, "", ""});

  const auto build0 = Clock::now();
  auto calendar = cal::WorkingCalendar::create(cal::CalendarConfig{}, {o2025});
  const auto build1 = Clock::now();
  if (!calendar) {
    std::fprintf(stderr, "%s\n", calendar.error().message_en.c_str());
    return 1;
  }

  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> when(
      cal::make_instant({2020, 1, 1}, 0, 0).epoch_seconds,
      cal::make_instant({2030, 12, 31}, 0, 0).epoch_seconds);
  std::uniform_int_distribution<int> amount(1, 60);
  std::uniform_int_distribution<std::int64_t> pause_length(3600, 10 * 86400);
  std::vector<Input> inputs(calls);
  for (Input& in : inputs) {
    in.received = cal::Instant{when(rng)};
    in.amount = amount(rng);
    const std::int64_t from = in.received.epoch_seconds + pause_length(rng);
    in.pause = {cal::Instant{from}, cal::Instant{from + pause_length(rng)}};
  }

  const cal::WorkingCalendar& c = *calendar;
  std::vector<Row> rows;
  rows.push_back(measure("due_after_working_days", inputs, [&](const Input& in) {
    return c.due_after_working_days(in.received, in.amount)->epoch_seconds;
  }));
  rows.push_back(measure("due_after_working_hours", inputs, [&](const Input& in) {
    return c.due_after_working_hours(in.received, in.amount)->epoch_seconds;
  }));
  rows.push_back(measure("due_after_calendar_days", inputs, [&](const Input& in) {
    return c.due_after_calendar_days(in.received, in.amount)->epoch_seconds;
  }));
  rows.push_back(measure("due_after_working_days + 1 pause", inputs, [&](const Input& in) {
    return c.due_after_working_days(in.received, in.amount, {&in.pause, 1})->epoch_seconds;
  }));
  rows.push_back(measure("working_time_between + 1 pause", inputs, [&](const Input& in) {
    return c.working_time_between(in.received, in.pause.to, {&in.pause, 1})->count();
  }));

  std::vector<double> overhead(100000);
  for (double& ns : overhead) {
    const auto a = Clock::now();
    const auto b = Clock::now();
    ns = std::chrono::duration<double, std::nano>(b - a).count();
  }
  std::sort(overhead.begin(), overhead.end());

  std::printf("calendar_bench: %zu calls per operation, one thread\n\n", calls);
  std::printf("| %-34s | %14s | %8s | %8s |\n", "operation", "calls/s", "p50 ns", "p99 ns");
  std::printf("|%s|%s|%s|%s|\n", std::string(36, '-').c_str(), std::string(16, '-').c_str(),
              std::string(10, '-').c_str(), std::string(10, '-').c_str());
  for (const Row& r : rows) {
    std::printf("| %-34s | %14.0f | %8.0f | %8.0f |\n", r.name, r.per_second, r.p50_ns, r.p99_ns);
  }
  std::printf(
      "\nlatencies include one clock read pair (p50 %.0f ns); calendar built for %d-%d in "
      "%.1f ms\n",
      overhead[overhead.size() / 2], c.config().first_year, c.config().last_year,
      std::chrono::duration<double, std::milli>(build1 - build0).count());
  return 0;
}
