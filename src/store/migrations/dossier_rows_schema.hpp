// Migration 13: the dossier rows and their log, leaner. On both back ends the
// log no longer stores each entry's prev_hash (the previous entry's hash: the
// store sets it as it reads the entries in order). SQLite also rebuilds:
//
// - dossiers becomes a rowid table with an integer `ref` (its number in this
//   database, rising as dossiers are made) and `id` a unique column. In a
//   WITHOUT ROWID table every interior page of the b-tree holds whole rows,
//   and a body over about 2 KB spills to overflow pages; with rowid the tree
//   is keyed by one integer.
// - body loses its json_valid CHECK: only the store writes it, from the one
//   JSON writer (services/dossier_json), so the check parsed every row
//   written once more for nothing.
// - dossier_events is keyed by one integer, `key` = ref * 2^20 + seq: one
//   b-tree instead of a text key, a dossier's entries one range of keys, and
//   a new dossier's entries written at the end. The dossier's id is no longer
//   stored with every entry: the store reads it from the dossier.
// The chain's hashes cover the id and the previous hash as before, so an
// edited entry still fails its hash, and a removed, inserted or reordered one
// still breaks the chain or its seq.
//
// Measured on a simulated province (22,455 dossiers, 133,481 entries), raw
// INSERT ... SELECT in one transaction, four runs each way, paired: the rows
// 0.43-0.56 s before, 0.29-0.38 s after; the log 0.34-0.48 s before,
// 0.19-0.24 s after. `motcua simulate` of that province over 60 days: about
// 15,000 dossiers/s before, 23,500 after.
//
// Both copies read in the order they write (the dossiers by id, then each
// one's entries by seq), so neither sorts: a sort of the whole log in memory
// would need gigabytes on a large database.
//
// Rebuilding a table other tables refer to needs foreign keys off
// (Migration::rebuilds_tables); the runner checks them all before commit.
// The old tables' pages stay in the file, free for new rows (VACUUM returns
// them to the file system).
#pragma once

namespace motcua::store::migrations {

inline constexpr const char* kDossierRowsSqlite = R"sql(
CREATE TABLE dossiers_rebuilt (
  ref               INTEGER PRIMARY KEY,
  id                TEXT NOT NULL UNIQUE CHECK (id <> ''),
  code              TEXT UNIQUE,
  procedure_code    TEXT NOT NULL,
  procedure_version TEXT NOT NULL,
  receiving_unit    TEXT NOT NULL,
  competent_unit    TEXT NOT NULL,
  channel           TEXT NOT NULL,
  state             TEXT NOT NULL,
  applicant_user_id TEXT NOT NULL,
  assignee          TEXT NOT NULL,
  due_at            INTEGER,
  sort_due          INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  body              TEXT NOT NULL,
  version           INTEGER NOT NULL CHECK (version > 0),
  head_seq          INTEGER NOT NULL CHECK (head_seq BETWEEN 0 AND 1048575),
  head_hash         TEXT NOT NULL
) STRICT;

INSERT INTO dossiers_rebuilt (id, code, procedure_code, procedure_version, receiving_unit,
  competent_unit, channel, state, applicant_user_id, assignee, due_at, sort_due, updated_at,
  body, version, head_seq, head_hash)
SELECT id, code, procedure_code, procedure_version, receiving_unit, competent_unit, channel,
  state, applicant_user_id, assignee, due_at, sort_due, updated_at, body, version, head_seq,
  head_hash
FROM dossiers ORDER BY id;

CREATE TABLE dossier_events_rebuilt (
  key           INTEGER PRIMARY KEY CHECK (key % 1048576 > 0),  -- ref * 2^20 + seq
  dossier_code  TEXT NOT NULL,
  at            INTEGER NOT NULL,
  actor_user_id TEXT NOT NULL,
  actor_role    TEXT NOT NULL,
  actor_unit    TEXT NOT NULL,
  action        TEXT NOT NULL,
  from_state    TEXT NOT NULL,
  to_state      TEXT NOT NULL,
  note          TEXT NOT NULL,
  payload       TEXT NOT NULL,
  hash          TEXT NOT NULL
) STRICT;

INSERT INTO dossier_events_rebuilt
SELECT d.ref * 1048576 + e.seq, e.dossier_code, e.at, e.actor_user_id, e.actor_role,
  e.actor_unit, e.action, e.from_state, e.to_state, e.note, e.payload, e.hash
FROM dossiers_rebuilt d CROSS JOIN dossier_events e ON e.dossier_id = d.id
ORDER BY d.ref, e.seq;

DROP TABLE dossier_events;
DROP TABLE dossiers;
ALTER TABLE dossiers_rebuilt RENAME TO dossiers;
ALTER TABLE dossier_events_rebuilt RENAME TO dossier_events;

CREATE TRIGGER dossier_events_no_update BEFORE UPDATE ON dossier_events
BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;
CREATE TRIGGER dossier_events_no_delete BEFORE DELETE ON dossier_events
BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;

CREATE INDEX dossiers_by_competent ON dossiers (competent_unit, state, sort_due, id);
CREATE INDEX dossiers_by_receiving ON dossiers (receiving_unit, state, sort_due, id)
  WHERE receiving_unit <> competent_unit;
CREATE INDEX dossiers_by_applicant ON dossiers (applicant_user_id, sort_due, id)
  WHERE applicant_user_id <> '';
CREATE INDEX dossiers_open_by_due_at ON dossiers (due_at, id)
  WHERE (state = 'received' OR state = 'waiting_supplement' OR state = 'in_progress' OR
         state = 'proposed' OR state = 'approved');
CREATE INDEX dossiers_open_by_due ON dossiers (sort_due, competent_unit, state)
  WHERE (state = 'received' OR state = 'in_progress' OR state = 'proposed' OR
         state = 'approved');
)sql";

// PostgreSQL keeps its tables (its rows carry no b-tree of whole rows) and
// drops the one column both back ends stopped writing.
inline constexpr const char* kDossierRowsPostgres = R"sql(
ALTER TABLE dossier_events DROP COLUMN prev_hash;
)sql";

}  // namespace motcua::store::migrations
