// The embedded back end: one SQLite file ("sqlite:var/motcua.db").
#pragma once

#include <memory>
#include <string>

#include "store/store.hpp"

namespace motcua::store {

// `path` is a file path or ":memory:"; the file's folder must exist.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path);

}  // namespace motcua::store
