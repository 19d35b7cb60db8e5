// The online payment routes (services/payment_service.hpp):
//   POST /api/v1/dossiers/{code}/payment   the applicant's signed order       dossier.read *
//   POST /api/v1/payments/notify           the platform's signed notice       public **
// * the service then requires the applicant's own account.
// ** no session: the Payment-Signature header (HMAC-SHA-256 of the body
//    under the shared key) is the platform's proof.
#pragma once

#include "http/router.hpp"
#include "services/payment_service.hpp"

namespace motcua::api {

void add_payment_routes(http::Router& router, services::PaymentService& payments);

}  // namespace motcua::api
