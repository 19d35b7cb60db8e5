// Migration 17: counters to recompute. A dossier's "supplemented" count moved
// from the day of its first supplement request to its day of receipt (so the
// supplement rate is a share of the received dossiers, never above 100%): the
// rows counted before no longer match what the dossiers add. SQL alone cannot
// recompute them (they are the domain's contribution of each dossier), so the
// migration leaves a reason in stats_rebuild_due when there are counters, and
// `serve` (on start, before it listens) or `stats rebuild` recomputes them
// from the dossiers; the rebuild clears the reasons in its own transaction.
#pragma once

namespace motcua::store::migrations {

inline constexpr const char* kStatsRebuildDueSqlite = R"sql(
CREATE TABLE stats_rebuild_due (
  reason TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

INSERT INTO stats_rebuild_due (reason)
SELECT 'supplemented_on_receipt_day' WHERE EXISTS (SELECT 1 FROM stats_daily);
)sql";

inline constexpr const char* kStatsRebuildDuePostgres = R"sql(
CREATE TABLE stats_rebuild_due (
  reason TEXT PRIMARY KEY
);

INSERT INTO stats_rebuild_due (reason)
SELECT 'supplemented_on_receipt_day' WHERE EXISTS (SELECT 1 FROM stats_daily);
)sql";

}  // namespace motcua::store::migrations
