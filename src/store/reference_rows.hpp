// What both back ends share about the reference tables: how a level is
// written, and the errors that name a rejected input row.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.hpp"
#include "domain/units/model.hpp"

namespace motcua::store {

// Stored as text so the tables read well in a SQL shell.
const char* level_text(units::Level level);
std::optional<units::Level> level_from_text(std::string_view text);

// The ORDER BY that load_reference_data() uses: province, district, commune.
inline constexpr const char* kLevelRankSql =
    "CASE level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END";

// A units import leaves its id in stats_units_due (migration 21), when there
// are counters: they roll up by the registry, so they are recounted by a
// process that has loaded that import or a later one (StatsService::
// recount_due), never by one still holding an older registry. rebuild_due()
// names it as this prefix followed by the id.
inline constexpr std::string_view kUnitsImportMark = "units_import:";

// The newest units import's id, 0 before any; valid SQL for both back ends.
inline constexpr const char* kLatestUnitsImportSql =
    "SELECT COALESCE(MAX(id), 0) FROM reference_imports WHERE kind = 'units'";

// Leaves the mark of the newest units import, in the import's transaction.
inline constexpr const char* kMarkUnitsImportSql =
    "INSERT INTO stats_units_due (import_id) SELECT id FROM reference_imports"
    " WHERE kind = 'units' AND EXISTS (SELECT 1 FROM stats_daily) ORDER BY id DESC LIMIT 1"
    " ON CONFLICT DO NOTHING";

// Every reason to recount, both tables', in order.
inline constexpr const char* kRebuildDueSql =
    "SELECT reason FROM stats_rebuild_due UNION ALL"
    " SELECT 'units_import:' || import_id FROM stats_units_due ORDER BY 1";

// The import id of a units mark, or nothing for another reason.
std::optional<std::int64_t> units_import_of(std::string_view reason);

enum class ReferenceTable { kVersions, kSuccessions };

// An import rejected at input row `index` (0-based) of `table`; `reason` is the
// database's own words. Says that nothing was changed, and names the row both
// for a person (1-based, with its key) and for a program (param "versions[2]").
Error rejected_row_error(const units::ReferenceData& data, ReferenceTable table, std::size_t index,
                         bool duplicate_key, const std::string& reason);

// An import rejected without knowing the row (the database did not say).
Error rejected_import_error(const std::string& reason);

// The schema is missing: the operator must run the migrations first.
Error not_migrated_error(const char* backend);

}  // namespace motcua::store
