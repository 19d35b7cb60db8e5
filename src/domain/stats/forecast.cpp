#include "domain/stats/forecast.hpp"

#include <cmath>

#include "domain/calendar/civil_date.hpp"

namespace motcua::stats {
namespace {

constexpr int kWeeks = 8;
constexpr int kRecent = 20;

int weekday_of(std::int64_t day) {
  return static_cast<int>(calendar::weekday(calendar::civil_from_days(day)));
}

}  // namespace

std::vector<double> forecast(std::span<const DayCount> history, std::span<const std::int64_t> days) {
  double recent_sum = 0;
  int recent_n = 0;
  for (auto it = history.rbegin(); it != history.rend() && recent_n < kRecent; ++it, ++recent_n) {
    recent_sum += static_cast<double>(it->count);
  }
  const double recent = recent_n > 0 ? recent_sum / recent_n : 0.0;
  std::vector<double> out;
  out.reserve(days.size());
  for (const std::int64_t d : days) {
    const int wd = weekday_of(d);
    double sum = 0;
    int n = 0;
    for (auto it = history.rbegin(); it != history.rend() && n < kWeeks; ++it) {
      if (it->day < d - 7 * kWeeks - 7) break;
      if (weekday_of(it->day) == wd) {
        sum += static_cast<double>(it->count);
        ++n;
      }
    }
    out.push_back(n >= 2 ? sum / n : recent);
  }
  return out;
}

std::optional<ForecastError> backtest(std::span<const DayCount> history, int held_back) {
  if (held_back <= 0 || history.size() < static_cast<std::size_t>(held_back) * 2) return std::nullopt;
  const auto split = history.size() - static_cast<std::size_t>(held_back);
  const auto past = history.first(split);
  const auto test = history.subspan(split);
  std::vector<std::int64_t> days;
  for (const auto& t : test) days.push_back(t.day);
  ForecastError e;
  e.held_back_days = held_back;
  e.predicted = forecast(past, days);
  double abs_sum = 0, actual_sum = 0, signed_sum = 0;
  for (std::size_t i = 0; i < test.size(); ++i) {
    e.actual.push_back(test[i]);
    const double err = e.predicted[i] - static_cast<double>(test[i].count);
    abs_sum += std::fabs(err);
    signed_sum += err;
    actual_sum += static_cast<double>(test[i].count);
  }
  e.mae = abs_sum / static_cast<double>(test.size());
  e.bias = signed_sum / static_cast<double>(test.size());
  if (actual_sum > 0) e.wape = abs_sum / actual_sum;
  return e;
}

int staff_for(double expected, double per_staff) {
  if (expected <= 0 || per_staff <= 0) return 0;
  return static_cast<int>(std::ceil(expected / per_staff));
}

}  // namespace motcua::stats
