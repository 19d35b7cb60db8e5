// What both back ends share about the calendar area: a year's decision is
// stored as one JSON document (the YearOverrides without its year, which is
// the row's key):
//   {"tet_days": ["2026-02-16", ...] | null,
//    "national_day_adjacent": "2026-09-01" | null,
//    "days_off": [{"date": "2026-04-27", "name_vi": "...", "name_en": "..."}],
//    "working_days": [...]}
#pragma once

#include <string>
#include <string_view>

#include "common/result.hpp"
#include "domain/calendar/holidays.hpp"

namespace motcua::store {

std::string overrides_document(const calendar::YearOverrides& overrides);

// The overrides of `year` from a stored document; a malformed document is an
// internal error naming the year (the rows are only written by this program).
Result<calendar::YearOverrides> overrides_from_document(int year, std::string_view document);

}  // namespace motcua::store
