// Wiring of the access layer for `motcua serve`: demo accounts and the
// security headers.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "services/account_service.hpp"
#include "services/unit_service.hpp"
#include "store/accounts_store.hpp"

namespace motcua::app {

// Creates (or, on a later start, gives new passwords to) one demo account per
// role in the demo province (01, Hà Nội) and commune (00004, Phường Ba Đình),
// and prints them on stderr: "motcua: demo account role=... username=...
// password=...". Passwords are random on every start.
Result<void> create_demo_accounts(services::AccountService& accounts, store::AccountsStore& store);

// Content-Security-Policy (allowing the inline scripts of static_dir's
// index.html by hash), nosniff, Referrer-Policy, frame-ancestors, ...
std::vector<std::pair<std::string, std::string>> security_headers(const std::string& static_dir);
inline constexpr const char* kHsts = "max-age=31536000; includeSubDomains";

}  // namespace motcua::app
