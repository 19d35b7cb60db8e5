// Migration 20: the receiving desk's count (stats::Counter::kReceivedAtDesk),
// a column of both counter tables. The rows counted before hold 0 there,
// while a desk that received dossiers has received some: SQL cannot count
// them (they are each dossier's contribution, domain/stats/contribution.hpp),
// so, as migration 17 does, the migration leaves a reason in stats_rebuild_due
// when there are counters, and `serve` or `stats rebuild` recomputes them.
#pragma once

namespace motcua::store::migrations {

inline constexpr const char* kReceivedAtDeskSqlite = R"sql(
ALTER TABLE stats_daily ADD COLUMN received_at_desk INTEGER NOT NULL DEFAULT 0;
ALTER TABLE stats_monthly ADD COLUMN received_at_desk INTEGER NOT NULL DEFAULT 0;

INSERT INTO stats_rebuild_due (reason)
SELECT 'received_at_desk' WHERE EXISTS (SELECT 1 FROM stats_daily);
)sql";

inline constexpr const char* kReceivedAtDeskPostgres = R"sql(
ALTER TABLE stats_daily ADD COLUMN received_at_desk BIGINT NOT NULL DEFAULT 0;
ALTER TABLE stats_monthly ADD COLUMN received_at_desk BIGINT NOT NULL DEFAULT 0;

INSERT INTO stats_rebuild_due (reason)
SELECT 'received_at_desk' WHERE EXISTS (SELECT 1 FROM stats_daily);
)sql";

}  // namespace motcua::store::migrations
