// ISO dates as the API takes them, and "today" in Vietnam time (UTC+7, no DST).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace motcua {

// True for a real calendar date written YYYY-MM-DD (2025-02-29 is false).
bool is_iso_date(std::string_view text);

// The date in Vietnam (UTC+7) at the given instant, as YYYY-MM-DD.
std::string vn_date(std::chrono::system_clock::time_point when);
// vn_date of now.
std::string vn_today();

// RFC 3339 with the +07:00 offset, to the second: 2025-07-01T08:30:00+07:00.
std::string vn_rfc3339(std::chrono::system_clock::time_point when);

}  // namespace motcua
