// Loads the administrative units shipped in data/units into ReferenceData:
// the old 3-level list (valid until 2025-07-01), the new units of the
// 2025-07-01 and 2026-04-30 snapshots as dated versions, and the 2025
// conversion table.
#pragma once

#include <string>

#include "common/result.hpp"
#include "domain/units/model.hpp"

namespace motcua::services {

// Reads `data_dir`/units/... (data_dir is the repository's data/ folder). A
// missing or malformed file is an Error naming the file, the line and the field.
Result<units::ReferenceData> load_reference_data(const std::string& data_dir);

}  // namespace motcua::services
