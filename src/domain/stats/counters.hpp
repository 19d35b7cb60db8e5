// The counters of the operations centre: what one unit did on one local day,
// summed over dossiers. Rows are kept per (level, unit, day) for the unit,
// its province and the nation, so a figure for any unit and range costs a row
// per day at most (per month for whole months, rollup.hpp), whatever the number
// of dossiers (contribution.hpp says what a dossier adds). Day 0 holds the
// gauges (dossiers open now), not a date. Every counter but kReceivedAtDesk
// is the competent unit's; that one is the receiving desk's.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace motcua::stats {

enum class Counter : int {
  kReceived,        // received (has its code), on the day of receipt
  kReceivedOnline,  // ... by channel
  kReceivedCounter,
  kReceivedPost,
  kReceivedPortal,
  kFeesDue,              // received with a fee to pay
  kPaidOnline,           // ... of which paid online
  kDigitised,            // received and digitised
  kSupplementRequests,   // requests after receipt, on the day of the request
  kSupplemented,         // dossiers asked at least once, on their day of receipt
  kFinished,             // result issued, or refused after receipt, on that day
  kOnTime,               // finished by the effective due time (time_status.hpp)
  kLate,                 // finished after it, or asked for supplements more than once
  kRefused,              // finished by a refusal
  kProcessingMilliDays,  // sum of working time from clock start to finish, pauses left out
  kResultsElectronic,    // finished with an electronic result
  kRatings,              // ratings given, on the day of the rating
  kRatingSum,
  kSatisfied,  // ratings of 4 or 5
  kOpen,       // gauge (day 0): received, not finished, not withdrawn
  // Received at this unit's one-stop desk, on the day of receipt, whichever
  // unit is competent: the desk's own work, which kReceived (counted at the
  // competent unit) does not show when a dossier is received for another
  // unit anywhere in the province. Last: the others keep their numbers.
  kReceivedAtDesk,
};
inline constexpr int kCounterCount = 21;

// Stable column names: they are the stats table's columns and the JSON keys.
std::string_view counter_name(Counter c);

struct Counters {
  std::array<std::int64_t, kCounterCount> v{};

  std::int64_t operator[](Counter c) const { return v[static_cast<int>(c)]; }
  std::int64_t& operator[](Counter c) { return v[static_cast<int>(c)]; }
  Counters& operator+=(const Counters& o);
  Counters& operator-=(const Counters& o);
  bool zero() const;
  friend bool operator==(const Counters&, const Counters&) = default;
};

// Which rows a figure sums: a commune's (or a province-level agency's) own,
// a province's (its communes and agencies), or the nation's.
enum class Level { kUnit, kProvince, kNation };
std::string_view level_name(Level l);  // "unit", "province", "nation"
std::optional<Level> parse_level(std::string_view name);

inline constexpr std::string_view kNationCode = "VN";
inline constexpr std::int64_t kGaugeDay = 0;

struct Key {
  Level level = Level::kUnit;
  std::string unit;      // unit code; kNationCode for the nation
  std::int64_t day = 0;  // local day number (calendar::local_day_number), or kGaugeDay

  friend auto operator<=>(const Key&, const Key&) = default;
};

struct Row {
  Key key;
  Counters counters;

  friend bool operator==(const Row&, const Row&) = default;
};

}  // namespace motcua::stats
