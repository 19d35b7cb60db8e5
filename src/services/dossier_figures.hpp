// A dossier's part in the operations centre's counters with the calendar and
// the province looked up (domain/stats/contribution.hpp holds the rules).
// Used by every write of a dossier, by simulate, and by the rebuild that
// recomputes the counters from scratch, so all three count alike.
#pragma once

#include <optional>
#include <vector>

#include "common/result.hpp"
#include "domain/dossier/dossier.hpp"
#include "domain/dossier/time_status.hpp"
#include "domain/stats/counters.hpp"
#include "services/account_service.hpp"
#include "services/calendar_service.hpp"
#include "store/dossiers_store.hpp"

namespace motcua::services {

Result<std::vector<stats::Row>> figures_of(const dossier::Dossier& d,
                                           const CalendarService::Snapshot& calendars,
                                           const ProvinceOf& province_of);

// What changing `before` into `after` does to the counters.
Result<std::vector<stats::Row>> figures_change(const dossier::Dossier& before,
                                               const dossier::Dossier& after,
                                               const CalendarService::Snapshot& calendars,
                                               const ProvinceOf& province_of);

// The dossier's time status at `now`, by the calendar of its competent unit in
// force then (as its page, the deadline sweep and the operations centre's
// lists tell it); nullopt when that unit has no calendar to count with.
std::optional<dossier::TimeReport> time_at(const dossier::Dossier& d,
                                           const CalendarService::Snapshot& calendars,
                                           calendar::Instant now);

// The due time the store indexes (DossierRecord::due_at): the legal one pushed
// back by the supplement pauses already answered; nullopt before receipt.
std::optional<std::int64_t> indexed_due(const dossier::Dossier& d,
                                        const CalendarService::Snapshot& calendars);

// Sets the row's indexed due time and the live one (dossier::live_due) from
// the dossier, as every writer of a changed dossier's row must.
void index_due_times(store::DossierRecord& rec, const dossier::Dossier& d,
                     const CalendarService::Snapshot& calendars);

}  // namespace motcua::services
