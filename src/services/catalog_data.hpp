// The catalog shipped in data/procedures: the Hải Phòng commune procedures
// (haiphong_2025.json, converted from its published form), the high-volume
// procedures it lacks (additions.json), who settles each procedure before and
// after 1 July 2025 (decentralisation.json) and the bundles (bundles.json).
#pragma once

#include <string>

#include "common/result.hpp"
#include "services/catalog_exchange.hpp"

namespace motcua::services {

// Reads data_dir/procedures/...; every procedure and bundle is validated. A
// missing or malformed file is an Error naming the file and the record.
Result<CatalogDocument> load_bundled_catalog(const std::string& data_dir);

}  // namespace motcua::services
