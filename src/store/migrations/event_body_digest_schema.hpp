// Migration 23: a log entry seals the dossier's body as its change left it
// (dossier::Event::body_sha256, hashed into the entry). NULL for the entries
// written before: they are hashed without it, as they were, and
// `audit verify` says how many dossiers' bodies no entry seals yet.
#pragma once

namespace motcua::store::migrations {

// No CHECK on the text: the entry's hash covers it, and `audit verify`
// names an entry whose digest was edited.
inline constexpr const char* kEventBodyDigestSqlite = R"sql(
ALTER TABLE dossier_events ADD COLUMN body_sha256 TEXT;
)sql";

inline constexpr const char* kEventBodyDigestPostgres = R"sql(
ALTER TABLE dossier_events ADD COLUMN body_sha256 TEXT COLLATE "C";
)sql";

}  // namespace motcua::store::migrations
