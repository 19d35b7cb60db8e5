#include "domain/stats/dossier_list.hpp"

#include <algorithm>
#include <array>
#include <iterator>

#include "domain/dossier/dossier_code.hpp"

namespace motcua::stats {
namespace {

using dossier::State;

constexpr std::array<std::string_view, 6> kNames = {"received", "finished", "on_time",
                                                    "late",     "open",     "overdue"};

// The counter behind each counted list (kOverdue has none).
constexpr Counter kCounterOf[] = {Counter::kReceived, Counter::kFinished, Counter::kOnTime,
                                  Counter::kLate,     Counter::kOpen,     Counter::kOpen};

// The first instant of local day `day`, less the day in hand.
std::int64_t day_before(std::int64_t day) {
  return (day - 1) * calendar::kSecondsPerDay - calendar::kVietnamUtcOffsetSeconds;
}

bool in_range(ListKind k) { return k != ListKind::kOpen && k != ListKind::kOverdue; }

}  // namespace

std::string_view list_kind_name(ListKind k) { return kNames[static_cast<int>(k)]; }

std::optional<ListKind> parse_list_kind(std::string_view name) {
  for (ListKind k : kListKinds) {
    if (list_kind_name(k) == name) return k;
  }
  return std::nullopt;
}

bool counted_in(ListKind kind, const std::vector<Row>& rows, std::string_view unit,
                std::int64_t from_day, std::int64_t to_day) {
  if (kind == ListKind::kOverdue) return false;
  const Counter counter = kCounterOf[static_cast<int>(kind)];
  for (const auto& r : rows) {
    if (r.key.level != Level::kUnit || r.key.unit != unit || r.counters[counter] <= 0) continue;
    // The open gauge lives on day 0; every other counter on its own day.
    if (kind == ListKind::kOpen
            ? r.key.day == kGaugeDay
            : r.key.day != kGaugeDay && r.key.day >= from_day && r.key.day <= to_day) {
      return true;
    }
  }
  return false;
}

bool overdue_now(std::optional<std::int64_t> live_due, std::int64_t now) {
  return live_due && *live_due < now;
}

std::optional<std::int64_t> received_day(std::string_view code) {
  if (code.empty()) return std::nullopt;
  auto c = dossier::parse_dossier_code(code);
  if (!c) return std::nullopt;
  return calendar::days_from_civil(c->date);
}

bool may_count(ListKind kind, std::int64_t updated_at, std::int64_t from_day) {
  return !in_range(kind) || updated_at >= day_before(from_day);
}

std::optional<std::int64_t> lowest_due(ListKind kind, std::int64_t from_day) {
  if (kind != ListKind::kReceived) return std::nullopt;  // a late finish may be long past due
  return day_before(from_day);
}

std::vector<State> states_of(ListKind kind) {
  switch (kind) {
    case ListKind::kReceived:
      return {State::kReceived, State::kWaitingSupplement, State::kInProgress,
              State::kProposed, State::kApproved,          State::kResultIssued,
              State::kReturned, State::kRefused,           State::kWithdrawn};
    case ListKind::kFinished:
    case ListKind::kOnTime:
    case ListKind::kLate:
      return {State::kResultIssued, State::kReturned, State::kRefused};
    case ListKind::kOpen:
    case ListKind::kOverdue:
      return {std::begin(dossier::kOpenStates), std::end(dossier::kOpenStates)};
  }
  return {};
}

}  // namespace motcua::stats
