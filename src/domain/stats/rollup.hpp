// Monthly rollup of the daily counters: beside each (level, unit, day) row the
// store keeps one (level, unit, month) row, the sum of that month's days, kept
// in the same transaction. A figure over a long range then reads one row per
// month and a few days at its ends (split_range): a year of 365 days is at
// most 13 month rows and 30 day rows, and usually far fewer.
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

// What the store reads for a range of days: some days as they are, whole
// months from the rollup, and the days of those months that lie outside the
// range, taken away. At each end the cheaper way is chosen: 3 May..31 July is
// May, June and July less 1-2 May (4 rows), not 29 days of May and two months
// (31 rows). Empty ranges have from > to. The gauge day is read as a day.
struct DayRange {
  std::int64_t from = 0, to = -1;
  bool empty() const { return from > to; }
  std::int64_t size() const { return empty() ? 0 : to - from + 1; }
};
struct RangeSplit {
  DayRange add[2];       // days read as they are
  DayRange months;       // first days of the months read from the rollup
  DayRange subtract[2];  // days of those months outside the range
  std::int64_t rows() const;  // rows read, at most (a month is one)
};
RangeSplit split_range(std::int64_t from, std::int64_t to);

}  // namespace motcua::stats
