// How many connections `serve` can hold: each is a file descriptor, and the
// soft limit a shell gives (often 1,024) is far below what the kernel allows.
#pragma once

#include <cstddef>

namespace motcua::app {

// Raises the process's soft descriptor limit to its hard limit, and returns
// the soft limit in force afterwards (unchanged if it could not be raised).
std::size_t raise_descriptor_limit();

// The descriptors the process has open now (its database, logs, files).
std::size_t descriptors_open();

// The connections to allow under `descriptors`: `wanted` (0: 10,000), kept
// below the limit less the `open` ones and a reserve for what opens later (the
// server's own, uploads being written, a database reconnecting): a quarter of
// the limit, at least 16 and at most 256. At least 1.
std::size_t connection_limit(std::size_t wanted, std::size_t descriptors, std::size_t open);

}  // namespace motcua::app
