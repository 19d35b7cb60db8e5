// Handlers of the procedure catalog: search with facets, one procedure (any
// version, with its decentralisation), bundles; and, for "catalog.admin",
// create, edit (a new version; If-Match), retire, import and export.
#pragma once

#include "http/router.hpp"
#include "services/catalog_service.hpp"

namespace motcua::api {

void add_catalog_routes(http::Router& router, services::CatalogService& catalog);

}  // namespace motcua::api
