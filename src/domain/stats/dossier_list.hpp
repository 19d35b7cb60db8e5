// Which dossiers a unit's figure counts: the list behind each number of the
// operations centre, so that a leader who sees "12 late" can read the twelve.
//
// A dossier is in the list of a counted figure exactly when its own
// contribution (contribution.hpp) puts that counter on the unit's row of a day
// in the range; the list and the figure agree because they are the same rows.
// "Overdue now" is not a counter but a reading of the open dossiers' indexed
// due times (the store's open_due_counts), and is decided here the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "domain/dossier/dossier.hpp"
#include "domain/stats/counters.hpp"

namespace motcua::stats {

enum class ListKind {
  kReceived,  // received in the range
  kFinished,  // finished in the range (result issued, or refused after receipt)
  kOnTime,    // ... by the effective due time
  kLate,      // ... after it, or asked for supplements more than once
  kOpen,      // received, not finished, not withdrawn: now
  kOverdue,   // being processed (not waiting for the applicant) and past due: now
};

inline constexpr ListKind kListKinds[] = {ListKind::kReceived, ListKind::kFinished,
                                          ListKind::kOnTime,   ListKind::kLate,
                                          ListKind::kOpen,     ListKind::kOverdue};

std::string_view list_kind_name(ListKind k);  // received, finished, on_time, late, open, overdue
std::optional<ListKind> parse_list_kind(std::string_view name);

// Whether the rows a dossier contributes (`rows`, from contribution()) count
// it in figure `kind` of the unit `unit` over days [from_day, to_day].
// Always false for kOverdue: see overdue_now.
bool counted_in(ListKind kind, const std::vector<Row>& rows, std::string_view unit,
                std::int64_t from_day, std::int64_t to_day);

// Overdue now as the figure counts it: open, with a live due time
// (dossier::live_due: being processed, or waiting for the applicant since it
// was already overdue) before `now`.
bool overdue_now(std::optional<std::int64_t> live_due, std::int64_t now);

// The local day a dossier was received, from its code alone: the state
// machine gives a code only at receipt, dated that day (dossier_code.hpp), and
// contribution() counts a dossier received on its receipt's day, when it has a
// code. So the received list is decided without reading a body. None: no code.
std::optional<std::int64_t> received_day(std::string_view code);

// The states a dossier in list `kind` can be in: a narrower read of the store.
std::vector<dossier::State> states_of(ListKind kind);

// What the store's columns tell before a dossier's body is read, for a range
// whose first day is `from_day`. A receipt or a finish in the range changed
// the dossier then, and nothing changes it at an earlier time afterwards: one
// last changed (`updated_at`) before the range is in none of the range's
// lists. And a due time is set at receipt, from it: a dossier received in the
// range is due (its indexed due time) no earlier than the range's start.
// Each bound keeps a day in hand, for clocks set a little wrong.
bool may_count(ListKind kind, std::int64_t updated_at, std::int64_t from_day);
// The lowest indexed due time a dossier of list `kind` can have; none: any.
std::optional<std::int64_t> lowest_due(ListKind kind, std::int64_t from_day);

}  // namespace motcua::stats
