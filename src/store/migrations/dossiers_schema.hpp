// Schema of the storage area `dossiers` (migration 5), one text per back end;
// the migration lists include them by name.
//
// dossiers: the current state as columns (what queries filter and sort on),
// the whole dossier as JSON text, the version (ETag) and the head of the
// dossier's event chain. sort_due is due_at, or a far future for dossiers not
// yet received, so the inbox sorts with one index. dossier_events is
// append-only (a trigger refuses UPDATE and DELETE); the chain is per dossier.
// Times are epoch seconds.
#pragma once

namespace motcua::store::migrations {

inline constexpr const char* kDossiersSqlite = R"sql(
CREATE TABLE dossiers (
  id                TEXT PRIMARY KEY CHECK (id <> ''),
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
  body              TEXT NOT NULL CHECK (json_valid(body)),
  version           INTEGER NOT NULL CHECK (version > 0),
  head_seq          INTEGER NOT NULL,
  head_hash         TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX dossiers_by_competent ON dossiers (competent_unit, state, sort_due, id);
CREATE INDEX dossiers_by_receiving ON dossiers (receiving_unit, state, sort_due, id);
CREATE INDEX dossiers_by_applicant ON dossiers (applicant_user_id, sort_due, id);

CREATE TABLE dossier_events (
  dossier_id    TEXT NOT NULL REFERENCES dossiers (id),
  seq           INTEGER NOT NULL CHECK (seq > 0),
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
  prev_hash     TEXT NOT NULL,
  hash          TEXT NOT NULL,
  PRIMARY KEY (dossier_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER dossier_events_no_update BEFORE UPDATE ON dossier_events
BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;
CREATE TRIGGER dossier_events_no_delete BEFORE DELETE ON dossier_events
BEGIN SELECT RAISE(ABORT, 'dossier_events is append-only'); END;

CREATE TABLE dossier_code_sequences (
  agency_code TEXT NOT NULL,
  day         TEXT NOT NULL,  -- yymmdd
  last        INTEGER NOT NULL CHECK (last > 0),
  PRIMARY KEY (agency_code, day)
) STRICT, WITHOUT ROWID;

CREATE TABLE dossier_idempotency (
  key          TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  dossier_id   TEXT NOT NULL REFERENCES dossiers (id),
  created_at   INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE dossier_outbox (
  id         INTEGER PRIMARY KEY,
  dossier_id TEXT NOT NULL,
  event_seq  INTEGER NOT NULL,
  topic      TEXT NOT NULL,
  payload    TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  sent_at    INTEGER
) STRICT;

CREATE INDEX dossier_outbox_pending ON dossier_outbox (id) WHERE sent_at IS NULL;
)sql";

inline constexpr const char* kDossiersPostgres = R"sql(
CREATE TABLE dossiers (
  id                TEXT COLLATE "C" PRIMARY KEY CHECK (id <> ''),
  code              TEXT COLLATE "C" UNIQUE,
  procedure_code    TEXT COLLATE "C" NOT NULL,
  procedure_version TEXT COLLATE "C" NOT NULL,
  receiving_unit    TEXT COLLATE "C" NOT NULL,
  competent_unit    TEXT COLLATE "C" NOT NULL,
  channel           TEXT COLLATE "C" NOT NULL,
  state             TEXT COLLATE "C" NOT NULL,
  applicant_user_id TEXT COLLATE "C" NOT NULL,
  assignee          TEXT COLLATE "C" NOT NULL,
  due_at            BIGINT,
  sort_due          BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL,
  body              TEXT NOT NULL,
  version           BIGINT NOT NULL CHECK (version > 0),
  head_seq          BIGINT NOT NULL,
  head_hash         TEXT COLLATE "C" NOT NULL
);

CREATE INDEX dossiers_by_competent ON dossiers (competent_unit, state, sort_due, id);
CREATE INDEX dossiers_by_receiving ON dossiers (receiving_unit, state, sort_due, id);
CREATE INDEX dossiers_by_applicant ON dossiers (applicant_user_id, sort_due, id);

CREATE TABLE dossier_events (
  dossier_id    TEXT COLLATE "C" NOT NULL REFERENCES dossiers (id),
  seq           BIGINT NOT NULL CHECK (seq > 0),
  dossier_code  TEXT COLLATE "C" NOT NULL,
  at            BIGINT NOT NULL,
  actor_user_id TEXT NOT NULL,
  actor_role    TEXT NOT NULL,
  actor_unit    TEXT NOT NULL,
  action        TEXT NOT NULL,
  from_state    TEXT NOT NULL,
  to_state      TEXT NOT NULL,
  note          TEXT NOT NULL,
  payload       TEXT NOT NULL,
  prev_hash     TEXT COLLATE "C" NOT NULL,
  hash          TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (dossier_id, seq)
);

CREATE FUNCTION dossier_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dossier_events is append-only';
END $$;
CREATE TRIGGER dossier_events_no_change BEFORE UPDATE OR DELETE ON dossier_events
  FOR EACH ROW EXECUTE FUNCTION dossier_events_append_only();

CREATE TABLE dossier_code_sequences (
  agency_code TEXT COLLATE "C" NOT NULL,
  day         TEXT COLLATE "C" NOT NULL,
  last        BIGINT NOT NULL CHECK (last > 0),
  PRIMARY KEY (agency_code, day)
);

CREATE TABLE dossier_idempotency (
  key          TEXT COLLATE "C" PRIMARY KEY,
  request_hash TEXT NOT NULL,
  dossier_id   TEXT COLLATE "C" NOT NULL REFERENCES dossiers (id),
  created_at   BIGINT NOT NULL
);

CREATE TABLE dossier_outbox (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  dossier_id TEXT COLLATE "C" NOT NULL,
  event_seq  BIGINT NOT NULL,
  topic      TEXT NOT NULL,
  payload    TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  sent_at    BIGINT
);

CREATE INDEX dossier_outbox_pending ON dossier_outbox (id) WHERE sent_at IS NULL;
)sql";

// Migration 11: the receiving-unit and applicant indexes hold only the rows
// their lists need that the other indexes do not find. A dossier received by
// its competent unit (most are) is found by dossiers_by_competent; a counter
// or post dossier has no applicant account. Each index entry the writer skips
// is one b-tree page less to write back per commit: on a simulated province
// this cut writing dossier rows by about a third. The inbox spells both
// conditions exactly so (inbox_branches), or the planner would not use them.
inline constexpr const char* kPartialListIndexes = R"sql(
DROP INDEX dossiers_by_receiving;
CREATE INDEX dossiers_by_receiving ON dossiers (receiving_unit, state, sort_due, id)
  WHERE receiving_unit <> competent_unit;
DROP INDEX dossiers_by_applicant;
CREATE INDEX dossiers_by_applicant ON dossiers (applicant_user_id, sort_due, id)
  WHERE applicant_user_id <> '';
)sql";

}  // namespace motcua::store::migrations
