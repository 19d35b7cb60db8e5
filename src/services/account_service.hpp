// Accounts and sessions: sign-in with throttling, opaque session tokens (the
// store keeps their SHA-256 only), logout and revocation, and the
// administration of accounts within the administrator's jurisdiction. Every
// administrative change (and a user's own password change) writes a row of
// the account-change log in the same transaction: who, whom, what, old → new.
//
// Sessions are cached in memory by token hash, so the check on every request
// costs a hash and a map lookup. A cached session is re-read from the store
// after `revalidate` (30 s), so a revocation made by another process sharing
// the database takes effect within that time; one made here is immediate.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.hpp"
#include "domain/access/permissions.hpp"
#include "services/known_devices.hpp"
#include "services/login_throttle.hpp"
#include "services/personal_data_log.hpp"
#include "services/unit_service.hpp"
#include "store/accounts_store.hpp"

namespace motcua::services {

struct AuthSession {
  access::Principal principal;
  std::string token_hash;
  std::string csrf_token;
  std::string kind;  // "cookie" | "bearer"
  std::int64_t expires_at = 0;
};

struct LoginResult {
  std::string token;  // shown once, to the client; never stored or logged
  std::shared_ptr<const AuthSession> session;
  store::UserRecord user;
  // What the device keeps to be known at its next sign-in (KnownDevices):
  // the one it showed, if good, else a new one.
  std::string device_token;
};

struct AccountOptions {
  std::chrono::seconds session_ttl{8 * 3600};
  std::chrono::seconds revalidate{30};
  ThrottlePolicy throttle;
};

struct NewUser {
  std::string kind = "staff";  // "staff" | "citizen"
  std::string username;        // staff; a citizen's is their identification number
  std::string display_name;
  std::vector<std::string> roles;  // staff; a citizen is "citizen"
  std::string unit_code;
  std::string province_code;  // a province supervisor without a unit
  std::string id_number;      // citizen
  std::string phone;
  std::string email;
  std::string password;
};

struct UserChanges {
  std::optional<std::string> display_name;
  std::optional<std::vector<std::string>> roles;
  std::optional<std::string> unit_code;
  std::optional<std::string> phone;
  std::optional<std::string> email;
  std::optional<bool> active;
};

class AccountService {
 public:
  AccountService(store::AccountsStore& store, ProvinceOf province_of, AccountOptions options = {});

  // kUnauthorized with one message for an unknown account, a wrong password
  // and a disabled account; kTooManyRequests with `retry_after` seconds set
  // when throttled. `kind` is "cookie" or "bearer". `device_token`: what
  // the device kept from its last sign-in to this account, if anything.
  Result<LoginResult> login(std::string_view username, std::string_view password,
                            std::string_view kind, std::string_view remote, long& retry_after,
                            std::string_view device_token = {});
  // The cookie that keeps the device token of the account `username` names.
  static std::string device_cookie_name(std::string_view username);
  // The live session of `token`, or nullptr (unknown, expired, revoked, disabled).
  std::shared_ptr<const AuthSession> authenticate(std::string_view token);
  Result<void> logout(const AuthSession& session);
  // Deletes the sessions that ended (expired or revoked) more than a day ago;
  // returns how many.
  Result<int> purge_old_sessions();
  // Whether `user_id` (decimal) is an active specialist of `unit`: who may be
  // assigned that unit's dossiers.
  Result<bool> is_specialist_of(const std::string& user_id, const std::string& unit);
  // The active specialists of `unit`, for a leader choosing an assignee.
  Result<std::vector<store::UserRecord>> specialists_of(const std::string& unit);
  // Revokes the user's other sessions. A wrong current password counts as a
  // failed sign-in of the account from `remote` (kTooManyRequests and
  // `retry_after` once throttled): a stolen session must not be a way to
  // guess the password without the sign-in's limit. `context.remote` is the address.
  Result<void> change_password(const AuthSession& session, std::string_view current,
                               std::string_view next, const ViewContext& context,
                               long& retry_after);

  // `actor` null: the command line (no jurisdiction check). `context` (the
  // request id and address) goes into the account-change log.
  Result<store::UserRecord> create_user(const access::Principal* actor, const NewUser& user,
                                        const ViewContext& context = {});
  Result<store::UserRecord> get_user(const access::Principal& actor, std::int64_t id);
  // The signed-in user's own account (GET /auth/me): no jurisdiction check.
  Result<store::UserRecord> get_user_self(std::int64_t id);
  // Restricted to the actor's reach (a unit admin sees their unit's accounts).
  Result<std::vector<store::UserRecord>> list_users(const access::Principal& actor,
                                                    store::UserQuery query);
  // A change that changes nothing writes no row of the log.
  Result<store::UserRecord> update_user(const access::Principal& actor, std::int64_t id,
                                        const UserChanges& changes,
                                        const ViewContext& context = {});
  // Sets a new password and revokes every session of the account.
  Result<void> reset_password(const access::Principal& actor, std::int64_t id,
                              std::string_view password, const ViewContext& context = {});
  // How many sessions it ended.
  Result<int> revoke_sessions(const access::Principal& actor, std::int64_t id,
                              const ViewContext& context = {});
  // The account-change log, newest first (the route checks audit.read).
  Result<std::vector<store::AccountChange>> list_changes(const store::ChangeQuery& query) {
    return store_.list_changes(query);
  }

  Result<std::int64_t> count_users() { return store_.count_users(); }

  static access::Principal principal_of(const store::UserRecord& user);
  // The jurisdiction an account belongs to, for checks on it.
  static access::Target target_of(const store::UserRecord& user);

 private:
  struct Cached {
    std::shared_ptr<const AuthSession> session;
    std::chrono::steady_clock::time_point checked;
  };
  std::shared_ptr<const AuthSession> load_session(const std::string& hash);
  void forget_user_sessions(std::int64_t user_id, std::string_view except_hash);
  Result<store::UserRecord> user_in_reach(const access::Principal& actor, std::int64_t id);
  Result<void> check_roles(const access::Principal* actor, const std::vector<std::string>& roles,
                           std::string& unit_code, std::string& province_code);

  store::AccountsStore& store_;
  ProvinceOf province_of_;
  AccountOptions options_;
  Result<bool> attempt(const std::string& name, std::string_view remote, long& retry_after,
                       const std::function<Result<bool>()>& check, std::string_view device = {});
  LoginThrottle throttle_;
  KnownDevices devices_;
  std::string dummy_hash_;  // verified against for unknown accounts: same time as a real one
  std::shared_mutex cache_mutex_;
  std::unordered_map<std::string, Cached> cache_;
  // Counts the sessions forgotten (logout, revocations): a session read from
  // the store before one is not cached after it, since the read may predate
  // the revocation and would then be trusted for `revalidate` more.
  std::uint64_t forgotten_ = 0;
};

// Checks a new password: 10 to 128 bytes, not one character repeated nor a
// single run such as 0123456789 (the username rule needs the account:
// AccountService checks it too). kBadRequest naming `param`.
Result<void> check_password_rules(std::string_view password, const char* param);

}  // namespace motcua::services
