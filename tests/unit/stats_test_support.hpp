// What the operations centre's rule tests share: a working clock on which
// every second is working time and a working day is 8 hours (so due times and
// processing times can be read off the instants), and a dossier received
// online at commune 00004.
#pragma once

#include <algorithm>
#include <cstdint>

#include "domain/dossier/time_status.hpp"

namespace motcua::stats {

class FlatClock final : public dossier::WorkingClock {
 public:
  Result<std::int64_t> working_seconds(calendar::Instant from,
                                       calendar::Instant to) const override {
    return to <= from ? 0 : to.epoch_seconds - from.epoch_seconds;
  }
  Result<calendar::Instant> add_working_seconds(calendar::Instant from,
                                                std::int64_t s) const override {
    return calendar::Instant{from.epoch_seconds + std::max<std::int64_t>(0, s)};
  }
  std::int64_t working_day_seconds() const override { return 8 * 3600; }
};

inline dossier::Dossier received_dossier(calendar::Instant when, calendar::Instant due) {
  dossier::Dossier d;
  d.id = "HS1";
  d.code = "H01.000.04-260105-0001";
  d.competent_unit = "00004";
  d.receiving_unit = "00004";
  d.channel = dossier::Channel::kOnline;
  d.state = dossier::State::kReceived;
  d.received_at = when;
  d.clock_start = when;
  d.due_at = due;
  return d;
}

}  // namespace motcua::stats
