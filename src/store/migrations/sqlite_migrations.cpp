// SQLite schema, oldest first. Tables are STRICT so a wrong type is an error,
// not a silent conversion. Dates are ISO "YYYY-MM-DD" text ('' = open end),
// which compares correctly as text; codes are text because leading zeros matter.
#include "store/migrations/account_changes_schema.hpp"
#include "store/migrations/accounts_schema.hpp"
#include "store/migrations/attachments_schema.hpp"
#include "store/migrations/batch_tokens_schema.hpp"
#include "store/migrations/catalog_schema.hpp"
#include "store/migrations/deadlines_schema.hpp"
#include "store/migrations/dossier_rows_schema.hpp"
#include "store/migrations/dossiers_kept_schema.hpp"
#include "store/migrations/dossiers_schema.hpp"
#include "store/migrations/event_body_digest_schema.hpp"
#include "store/migrations/live_due_schema.hpp"
#include "store/migrations/migration.hpp"
#include "store/migrations/outbox_schema.hpp"
#include "store/migrations/received_at_desk_schema.hpp"
#include "store/migrations/stats_rebuild_schema.hpp"
#include "store/migrations/stats_schema.hpp"
#include "store/migrations/units_recount_schema.hpp"

namespace motcua::store::migrations {
namespace {

constexpr const char* kReferenceUnits = R"sql(
CREATE TABLE unit_versions (
  level         TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
  code          TEXT NOT NULL CHECK (code <> ''),
  valid_from    TEXT NOT NULL
                CHECK (valid_from = '' OR valid_from GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  valid_to      TEXT NOT NULL
                CHECK (valid_to = '' OR valid_to GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  province_code TEXT NOT NULL,
  district_code TEXT NOT NULL,
  name          TEXT NOT NULL,
  full_name     TEXT NOT NULL,
  name_en       TEXT NOT NULL,
  full_name_en  TEXT NOT NULL,
  unit_type     TEXT NOT NULL,
  PRIMARY KEY (level, code, valid_from),
  CHECK (valid_to = '' OR valid_to > valid_from)
) STRICT, WITHOUT ROWID;

-- The units of a province (or of an old district) at a date.
CREATE INDEX unit_versions_by_province ON unit_versions (province_code, level, code);
CREATE INDEX unit_versions_by_district ON unit_versions (district_code) WHERE district_code <> '';

CREATE TABLE successions (
  id                INTEGER PRIMARY KEY,
  old_province_code TEXT NOT NULL,
  old_province_name TEXT NOT NULL,
  old_district_code TEXT NOT NULL,
  old_district_name TEXT NOT NULL,
  old_commune_code  TEXT NOT NULL,  -- '' when a whole old district moved
  old_commune_name  TEXT NOT NULL,
  new_province_code TEXT NOT NULL,
  new_province_name TEXT NOT NULL,
  new_commune_code  TEXT NOT NULL,
  new_commune_name  TEXT NOT NULL,
  kind              TEXT NOT NULL CHECK (kind <> ''),
  note              TEXT NOT NULL,
  effective         TEXT NOT NULL
                    CHECK (effective = '' OR effective GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')
) STRICT;

-- Old address -> new commune, and new commune -> the old units it absorbed.
CREATE INDEX successions_by_old_commune ON successions (old_commune_code);
CREATE INDEX successions_by_old_district ON successions (old_district_code);
CREATE INDEX successions_by_new_commune ON successions (new_commune_code);

-- One row per import, newest last: has_reference_data() reads only the last row.
CREATE TABLE reference_imports (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL,  -- 'units'
  imported_at      TEXT NOT NULL,  -- RFC 3339, UTC
  version_count    INTEGER NOT NULL,
  succession_count INTEGER NOT NULL
) STRICT;

CREATE INDEX reference_imports_by_kind ON reference_imports (kind, id);
)sql";

// Storage area `calendar`: each year's government decision on holidays (a JSON
// document, see store/calendar_rows.hpp) and each unit's working hours in
// minutes since midnight (receipt_cutoff NULL: the end of the working day).
constexpr const char* kCalendar = R"sql(
CREATE TABLE calendar_year_overrides (
  year       INTEGER PRIMARY KEY CHECK (year BETWEEN 1 AND 9999),
  decision   TEXT NOT NULL CHECK (json_valid(decision)),
  changed_by TEXT NOT NULL,
  changed_at TEXT NOT NULL  -- RFC 3339
) STRICT;

CREATE TABLE calendar_unit_settings (
  unit_code       TEXT PRIMARY KEY CHECK (unit_code <> ''),
  morning_start   INTEGER NOT NULL CHECK (morning_start BETWEEN 0 AND 1440),
  morning_end     INTEGER NOT NULL CHECK (morning_end BETWEEN 0 AND 1440),
  afternoon_start INTEGER NOT NULL CHECK (afternoon_start BETWEEN 0 AND 1440),
  afternoon_end   INTEGER NOT NULL CHECK (afternoon_end BETWEEN 0 AND 1440),
  receipt_cutoff  INTEGER CHECK (receipt_cutoff BETWEEN 0 AND 1440),
  changed_by      TEXT NOT NULL,
  changed_at      TEXT NOT NULL  -- RFC 3339
) STRICT, WITHOUT ROWID;
)sql";

constexpr Migration kMigrations[] = {
    {1, "reference_units", kReferenceUnits},
    {2, "accounts", kAccountsSqlite},
    {3, "catalog", kCatalogSqlite},
    {4, "calendar", kCalendar},
    {5, "dossiers", kDossiersSqlite},
    {6, "deadline_flags", kDeadlinesSqlite},
    {7, "attachments", kAttachmentsSqlite},
    {8, "stats", kStatsSqlite},
    {9, "deadline_index", kDeadlineIndexSqlite},
    {10, "open_indexes_by_or", kOpenIndexesByOr},
    {11, "partial_list_indexes", kPartialListIndexes},
    {12, "stats_monthly", kStatsMonthlySqlite},
    {13, "leaner_dossier_rows", kDossierRowsSqlite, true},
    {14, "live_due", kLiveDueSqlite},
    {15, "sweep_by_live_due", kSweepByLiveDue},
    {16, "outbox_refers_to_log", kOutboxRefersToLog},
    {17, "stats_rebuild_due", kStatsRebuildDueSqlite},
    {18, "dossiers_kept", kDossiersKeptSqlite},
    {19, "batch_tokens", kBatchTokensSqlite},
    {20, "received_at_desk", kReceivedAtDeskSqlite},
    {21, "units_recount", kUnitsRecountSqlite},
    {22, "account_changes", kAccountChangesSqlite},
    {23, "event_body_digest", kEventBodyDigestSqlite},
};

}  // namespace

std::span<const Migration> sqlite_migrations() { return kMigrations; }

}  // namespace motcua::store::migrations
