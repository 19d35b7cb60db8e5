#include "domain/stats/ranking.hpp"

#include <algorithm>
#include <cstddef>
#include <numeric>

namespace motcua::stats {

std::vector<int> competition_ranks(std::span<const double> scores) {
  std::vector<std::size_t> order(scores.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return scores[a] > scores[b]; });
  std::vector<int> out(scores.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    const bool tie = i > 0 && scores[order[i]] == scores[order[i - 1]];
    out[order[i]] = tie ? out[order[i - 1]] : static_cast<int>(i + 1);
  }
  return out;
}

}  // namespace motcua::stats
