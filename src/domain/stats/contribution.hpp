// What one dossier adds to the counters (counters.hpp), as a function of the
// dossier alone: the receipt counts on the day of receipt (and with it
// whether the dossier was ever asked for supplements), a supplement request on
// its day, the finish on its day, a rating on its day, all at the
// dossier's competent unit, its province and the nation; an open dossier
// adds 1 to the gauge row. One counter is the receiving desk's instead:
// received_at_desk counts the receipt, on its day, at the unit whose desk
// received it (the competent unit when it was received there, or has no
// receiving unit), that unit's province and the nation. So a commune's desk
// that receives dossiers for other units, or for the province's agencies,
// shows that work, and the competent unit's figures stay as they were. For a
// province it is the dossiers received at any desk of the province, for the
// nation every dossier received: their `received`, as a dossier is settled
// in the province that received it (dossier_service's check_same_province).
//
// Because a dossier's contribution depends on nothing but the dossier, the
// change an action makes is contribution(after) - contribution(before)
// (delta()): summing the deltas of every change gives exactly the sum of the
// final contributions, which is how a rebuild from scratch recomputes the
// table and how tests check the incremental one. A forwarded dossier moves
// all its figures to its new unit but received_at_desk, which stays with the
// desk that received it.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/dossier/dossier.hpp"
#include "domain/dossier/time_status.hpp"
#include "domain/stats/counters.hpp"

namespace motcua::stats {

// `province` is the competent unit's province code (the unit's own code for a
// province-level agency). `clock` is the competent unit's working calendar;
// it is needed only for a finished dossier (its time status and processing time).
// `desk_province` is the receiving unit's province code; empty: `province`.
Result<std::vector<Row>> contribution(const dossier::Dossier& d, std::string_view province,
                                      const dossier::WorkingClock* clock,
                                      std::string_view desk_province = {});

// after - before, merged by key, without zero rows, sorted by key.
std::vector<Row> delta(const std::vector<Row>& before, const std::vector<Row>& after);

// Adds `rows` into `into` (kept sorted by key, zero rows dropped).
void merge_into(std::vector<Row>& into, const std::vector<Row>& rows);

}  // namespace motcua::stats
