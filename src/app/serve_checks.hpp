// What `serve` checks before it opens the database: a server that cannot
// listen, store uploads or serve its pages refuses to start, saying what is
// wrong, instead of creating, migrating or importing a database first and
// failing after (or starting, and failing at the first upload).
#pragma once

#include <filesystem>

#include "app/options.hpp"
#include "common/result.hpp"

namespace motcua::app {

// --listen: binds a socket to the address and port and lets it go (the
// server binds again as it starts): a port in use or an address not this
// machine's is said now.
Result<void> check_listen(const Options& o);

// The uploads' folder: a folder, or one that can be made, where files can be
// written. Leaves nothing behind.
Result<void> check_files_dir(const std::filesystem::path& dir);

// --static: a folder holding the web application's index.html.
Result<void> check_static_dir(const std::string& dir);

}  // namespace motcua::app
