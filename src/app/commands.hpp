// The commands of the motcua binary. Each returns the process exit code.
#pragma once

#include <memory>
#include <string>

#include "app/options.hpp"
#include "store/store.hpp"

namespace motcua::app {

inline constexpr const char* kVersion = "0.1.0";

int run_serve(const Options& o);
int run_migrate(const Options& o);
int run_import(const Options& o);
int run_user_add(const Options& o);
// `audit verify`, on a database open_up_to_date accepts, read-only.
int run_audit_verify(const Options& o);
int run_deadlines_sweep(const Options& o);
int run_simulate(const Options& o);
int run_stats(const Options& o);

// An existing database at this binary's schema, never migrated or created:
// for the checks (`read_only`: every SQLite connection opened read-only) and
// `stats rebuild`. An empty, older or newer one is an error saying what to do.
Result<std::unique_ptr<store::Store>> open_up_to_date(const std::string& url, bool read_only);

// The reference data folder (--data) holds units/ and procedures/: checked
// before a command that may import from it touches the database.
Result<void> check_data_dir(const std::string& dir);

// Prints an Error on stderr in both languages.
void report(const char* what, const Error& e);

}  // namespace motcua::app
