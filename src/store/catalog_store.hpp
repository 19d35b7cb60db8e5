// Storage area `catalog`: procedures with their versions, and bundles.
//
// A procedure is stored as one row per version, keyed (code, version), holding
// the whole procedure as JSON plus the columns worth an index; a second table
// points at the current version and says whether the procedure is retired.
// Versions are never changed or deleted: a dossier names the version it was
// filed under and can always read it back.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace motcua::store {

struct StoredProcedure {
  std::string code;
  int version = 0;
  bool retired = false;
  std::string body;        // the procedure as JSON
  std::string created_at;  // when this version was written (RFC 3339)
};

// One change in a write(): a new version, a retirement, or both.
struct ProcedureWrite {
  std::string code;
  int expected_current = 0;  // the current version the writer saw; 0: the code must be new
  int version = 0;           // the new version (expected_current + 1), or 0 to keep the current one
  bool retired = false;      // the retired flag after the change
  std::string body;          // with version > 0: the procedure as JSON
  std::string name, field, competent_level, online_level;  // indexed copies of the body's fields
};

struct StoredBundle {
  std::string code;
  std::string body;  // the bundle as JSON
};

struct VersionInfo {
  int version = 0;
  std::string created_at;
};

class CatalogStore {
 public:
  virtual ~CatalogStore() = default;

  // True once a catalog import has been recorded (the bundled one at first start).
  virtual Result<bool> has_catalog() = 0;

  // Applies every write, replaces the bundles when `bundles` is given, and
  // (when import_note is not empty) records an import, in one transaction:
  // all or nothing. A write whose code is not at expected_current fails with
  // kPreconditionFailed naming the code. `at` stamps the new versions.
  virtual Result<void> write(const std::vector<ProcedureWrite>& writes,
                             const std::vector<StoredBundle>* bundles,
                             const std::string& import_note, const std::string& at) = 0;

  // The current version of every procedure (retired ones too), by code.
  virtual Result<std::vector<StoredProcedure>> load_current() = 0;

  // One version of one procedure, or nothing.
  virtual Result<std::optional<StoredProcedure>> load_version(const std::string& code,
                                                              int version) = 0;

  // The versions of one procedure, oldest first (empty: unknown code).
  virtual Result<std::vector<VersionInfo>> list_versions(const std::string& code) = 0;

  virtual Result<std::vector<StoredBundle>> load_bundles() = 0;
};

}  // namespace motcua::store
