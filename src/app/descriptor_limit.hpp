// How many connections `serve` can hold: each is a file descriptor, and the
// soft limit a shell gives (often 1,024) is far below what the kernel allows.
#pragma once

#include <cstddef>

namespace motcua::app {

// Raises the process's soft descriptor limit to its hard limit, and returns
// the soft limit in force afterwards (unchanged if it could not be raised).
std::size_t raise_descriptor_limit();

// The connections to allow under `descriptors`: `wanted` (0: 10,000), kept
// below the limit less what the database, files and logs need besides.
std::size_t connection_limit(std::size_t wanted, std::size_t descriptors);

}  // namespace motcua::app
