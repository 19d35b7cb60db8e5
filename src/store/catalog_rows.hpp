// What both back ends share about the catalog tables.
#pragma once

#include <string>

#include "common/error.hpp"

namespace motcua::store {

// A write that found `code` at another version than the writer saw: someone
// else changed it first (or it already exists / no longer exists).
Error stale_write_error(const std::string& code, int expected, int actual);

}  // namespace motcua::store
