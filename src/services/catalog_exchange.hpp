// Import and export of the catalog as JSON and CSV.
//
// JSON: an array of procedures, or {"procedures": [...], "bundles": [...]}.
// CSV: one procedure a row; scalar columns as text, list and object columns
// (channels, components, component_notes, steps, legal_basis, decentralisation,
// verify, original) as JSON text in the cell, so an export imports back as it was.
//
// A malformed document is one kBadRequest Error naming the row (1-based, the
// header not counted) and the field, as param "rows[3].channels[0].fee_vnd",
// and nothing of it is used.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/catalog/model.hpp"

namespace motcua::services {

struct CatalogDocument {
  std::vector<catalog::Procedure> procedures;
  std::vector<catalog::Bundle> bundles;
  bool has_bundles = false;  // the document had a "bundles" member
};

// Parses and validates every procedure (domain rules included).
Result<CatalogDocument> parse_catalog_json(std::string_view text);
Result<CatalogDocument> parse_catalog_csv(std::string_view text);

std::string export_catalog_json(const std::vector<catalog::Procedure>& procedures,
                                const std::vector<catalog::Bundle>& bundles);
std::string export_catalog_csv(const std::vector<catalog::Procedure>& procedures);

// The CSV columns, in order.
const std::vector<std::string>& catalog_csv_columns();

}  // namespace motcua::services
