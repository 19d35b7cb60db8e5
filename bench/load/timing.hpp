// The in-process timing programs' one measure: p50 and p99 of `runs` calls.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <vector>

namespace motcua::bench {

struct Timing {
  double p50_ms = 0, p99_ms = 0;
};

inline Timing timed(int runs, const std::function<void()>& fn) {
  std::vector<double> ms;
  ms.reserve(runs > 0 ? static_cast<std::size_t>(runs) : 0);
  for (int i = 0; i < runs; ++i) {
    const auto t = std::chrono::steady_clock::now();
    fn();
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count());
  }
  if (ms.empty()) return {};
  std::sort(ms.begin(), ms.end());
  return {ms[ms.size() / 2], ms[std::min(ms.size() - 1, ms.size() * 99 / 100)]};
}

}  // namespace motcua::bench
