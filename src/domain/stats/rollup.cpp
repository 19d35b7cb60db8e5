#include "domain/stats/rollup.hpp"

#include <algorithm>

#include "domain/calendar/civil_date.hpp"

namespace motcua::stats {

std::int64_t month_start(std::int64_t day) {
  calendar::CivilDate d = calendar::civil_from_days(day);
  d.day = 1;
  return calendar::days_from_civil(d);
}

std::vector<Row> months_of(const std::vector<Row>& days) {
  std::vector<Row> mapped;
  mapped.reserve(days.size());
  for (const Row& r : days) {
    if (r.key.day != kGaugeDay) mapped.push_back({{r.key.level, r.key.unit, month_start(r.key.day)}, r.counters});
  }
  // Sorted days already give sorted months; sorting keeps that a property of
  // the result, not a condition on the caller.
  std::stable_sort(mapped.begin(), mapped.end(),
                   [](const Row& a, const Row& b) { return a.key < b.key; });
  std::vector<Row> out;
  for (Row& r : mapped) {
    if (!out.empty() && out.back().key == r.key) {
      out.back().counters += r.counters;
    } else {
      out.push_back(std::move(r));
    }
  }
  std::erase_if(out, [](const Row& r) { return r.counters.zero(); });
  return out;
}

RangeSplit split_range(std::int64_t from, std::int64_t to) {
  constexpr std::int64_t kNone = -1;  // an empty part: [0, -1]
  RangeSplit all_days{from, to, 0, kNone, 0, kNone};
  if (from == kGaugeDay || from > to) return all_days;
  // First whole month: the one starting at `from`, or the next one.
  std::int64_t first = month_start(from);
  if (first < from) first = month_start(first + 31);
  // Day after the last whole month: the start of the month after `to`'s, if
  // `to` ends its month, else the start of `to`'s month.
  std::int64_t end = month_start(to);
  if (month_start(to + 1) != end) end = to + 1;
  if (first >= end) return all_days;
  return RangeSplit{from, first - 1, first, month_start(end - 1), end, to};
}

}  // namespace motcua::stats
