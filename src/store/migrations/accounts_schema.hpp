// Schema of the `accounts` area (migration 2), one text per back end; the
// migration lists include them by name.
#pragma once

namespace motcua::store::migrations {

// Users, sessions and the personal-data view log. Sessions are keyed by the
// SHA-256 of the token: a copy of the database does not let anyone sign in.
// Times are Unix seconds (views: milliseconds).
inline constexpr const char* kAccountsSqlite = R"sql(
CREATE TABLE users (
  id                  INTEGER PRIMARY KEY,
  username            TEXT NOT NULL UNIQUE CHECK (username <> ''),
  display_name        TEXT NOT NULL,
  kind                TEXT NOT NULL CHECK (kind IN ('staff', 'citizen')),
  roles               TEXT NOT NULL,
  unit_code           TEXT NOT NULL,
  province_code       TEXT NOT NULL,
  id_number           TEXT NOT NULL,
  phone               TEXT NOT NULL,
  email               TEXT NOT NULL,
  password_hash       TEXT NOT NULL,
  active              INTEGER NOT NULL CHECK (active IN (0, 1)),
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL,
  password_changed_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX users_by_id_number ON users (id_number) WHERE id_number <> '';
CREATE INDEX users_by_unit ON users (unit_code, id);
CREATE INDEX users_by_province ON users (province_code, id);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  kind       TEXT NOT NULL CHECK (kind IN ('cookie', 'bearer')),
  csrf_token TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER NOT NULL,
  remote     TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE personal_data_views (
  id              INTEGER PRIMARY KEY,
  viewed_at_ms    INTEGER NOT NULL,
  viewer_id       INTEGER NOT NULL,
  viewer_username TEXT NOT NULL,
  viewer_roles    TEXT NOT NULL,
  subject_kind    TEXT NOT NULL,
  subject_id      TEXT NOT NULL,
  action          TEXT NOT NULL,
  route           TEXT NOT NULL,
  request_id      TEXT NOT NULL,
  remote          TEXT NOT NULL
) STRICT;
CREATE INDEX personal_data_views_by_subject ON personal_data_views (subject_kind, subject_id, id);
CREATE INDEX personal_data_views_by_viewer ON personal_data_views (viewer_id, id);
)sql";

inline constexpr const char* kAccountsPostgres = R"sql(
CREATE TABLE users (
  id                  BIGSERIAL PRIMARY KEY,
  username            TEXT NOT NULL UNIQUE CHECK (username <> ''),
  display_name        TEXT NOT NULL,
  kind                TEXT NOT NULL CHECK (kind IN ('staff', 'citizen')),
  roles               TEXT NOT NULL,
  unit_code           TEXT NOT NULL,
  province_code       TEXT NOT NULL,
  id_number           TEXT NOT NULL,
  phone               TEXT NOT NULL,
  email               TEXT NOT NULL,
  password_hash       TEXT NOT NULL,
  active              BOOLEAN NOT NULL,
  created_at          BIGINT NOT NULL,
  updated_at          BIGINT NOT NULL,
  password_changed_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_by_id_number ON users (id_number) WHERE id_number <> '';
CREATE INDEX users_by_unit ON users (unit_code, id);
CREATE INDEX users_by_province ON users (province_code, id);

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    BIGINT NOT NULL REFERENCES users (id),
  kind       TEXT NOT NULL CHECK (kind IN ('cookie', 'bearer')),
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT NOT NULL,
  remote     TEXT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE personal_data_views (
  id              BIGSERIAL PRIMARY KEY,
  viewed_at_ms    BIGINT NOT NULL,
  viewer_id       BIGINT NOT NULL,
  viewer_username TEXT NOT NULL,
  viewer_roles    TEXT NOT NULL,
  subject_kind    TEXT NOT NULL,
  subject_id      TEXT NOT NULL,
  action          TEXT NOT NULL,
  route           TEXT NOT NULL,
  request_id      TEXT NOT NULL,
  remote          TEXT NOT NULL
);
CREATE INDEX personal_data_views_by_subject ON personal_data_views (subject_kind, subject_id, id);
CREATE INDEX personal_data_views_by_viewer ON personal_data_views (viewer_id, id);
)sql";

}  // namespace motcua::store::migrations
