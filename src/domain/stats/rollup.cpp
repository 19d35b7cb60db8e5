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

std::int64_t RangeSplit::rows() const {
  std::int64_t n = 0;
  for (const DayRange& r : add) n += r.size();
  for (const DayRange& r : subtract) n += r.size();
  // Months are named by their first days: count the first days in the range.
  for (std::int64_t m = months.from; m <= months.to; m = month_start(m + 31)) ++n;
  return n;
}

RangeSplit split_range(std::int64_t from, std::int64_t to) {
  RangeSplit days_only;
  days_only.add[0] = {from, to};
  if (from == kGaugeDay || from > to) return days_only;
  const std::int64_t first_month = month_start(from);
  const std::int64_t last_month = month_start(to);
  const std::int64_t first_month_end = month_start(first_month + 31) - 1;
  const std::int64_t last_month_end = month_start(last_month + 31) - 1;
  RangeSplit s;
  if (first_month == last_month) {
    // Within one month: its days, or the month less the days around them.
    if (to - from + 1 <= 1 + (from - first_month) + (last_month_end - to)) return days_only;
    s.months = {first_month, first_month};
    s.subtract[0] = {first_month, from - 1};
    s.subtract[1] = {to + 1, last_month_end};
    return s;
  }
  // Each end: its days in the range, or its whole month less the days outside.
  const bool head_month = 1 + (from - first_month) < first_month_end - from + 1;
  const bool tail_month = 1 + (last_month_end - to) < to - last_month + 1;
  s.months = {head_month ? first_month : first_month_end + 1,
              tail_month ? last_month : month_start(last_month - 1)};
  if (s.months.empty()) return days_only;  // two partial months, read as days
  if (head_month) {
    s.subtract[0] = {first_month, from - 1};
  } else {
    s.add[0] = {from, first_month_end};
  }
  if (tail_month) {
    s.subtract[1] = {to + 1, last_month_end};
  } else {
    s.add[1] = {last_month, to};
  }
  return s;
}

}  // namespace motcua::stats
