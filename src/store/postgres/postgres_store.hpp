// The back end for scale: PostgreSQL 15 through libpq.
#pragma once

#include <memory>
#include <string>

#include "store/store.hpp"

namespace motcua::store {

// `url` is a libpq URI: "postgresql://user@host:5432/db" or
// "postgresql:///db?host=/run/postgresql&port=5432" (also "postgres://").
Result<std::unique_ptr<Store>> open_postgres_store(const std::string& url);

}  // namespace motcua::store
