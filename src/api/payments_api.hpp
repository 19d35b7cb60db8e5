// The online payment routes (services/payment_service.hpp):
//   POST /api/v1/dossiers/{code}/payment   the applicant's signed order       dossier.read *
//   POST /api/v1/payments/notify           the platform's signed notice       public **
// * the service then requires the applicant's own account.
// ** no session: the Payment-Signature header (HMAC-SHA-256 of the body
//    under the shared key) is the platform's proof.
#pragma once

#include <string>

#include "http/router.hpp"
#include "services/payment_service.hpp"

namespace motcua::api {

// `public_url`: the site's address ("https://dichvucong.example.vn"), the only
// place an order may send the browser back to; "" for the Host a request
// names (which its client chooses: a test setup, not a public site).
void add_payment_routes(http::Router& router, services::PaymentService& payments,
                        std::string public_url);

}  // namespace motcua::api
