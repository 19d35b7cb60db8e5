// Migration 18: a dossier row is never deleted. Its log is append-only (the
// triggers of migration 5); a deleted row left its entries behind, unseen by
// `audit verify`, which walks the rows, and on SQLite the next dossier took
// the deleted row's number and collided with those entries: every later
// submission failed. The database now refuses the delete itself.
#pragma once

namespace motcua::store::migrations {

inline constexpr const char* kDossiersKeptSqlite = R"sql(
CREATE TRIGGER dossiers_no_delete BEFORE DELETE ON dossiers
BEGIN SELECT RAISE(ABORT, 'dossiers are never deleted'); END;
)sql";

inline constexpr const char* kDossiersKeptPostgres = R"sql(
CREATE FUNCTION dossiers_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'dossiers are never deleted';
END $$;
CREATE TRIGGER dossiers_no_delete BEFORE DELETE ON dossiers
  FOR EACH ROW EXECUTE FUNCTION dossiers_kept();
CREATE TRIGGER dossiers_no_truncate BEFORE TRUNCATE ON dossiers
  FOR EACH STATEMENT EXECUTE FUNCTION dossiers_kept();
)sql";

}  // namespace motcua::store::migrations
