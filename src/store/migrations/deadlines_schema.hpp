// Schema of the deadline warnings (a migration of the `dossiers` area): which
// dossier was flagged due within one working day, or overdue, and when. One
// row per (dossier, flag), so a sweep that runs again warns nobody twice; the
// warning itself goes out through the outbox in the same transaction.
#pragma once

namespace motcua::store::migrations {

inline constexpr const char* kDeadlinesSqlite = R"sql(
CREATE TABLE dossier_deadline_flags (
  dossier_id TEXT NOT NULL REFERENCES dossiers (id),
  flag       TEXT NOT NULL CHECK (flag IN ('due_soon', 'overdue')),
  flagged_at INTEGER NOT NULL,
  PRIMARY KEY (dossier_id, flag)
) STRICT, WITHOUT ROWID;

CREATE INDEX dossiers_by_due ON dossiers (due_at) WHERE due_at IS NOT NULL;
)sql";

inline constexpr const char* kDeadlinesPostgres = R"sql(
CREATE TABLE dossier_deadline_flags (
  dossier_id TEXT COLLATE "C" NOT NULL REFERENCES dossiers (id),
  flag       TEXT COLLATE "C" NOT NULL CHECK (flag IN ('due_soon', 'overdue')),
  flagged_at BIGINT NOT NULL,
  PRIMARY KEY (dossier_id, flag)
);

CREATE INDEX dossiers_by_due ON dossiers (due_at) WHERE due_at IS NOT NULL;
)sql";

// Migration 9: the sweep looks only at open dossiers. The index on every
// dossier's due time (migration 6) made it walk every dossier ever finished
// past its due time, minutes a sweep at ten million; this one holds the open
// dossiers alone (the states the sweep asks for, spelled as the query spells
// them so the planner may use it), a few percent of the table.
inline constexpr const char* kDeadlineIndexSqlite = R"sql(
DROP INDEX dossiers_by_due;
CREATE INDEX dossiers_open_by_due_at ON dossiers (due_at, id)
  WHERE state IN ('received', 'waiting_supplement', 'in_progress', 'proposed', 'approved');
)sql";

inline constexpr const char* kDeadlineIndexPostgres = R"sql(
DROP INDEX dossiers_by_due;
CREATE INDEX dossiers_open_by_due_at ON dossiers (due_at, id)
  WHERE state IN ('received', 'waiting_supplement', 'in_progress', 'proposed', 'approved');
)sql";

// Migration 10: both partial indexes on open dossiers (this one and the
// overdue counts' of migration 8) name their states with OR, not IN. SQLite
// evaluates an IN list of more than two constants through a temporary b-tree
// it builds and drops on every row written, twice per index on an UPDATE:
// that was about half the cost of writing a dossier row. The queries spelt
// the states exactly so, or the planner would not have known the index holds
// what they asked for (migrations 14 and 15 replaced both indexes).
#define MOTCUA_SWEEP_STATES                                                              \
  "(state = 'received' OR state = 'waiting_supplement' OR state = 'in_progress' OR " \
  "state = 'proposed' OR state = 'approved')"
#define MOTCUA_PROCESSING_STATES \
  "(state = 'received' OR state = 'in_progress' OR state = 'proposed' OR state = 'approved')"

inline constexpr const char* kOpenIndexesByOr =
    "DROP INDEX dossiers_open_by_due_at;\n"
    "CREATE INDEX dossiers_open_by_due_at ON dossiers (due_at, id) WHERE " MOTCUA_SWEEP_STATES ";\n"
    "DROP INDEX dossiers_open_by_due;\n"
    "CREATE INDEX dossiers_open_by_due ON dossiers (sort_due, competent_unit, state) WHERE "
    MOTCUA_PROCESSING_STATES ";\n";

#undef MOTCUA_SWEEP_STATES
#undef MOTCUA_PROCESSING_STATES

}  // namespace motcua::store::migrations
