#include "common/dates.hpp"

#include <cstdio>

namespace motcua {

namespace {
constexpr auto kVnOffset = std::chrono::hours(7);

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}
}  // namespace

bool is_iso_date(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return false;
  if (!all_digits(t.substr(0, 4)) || !all_digits(t.substr(5, 2)) || !all_digits(t.substr(8, 2)))
    return false;
  int y = std::stoi(std::string(t.substr(0, 4)));
  unsigned m = std::stoi(std::string(t.substr(5, 2)));
  unsigned d = std::stoi(std::string(t.substr(8, 2)));
  return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}
      .ok();
}

std::string vn_date(std::chrono::system_clock::time_point when) {
  auto days = std::chrono::floor<std::chrono::days>(when + kVnOffset);
  std::chrono::year_month_day ymd{days};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                unsigned(ymd.day()));
  return buf;
}

// Formatted once a day per thread: the unit registry is asked for the units
// of today with every dossier counted (a commune's year-long list: thousands).
std::string vn_today() {
  const auto now = std::chrono::system_clock::now();
  const auto day = std::chrono::floor<std::chrono::days>(now + kVnOffset);
  thread_local std::chrono::sys_days formatted{};
  thread_local std::string text;
  if (text.empty() || day != formatted) {
    text = vn_date(now);
    formatted = day;
  }
  return text;
}

std::string vn_rfc3339(std::chrono::system_clock::time_point when) {
  auto local = std::chrono::floor<std::chrono::seconds>(when + kVnOffset);
  auto days = std::chrono::floor<std::chrono::days>(local);
  std::chrono::year_month_day ymd{days};
  std::chrono::hh_mm_ss hms{local - days};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d+07:00", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()));
  return buf;
}

}  // namespace motcua
