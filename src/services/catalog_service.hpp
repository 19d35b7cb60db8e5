// Use cases of the procedure catalog: search and read (from an in-memory
// snapshot of the current versions, rebuilt after every change, so reads take
// no database round trip and never wait for writes), and the admin's create,
// edit, retire and import, each one transaction in the store.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/catalog/search.hpp"
#include "services/catalog_exchange.hpp"
#include "store/catalog_store.hpp"

namespace motcua::services {

struct CatalogSnapshot {
  explicit CatalogSnapshot(std::vector<catalog::ProcedureVersion> current,
                           std::vector<catalog::Bundle> b)
      : index(std::move(current)), bundles(std::move(b)) {}
  catalog::SearchIndex index;
  std::vector<catalog::Bundle> bundles;
};

// A search page; `snapshot` keeps the items' procedures alive.
struct CatalogPage {
  std::shared_ptr<const CatalogSnapshot> snapshot;
  catalog::SearchPage page;
};

struct ProcedureDetail {
  catalog::ProcedureVersion version;  // the one asked for
  int current_version = 0;
  std::vector<store::VersionInfo> versions;
};

struct ImportReport {
  std::size_t created = 0, updated = 0, unchanged = 0, bundles = 0;
};

class CatalogService {
 public:
  explicit CatalogService(store::CatalogStore& store);

  // (Re)builds the snapshot from the store.
  Result<void> load();

  // First start: imports the bundled catalog unless one was imported before.
  // Returns the number of procedures imported (0: already there).
  Result<std::size_t> import_if_absent(const CatalogDocument& bundled);

  CatalogPage search(const catalog::SearchQuery& q) const;
  // `version` absent: the current one. Unknown code or version: kNotFound.
  Result<ProcedureDetail> get(const std::string& code, std::optional<int> version) const;
  // Only the version asked for (absent: the current one): from memory unless
  // it is an older one, so filing a dossier costs no database read. The
  // current version is shared with the snapshot it belongs to, not copied
  // (a procedure is kilobytes, and every submission and receipt asks).
  Result<std::shared_ptr<const catalog::ProcedureVersion>> version(
      const std::string& code, std::optional<int> version) const;
  std::shared_ptr<const CatalogSnapshot> snapshot() const;

  // Admin. `if_match` is the version the editor saw (If-Match); a stale one
  // is kPreconditionFailed and changes nothing. Invalid input is kBadRequest
  // naming the field, and changes nothing.
  Result<catalog::ProcedureVersion> create(const catalog::Procedure& p);
  Result<catalog::ProcedureVersion> update(const std::string& code, const catalog::Procedure& p,
                                           std::optional<int> if_match);
  Result<catalog::ProcedureVersion> retire(const std::string& code, std::optional<int> if_match);
  // All or nothing: new codes get version 1, changed ones a new version,
  // unchanged ones nothing; bundles are replaced when the document has them.
  Result<ImportReport> import(const CatalogDocument& doc, const std::string& note);

  std::vector<catalog::Procedure> current_procedures() const;

 private:
  Result<void> write(const std::vector<store::ProcedureWrite>& writes,
                     const std::vector<catalog::Bundle>* bundles, const std::string& note);
  Result<catalog::ProcedureVersion> current_of(const std::string& code) const;

  store::CatalogStore& store_;
  std::mutex write_mutex_;  // one admin change at a time in this process
  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const CatalogSnapshot> snapshot_;
};

}  // namespace motcua::services
