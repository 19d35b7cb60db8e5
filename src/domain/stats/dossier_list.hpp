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

// Overdue now as the figure counts it: received, in progress, proposed or
// approved (a dossier waiting for the applicant has its clock stopped) with
// an indexed due time (the legal one pushed back by answered pauses) before `now`.
bool overdue_now(dossier::State state, std::optional<std::int64_t> indexed_due, std::int64_t now);

// The states a dossier in list `kind` can be in: a narrower read of the store.
std::vector<dossier::State> states_of(ListKind kind);

}  // namespace motcua::stats
