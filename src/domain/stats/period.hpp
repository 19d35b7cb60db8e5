// The date range a figure covers, from the query's words: a period (day,
// week, month, quarter, year) around a date, or an explicit from..to.
// Ranges are inclusive local day numbers (calendar::local_day_number).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "domain/calendar/civil_date.hpp"

namespace motcua::stats {

struct Range {
  std::int64_t from_day = 0;  // inclusive
  std::int64_t to_day = 0;    // inclusive
  std::int64_t days() const { return to_day - from_day + 1; }
};

inline constexpr std::int64_t kMaxRangeDays = 3700;  // ten years and change

// `period` one of day|week|month|quarter|year with `date` (YYYY-MM-DD, empty:
// today), or empty with `from` and `to` (a period with either is an error
// naming "period"). Weeks run Monday to Sunday. Errors (kBadRequest) name the
// parameter: "period", "date", "from" or "to".
Result<Range> parse_range(std::string_view period, std::string_view date, std::string_view from,
                          std::string_view to, std::int64_t today);

std::string day_iso(std::int64_t day);  // "2026-12-03"

}  // namespace motcua::stats
