// Migration 21: the units imports whose counters are still to be recounted by
// a process holding that import or a later one (StatsService::recount_due).
// A table of their own, not reasons in stats_rebuild_due: a server of an
// earlier version, still running with its old units when a new `motcua
// import` lands, recounts every reason it finds there, and would recount
// this one by the old units and clear it.
#pragma once

namespace motcua::store::migrations {

inline constexpr const char* kUnitsRecountSqlite = R"sql(
CREATE TABLE stats_units_due (
  import_id INTEGER PRIMARY KEY
) STRICT;
)sql";

inline constexpr const char* kUnitsRecountPostgres = R"sql(
CREATE TABLE stats_units_due (
  import_id BIGINT PRIMARY KEY
);
)sql";

}  // namespace motcua::store::migrations
