// Schema of the uploads (a migration of the `dossiers` area): who uploaded
// which file, by its SHA-256. The bytes live on disk, content-addressed
// (services/file_store.hpp); the same bytes uploaded by two people are one
// file and two rows, so each may reference it.
#pragma once

namespace motcua::store::migrations {

inline constexpr const char* kAttachmentsSqlite = R"sql(
CREATE TABLE attachment_uploads (
  sha256      TEXT NOT NULL CHECK (length(sha256) = 64),
  uploaded_by TEXT NOT NULL,
  size        INTEGER NOT NULL CHECK (size > 0),
  media_type  TEXT NOT NULL,
  file_name   TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (sha256, uploaded_by)
) STRICT, WITHOUT ROWID;
)sql";

inline constexpr const char* kAttachmentsPostgres = R"sql(
CREATE TABLE attachment_uploads (
  sha256      TEXT COLLATE "C" NOT NULL CHECK (length(sha256) = 64),
  uploaded_by TEXT COLLATE "C" NOT NULL,
  size        BIGINT NOT NULL CHECK (size > 0),
  media_type  TEXT NOT NULL,
  file_name   TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  PRIMARY KEY (sha256, uploaded_by)
);
)sql";

}  // namespace motcua::store::migrations
