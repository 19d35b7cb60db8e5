#include "domain/stats/contribution.hpp"

#include <algorithm>
#include <map>

namespace motcua::stats {
namespace {

using dossier::Channel;
using dossier::Dossier;
using dossier::State;

Counter channel_counter(Channel c) {
  switch (c) {
    case Channel::kOnline: return Counter::kReceivedOnline;
    case Channel::kCounter: return Counter::kReceivedCounter;
    case Channel::kPost: return Counter::kReceivedPost;
    case Channel::kNationalPortal: return Counter::kReceivedPortal;
  }
  return Counter::kReceivedOnline;
}

// Working time from the clock start to the finish, the pauses of supplement
// requests after receipt left out, in thousandths of a working day.
Result<std::int64_t> processing_milli_days(const Dossier& d, const dossier::WorkingClock& clock) {
  const auto start = d.clock_start.value_or(*d.received_at);
  const auto end = *d.finished_at;
  auto total = clock.working_seconds(start, end);
  if (!total) return total.error();
  std::int64_t seconds = *total;
  for (const auto& s : d.supplements) {
    if (!s.after_receipt) continue;
    const auto from = std::max(s.requested_at, start);
    const auto to = std::min(s.answered_at.value_or(end), end);
    auto paused = clock.working_seconds(from, to);
    if (!paused) return paused.error();
    seconds -= *paused;
  }
  const std::int64_t day = std::max<std::int64_t>(1, clock.working_day_seconds());
  return std::max<std::int64_t>(0, seconds) * 1000 / day;
}

}  // namespace

Result<std::vector<Row>> contribution(const Dossier& d, std::string_view province,
                                      const dossier::WorkingClock* clock,
                                      std::string_view desk_province) {
  // By day, then spread over the three levels.
  std::map<std::int64_t, Counters> by_day;
  const bool received = d.received_at.has_value() && !d.code.empty();
  // The desk's receipt: beside "received" when the dossier is received where
  // it is settled (nearly always), else on the desk's own rows, merged below.
  const std::string& desk_unit = d.desk_unit();
  const bool desk_elsewhere = received && desk_unit != d.competent_unit;
  std::vector<Row> desk;
  if (desk_elsewhere) {
    const std::int64_t day = calendar::local_day_number(*d.received_at);
    Counters c;
    c[Counter::kReceivedAtDesk] = 1;
    const std::string_view p = desk_province.empty() ? province : desk_province;
    desk.push_back({{Level::kUnit, desk_unit, day}, c});
    desk.push_back({{Level::kProvince, std::string(p), day}, c});
    desk.push_back({{Level::kNation, std::string(kNationCode), day}, c});
    std::sort(desk.begin(), desk.end(), [](const Row& a, const Row& b) { return a.key < b.key; });
  }
  if (received) {
    Counters& c = by_day[calendar::local_day_number(*d.received_at)];
    c[Counter::kReceived] = 1;
    if (!desk_elsewhere) c[Counter::kReceivedAtDesk] = 1;
    c[channel_counter(d.channel)] = 1;
    bool fee = false, online = false;
    for (const auto& f : d.fees) {
      fee = fee || f.amount_vnd > 0;
      online = online || (f.amount_vnd > 0 && f.paid_online);
    }
    if (fee) c[Counter::kFeesDue] = 1;
    if (online) c[Counter::kPaidOnline] = 1;
    if (d.digitised) c[Counter::kDigitised] = 1;

    // Asked for supplements: counted on the receipt day, beside "received",
    // so that the supplement rate is the share of a period's received
    // dossiers that were asked (at most 1). Each request counts on its day.
    for (const auto& s : d.supplements) {
      if (!s.after_receipt) continue;
      by_day[calendar::local_day_number(s.requested_at)][Counter::kSupplementRequests] += 1;
      c[Counter::kSupplemented] = 1;
    }

    if (d.finished_at) {
      if (clock == nullptr) {
        return make_error(ErrorKind::kInternal,
                          "Không có lịch làm việc của đơn vị " + d.competent_unit + ".",
                          "There is no working calendar for unit " + d.competent_unit + ".");
      }
      Counters& fc = by_day[calendar::local_day_number(*d.finished_at)];
      fc[Counter::kFinished] = 1;
      auto t = dossier::evaluate_time(d, *d.finished_at, *clock);
      if (!t) return t.error();
      if (t->status == dossier::TimeStatus::kOnTime) fc[Counter::kOnTime] = 1;
      if (t->status == dossier::TimeStatus::kLate) fc[Counter::kLate] = 1;
      if (d.state == State::kRefused) fc[Counter::kRefused] = 1;
      auto ms = processing_milli_days(d, *clock);
      if (!ms) return ms.error();
      fc[Counter::kProcessingMilliDays] = *ms;
      if (d.result && d.result->form == dossier::ResultForm::kElectronic) {
        fc[Counter::kResultsElectronic] = 1;
      }
    } else if (d.state != State::kWithdrawn) {
      by_day[kGaugeDay][Counter::kOpen] = 1;
    }
  }
  if (d.rating) {
    Counters& rc = by_day[calendar::local_day_number(d.rating->at)];
    rc[Counter::kRatings] = 1;
    rc[Counter::kRatingSum] = d.rating->score;
    if (d.rating->score >= 4) rc[Counter::kSatisfied] = 1;
  }

  std::vector<Row> out;
  out.reserve(by_day.size() * 3);
  for (const auto& [day, c] : by_day) {
    out.push_back({{Level::kUnit, d.competent_unit, day}, c});
    out.push_back({{Level::kProvince, std::string(province), day}, c});
    out.push_back({{Level::kNation, std::string(kNationCode), day}, c});
  }
  std::sort(out.begin(), out.end(), [](const Row& a, const Row& b) { return a.key < b.key; });
  if (desk_elsewhere) merge_into(out, desk);
  return out;
}

void merge_into(std::vector<Row>& into, const std::vector<Row>& rows) {
  std::vector<Row> out;
  out.reserve(into.size() + rows.size());
  auto a = into.begin();
  auto b = rows.begin();
  while (a != into.end() || b != rows.end()) {
    if (b == rows.end() || (a != into.end() && a->key < b->key)) {
      out.push_back(std::move(*a++));
    } else if (a == into.end() || b->key < a->key) {
      out.push_back(*b++);
    } else {
      a->counters += b->counters;
      if (!a->counters.zero()) out.push_back(std::move(*a));
      ++a;
      ++b;
    }
  }
  into = std::move(out);
}

std::vector<Row> delta(const std::vector<Row>& before, const std::vector<Row>& after) {
  std::vector<Row> out = after;
  std::vector<Row> minus = before;
  for (Row& r : minus) {
    Counters neg;
    neg -= r.counters;
    r.counters = neg;
  }
  merge_into(out, minus);
  return out;
}

}  // namespace motcua::stats
