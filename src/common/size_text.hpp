// A size limit as a person reads it in an error: "20 MB" when it is whole
// megabytes (MiB, as the --max-upload-mb option counts them), else the bytes.
#pragma once

#include <cstddef>
#include <string>

namespace motcua {

// In English, or in Vietnamese ("byte" takes no plural).
std::string size_text(std::size_t bytes, bool vietnamese = false);

}  // namespace motcua
