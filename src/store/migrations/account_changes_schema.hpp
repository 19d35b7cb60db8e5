// Migration 22: the log of account administration. One row per change of an
// account (created, roles/unit/contact/active changed, password reset or
// changed, sessions revoked), written in the transaction of the change
// itself, so that no acknowledged change lacks its row. `detail` says what
// changed, old → new; never a password nor its hash. actor_id 0 is the
// command line (`motcua user add`). No foreign key to users: the log names
// the accounts by id and username as they were.
#pragma once

namespace motcua::store::migrations {

inline constexpr const char* kAccountChangesSqlite = R"sql(
CREATE TABLE account_changes (
  id               INTEGER PRIMARY KEY,
  changed_at_ms    INTEGER NOT NULL,
  actor_id         INTEGER NOT NULL,
  actor_username   TEXT NOT NULL,
  subject_id       INTEGER NOT NULL,
  subject_username TEXT NOT NULL,
  action           TEXT NOT NULL CHECK (action IN ('create', 'update', 'password_reset',
                                                   'password_change', 'sessions_revoked')),
  detail           TEXT NOT NULL,
  request_id       TEXT NOT NULL,
  remote           TEXT NOT NULL
) STRICT;
CREATE INDEX account_changes_by_subject ON account_changes (subject_id, id);
CREATE INDEX account_changes_by_actor ON account_changes (actor_id, id);
)sql";

inline constexpr const char* kAccountChangesPostgres = R"sql(
CREATE TABLE account_changes (
  id               BIGSERIAL PRIMARY KEY,
  changed_at_ms    BIGINT NOT NULL,
  actor_id         BIGINT NOT NULL,
  actor_username   TEXT NOT NULL,
  subject_id       BIGINT NOT NULL,
  subject_username TEXT NOT NULL,
  action           TEXT NOT NULL CHECK (action IN ('create', 'update', 'password_reset',
                                                   'password_change', 'sessions_revoked')),
  detail           TEXT NOT NULL,
  request_id       TEXT NOT NULL,
  remote           TEXT NOT NULL
);
CREATE INDEX account_changes_by_subject ON account_changes (subject_id, id);
CREATE INDEX account_changes_by_actor ON account_changes (actor_id, id);
)sql";

}  // namespace motcua::store::migrations
