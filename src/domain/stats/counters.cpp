#include "domain/stats/counters.hpp"

namespace motcua::stats {
namespace {

constexpr std::string_view kNames[kCounterCount] = {
    "received",
    "received_online",
    "received_counter",
    "received_post",
    "received_portal",
    "fees_due",
    "paid_online",
    "digitised",
    "supplement_requests",
    "supplemented",
    "finished",
    "on_time",
    "late",
    "refused",
    "processing_milli_days",
    "results_electronic",
    "ratings",
    "rating_sum",
    "satisfied",
    "open",
    "received_at_desk",
};

}  // namespace

std::string_view counter_name(Counter c) { return kNames[static_cast<int>(c)]; }

Counters& Counters::operator+=(const Counters& o) {
  for (int i = 0; i < kCounterCount; ++i) v[i] += o.v[i];
  return *this;
}

Counters& Counters::operator-=(const Counters& o) {
  for (int i = 0; i < kCounterCount; ++i) v[i] -= o.v[i];
  return *this;
}

bool Counters::zero() const {
  for (auto x : v) {
    if (x != 0) return false;
  }
  return true;
}

std::string_view level_name(Level l) {
  switch (l) {
    case Level::kUnit: return "unit";
    case Level::kProvince: return "province";
    case Level::kNation: return "nation";
  }
  return "unit";
}

std::optional<Level> parse_level(std::string_view name) {
  if (name == "unit") return Level::kUnit;
  if (name == "province") return Level::kProvince;
  if (name == "nation") return Level::kNation;
  return std::nullopt;
}

}  // namespace motcua::stats
