// Schema of the storage area `catalog` (migration 3), one text per back end;
// the migration lists include them by name.
//
// Procedures are versioned: catalog_procedure_versions holds every version
// ever written, keyed (code, version), with the whole procedure as JSON text
// (kept byte for byte, so an export gives back what was written) and the
// columns worth an index; catalog_procedures points at the current version.
// Times are RFC 3339 text stamped by the program, identical on both back ends.
#pragma once

namespace motcua::store::migrations {

inline constexpr const char* kCatalogSqlite = R"sql(
CREATE TABLE catalog_procedures (
  code            TEXT PRIMARY KEY CHECK (code <> ''),
  current_version INTEGER NOT NULL CHECK (current_version > 0),
  retired         INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
  updated_at      TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE catalog_procedure_versions (
  code            TEXT NOT NULL REFERENCES catalog_procedures (code),
  version         INTEGER NOT NULL CHECK (version > 0),
  name            TEXT NOT NULL,
  field           TEXT NOT NULL,
  competent_level TEXT NOT NULL CHECK (competent_level IN ('commune', 'province')),
  online_level    TEXT NOT NULL CHECK (online_level IN ('full', 'partial', 'none')),
  body            TEXT NOT NULL CHECK (json_valid(body)),
  created_at      TEXT NOT NULL,
  PRIMARY KEY (code, version)
) STRICT, WITHOUT ROWID;

CREATE INDEX catalog_versions_by_field ON catalog_procedure_versions (field, competent_level);

CREATE TABLE catalog_bundles (
  code TEXT PRIMARY KEY CHECK (code <> ''),
  body TEXT NOT NULL CHECK (json_valid(body))
) STRICT, WITHOUT ROWID;

CREATE TABLE catalog_imports (
  id              INTEGER PRIMARY KEY,
  imported_at     TEXT NOT NULL,
  note            TEXT NOT NULL,
  procedure_count INTEGER NOT NULL
) STRICT;
)sql";

inline constexpr const char* kCatalogPostgres = R"sql(
CREATE TABLE catalog_procedures (
  code            TEXT COLLATE "C" PRIMARY KEY CHECK (code <> ''),
  current_version INTEGER NOT NULL CHECK (current_version > 0),
  retired         BOOLEAN NOT NULL DEFAULT false,
  updated_at      TEXT NOT NULL
);

CREATE TABLE catalog_procedure_versions (
  code            TEXT COLLATE "C" NOT NULL REFERENCES catalog_procedures (code),
  version         INTEGER NOT NULL CHECK (version > 0),
  name            TEXT NOT NULL,
  field           TEXT NOT NULL,
  competent_level TEXT NOT NULL CHECK (competent_level IN ('commune', 'province')),
  online_level    TEXT NOT NULL CHECK (online_level IN ('full', 'partial', 'none')),
  body            TEXT NOT NULL CHECK (body::json IS NOT NULL),
  created_at      TEXT NOT NULL,
  PRIMARY KEY (code, version)
);

CREATE INDEX catalog_versions_by_field ON catalog_procedure_versions (field, competent_level);

CREATE TABLE catalog_bundles (
  code TEXT COLLATE "C" PRIMARY KEY CHECK (code <> ''),
  body TEXT NOT NULL CHECK (body::json IS NOT NULL)
);

CREATE TABLE catalog_imports (
  id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  imported_at     TEXT NOT NULL,
  note            TEXT NOT NULL,
  procedure_count INTEGER NOT NULL
);
)sql";

}  // namespace motcua::store::migrations
