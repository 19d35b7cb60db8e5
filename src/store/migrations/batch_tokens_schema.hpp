// Migration 19: a group commit's batch writes a row of its own in its
// transaction, so that when the connection is lost during its COMMIT the row
// tells whether it committed: running it again would apply it twice. Only
// PostgreSQL writes it (SQLite's commit is a local call); both back ends have
// the table, so that their schemas stay the same. Each batch deletes its
// process's previous row, and rows a stopped process left are deleted a day on.
#pragma once

namespace motcua::store::migrations {

inline constexpr const char* kBatchTokensSqlite = R"sql(
CREATE TABLE batch_tokens (
  token TEXT PRIMARY KEY,
  at    INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

inline constexpr const char* kBatchTokensPostgres = R"sql(
CREATE TABLE batch_tokens (
  token TEXT COLLATE "C" PRIMARY KEY,
  at    BIGINT NOT NULL
);
)sql";

}  // namespace motcua::store::migrations
