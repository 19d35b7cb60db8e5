// Monthly rollup of the daily counters: beside each (level, unit, day) row the
// store keeps one (level, unit, month) row, the sum of that month's days, kept
// in the same transaction. A figure over a long range then reads the days of
// the partial months at its ends and one row per whole month between them: a
// year is at most 12 month rows and 60 day rows instead of 365.
//
// A month is named by the day number of its first day, so month rows share the
// daily rows' Key type. The gauge day (kGaugeDay) has no month.
#pragma once

#include <cstdint>
#include <vector>

#include "domain/stats/counters.hpp"

namespace motcua::stats {

// Day number of the first day of `day`'s month.
std::int64_t month_start(std::int64_t day);

// The month rows that `days` adds (key.day = month_start), merged, sorted by
// key, without zero rows; gauge rows are left out.
std::vector<Row> months_of(const std::vector<Row>& days);

// A range of days cut into what the store reads: days [head_from, head_to],
// whole months whose first days lie in [months_from, months_to], and days
// [tail_from, tail_to]. An empty part has from > to. A range holding no whole
// month (or starting at the gauge day) is all head.
struct RangeSplit {
  std::int64_t head_from, head_to;
  std::int64_t months_from, months_to;
  std::int64_t tail_from, tail_to;
};
RangeSplit split_range(std::int64_t from, std::int64_t to);

}  // namespace motcua::stats
