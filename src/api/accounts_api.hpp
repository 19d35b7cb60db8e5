// Sign-in, sessions, account administration, the personal-data view log and
// the route table with each route's permission:
//   POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/auth/me,
//   POST /api/v1/auth/password,
//   GET|POST /api/v1/users, GET|PATCH /api/v1/users/{id},
//   POST /api/v1/users/{id}/password, DELETE /api/v1/users/{id}/sessions,
//   GET /api/v1/audit/personal-data-views, GET /api/v1/access/routes.
#pragma once

#include "http/router.hpp"
#include "services/account_service.hpp"
#include "services/personal_data_log.hpp"

namespace motcua::api {

struct AccountsApiOptions {
  long session_ttl_seconds = 8 * 3600;
};

// `router` must outlive the routes (GET /api/v1/access/routes reads it).
void add_account_routes(http::Router& router, services::AccountService& accounts,
                        services::PersonalDataLog& views, AccountsApiOptions options = {});

}  // namespace motcua::api
