// Forecast of a unit's received dossiers per working day, and its error.
//
// The model is the one a planner can check by hand: the expected count for a
// working day is the mean of the same weekday over the last eight weeks of
// working days (falling back to the mean of the last twenty working days when
// a weekday has fewer than two), so the week's rhythm carries over and days
// off (weekends, holidays, Tết) are simply not working days. Its error is
// measured by forecasting the most recent held-back working days from the
// history before them and comparing with what happened.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace motcua::stats {

struct DayCount {
  std::int64_t day = 0;  // local day number of a working day
  std::int64_t count = 0;
};

// Expected counts for `days` (working days, after every day of `history`),
// from `history` (working days, oldest first).
std::vector<double> forecast(std::span<const DayCount> history, std::span<const std::int64_t> days);

struct ForecastError {
  int held_back_days = 0;
  double mae = 0;                  // mean absolute error, dossiers per day
  std::optional<double> wape;      // sum |error| / sum actual
  double bias = 0;                 // mean (forecast - actual)
  std::vector<DayCount> actual;    // the held-back days
  std::vector<double> predicted;
};

// Holds back the last `held_back` days of `history` and forecasts them from
// the rest; nullopt when the rest is shorter than `held_back`.
std::optional<ForecastError> backtest(std::span<const DayCount> history, int held_back);

// Staff needed to receive `expected` dossiers at `per_staff` a day (at least
// one when any is expected).
int staff_for(double expected, double per_staff);

}  // namespace motcua::stats
