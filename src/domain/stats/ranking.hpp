// Ranks of units by score, highest first, in standard competition ranking
// ("1224"): equal scores share a rank, and the places they share are skipped.
#pragma once

#include <span>
#include <vector>

namespace motcua::stats {

// The rank of each of `scores` (in their order): 1 + how many are higher.
std::vector<int> competition_ranks(std::span<const double> scores);

}  // namespace motcua::stats
