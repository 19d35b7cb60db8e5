// The ordered schema migrations of each back end. A migration is applied once,
// in its own transaction, and recorded in schema_migrations (version, name,
// applied_at). Never edit a migration that has shipped: add a new one.
#pragma once

#include <span>

namespace motcua::store::migrations {

struct Migration {
  int version;       // 1, 2, 3, ... without gaps
  const char* name;  // short snake_case description
  const char* sql;   // one or more statements, no parameters
  // SQLite: the migration drops and recreates a table others refer to. It
  // runs with foreign keys off (checked before commit) and secure_delete FAST.
  bool rebuilds_tables = false;
};

std::span<const Migration> sqlite_migrations();
std::span<const Migration> postgres_migrations();

// The version a fully migrated database reports.
int latest_version(std::span<const Migration> list);

}  // namespace motcua::store::migrations
