// Migration 16: an outbox row of a change refers to the change's entry in the
// dossier's log instead of holding a copy of it. Its payload is written empty
// and read back as the entry's canonical text (dossier::canonical_event) from
// the log, which keeps every entry whole and chained; a deadline warning,
// which has no entry, keeps its own payload. Rows written before keep theirs.
//
// The index of unsent rows goes with it: a sender deletes what the portal has
// taken, so the rows left are the pending ones, read in id order from the
// table itself. Each write of a change cost a copy of its entry (some 400
// bytes) in the table and an entry in that index, 2-3 of the ~20 pages a
// group commit of submissions wrote to the log, and the commit thread built
// the copy.
#pragma once

namespace motcua::store::migrations {

inline constexpr const char* kOutboxRefersToLog = R"sql(
DROP INDEX dossier_outbox_pending;
)sql";

}  // namespace motcua::store::migrations
