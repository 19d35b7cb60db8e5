// The dossier routes:
//   POST /api/v1/dossiers                              file (Idempotency-Key)    dossier.submit
//   GET  /api/v1/dossiers/{code}                       one dossier, ETag=version dossier.read
//   POST /api/v1/dossiers/{code}/actions/{action}      an action (If-Match)      dossier.read *
//   GET  /api/v1/dossiers/{code}/events                its hash-chained log      dossier.read
//   GET  /api/v1/inbox                                 what the caller may act on dossier.read
//   POST /api/v1/bundles/{code}/dossiers               a bundle, all or nothing  dossier.submit
//   GET  /api/v1/public/dossiers/{code}                status, nothing personal  public
// * every principal who may see a dossier reaches the route; the state
//   machine then decides by role, state and scope (403/409).
// {code} is the dossier code, or its id before receipt. Staff views of a
// dossier are written to the personal-data view log before the answer.
#pragma once

#include "http/router.hpp"
#include "services/dossier_service.hpp"
#include "services/personal_data_log.hpp"

namespace motcua::api {

void add_dossier_routes(http::Router& router, services::DossierService& dossiers,
                        services::PersonalDataLog& views);

}  // namespace motcua::api
