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

}  // namespace motcua::store::migrations
