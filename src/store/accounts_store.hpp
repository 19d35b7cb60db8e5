// Storage area `accounts`: users, sessions (by token hash, never the token),
// the personal-data view log and the log of account changes. Times are Unix
// seconds (UTC).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace motcua::store {

struct UserRecord {
  std::int64_t id = 0;
  std::string username;  // lower case; a citizen's is their identification number
  std::string display_name;
  std::string kind;   // "staff" | "citizen"
  std::string roles;  // comma-separated role names: "leader,specialist"
  std::string unit_code;
  std::string province_code;
  std::string id_number;  // citizens: the 12-digit identification number
  std::string phone;
  std::string email;
  std::string password_hash;  // argon2id, libsodium's encoded string
  bool active = true;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::int64_t password_changed_at = 0;
};

struct UserQuery {
  std::string unit_code;      // "" = any
  std::string province_code;  // "" = any
  std::string kind;           // "" = any
  std::int64_t after_id = 0;  // cursor: ids greater than this
  std::size_t limit = 50;
};

struct SessionRecord {
  std::string token_hash;  // hex SHA-256 of the bearer/cookie token
  std::int64_t user_id = 0;
  std::string kind;  // "cookie" | "bearer"
  std::string csrf_token;
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
  std::int64_t revoked_at = 0;  // 0 = live
  std::string remote;
};

struct PersonalDataView {
  std::int64_t id = 0;
  std::int64_t viewed_at_ms = 0;  // Unix milliseconds
  std::int64_t viewer_id = 0;
  std::string viewer_username;
  std::string viewer_roles;
  std::string subject_kind;  // "citizen" | "dossier"
  std::string subject_id;
  std::string action;  // "read" | "list" | ...
  std::string route;   // "GET /api/v1/users/{id}"
  std::string request_id;
  std::string remote;
};

struct ViewQuery {
  std::int64_t viewer_id = 0;  // 0 = any
  std::string subject_kind;    // "" = any
  std::string subject_id;      // "" = any
  std::int64_t from_ms = 0;    // inclusive; 0 = open
  std::int64_t to_ms = 0;      // exclusive; 0 = open
  std::int64_t before_id = 0;  // cursor: newest first, ids below this; 0 = from the newest
  std::size_t limit = 50;
};

// One administrative change of an account: who, whom, what (old → new).
// Never a password nor its hash.
struct AccountChange {
  std::int64_t id = 0;
  std::int64_t changed_at_ms = 0;  // Unix milliseconds
  std::int64_t actor_id = 0;       // 0 = the command line (`motcua user add`)
  std::string actor_username;
  std::int64_t subject_id = 0;
  std::string subject_username;
  std::string action;  // create | update | password_reset | password_change | sessions_revoked
  std::string detail;  // "roles: specialist → leader; active: true → false"
  std::string request_id;
  std::string remote;
};

struct ChangeQuery {
  std::int64_t subject_id = 0;  // 0 = any
  std::int64_t actor_id = -1;   // -1 = any (0 is the command line)
  std::int64_t from_ms = 0;     // inclusive; 0 = open
  std::int64_t to_ms = 0;       // exclusive; 0 = open
  std::int64_t before_id = 0;   // cursor: newest first, ids below this; 0 = from the newest
  std::size_t limit = 50;
};

// The write methods below take an optional `change`, written in the same
// transaction as the write: a change is never kept without its record, and a
// record that cannot be written fails the change.
class AccountsStore {
 public:
  virtual ~AccountsStore() = default;

  // The new user's id. A taken username or identification number: kConflict.
  // `change` is written with the new id as its subject_id.
  virtual Result<std::int64_t> create_user(const UserRecord& user,
                                           const AccountChange* change = nullptr) = 0;
  virtual Result<std::optional<UserRecord>> find_user(std::int64_t id) = 0;
  virtual Result<std::optional<UserRecord>> find_user_by_username(std::string_view username) = 0;
  // Ordered by id.
  virtual Result<std::vector<UserRecord>> list_users(const UserQuery& query) = 0;
  // Writes display name, roles, unit, province, phone, email, active and
  // updated_at of user.id. Unknown id: kNotFound. A user written inactive has
  // every live session ended in the same transaction ("sessions ended: N" in
  // `change`), so a disabled account is never left signed in.
  virtual Result<void> update_user(const UserRecord& user,
                                   const AccountChange* change = nullptr) = 0;
  // Sets the password and, in the same transaction, ends every live session
  // of the user but `keep_session` (the one that changed it; "" keeps none),
  // with "sessions ended: N" in `change`. nullopt ends none: a new hash of
  // the same password.
  virtual Result<void> set_password(std::int64_t user_id, const std::string& hash, std::int64_t now,
                                    std::optional<std::string_view> keep_session,
                                    const AccountChange* change = nullptr) = 0;
  virtual Result<std::int64_t> count_users() = 0;

  virtual Result<void> create_session(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> find_session(std::string_view token_hash) = 0;
  virtual Result<void> revoke_session(std::string_view token_hash, std::int64_t now) = 0;
  // Revokes every live session of the user but `except_hash`; returns how many.
  // `change` is written with "sessions ended: N" added to its detail.
  virtual Result<int> revoke_user_sessions(std::int64_t user_id, std::int64_t now,
                                           std::string_view except_hash,
                                           const AccountChange* change = nullptr) = 0;
  // Removes sessions that expired or were revoked before `before`.
  virtual Result<int> purge_sessions(std::int64_t before) = 0;

  // All of `views` in one statement: every one is written, or none.
  virtual Result<void> record_views(const std::vector<PersonalDataView>& views) = 0;
  // Newest first.
  virtual Result<std::vector<PersonalDataView>> list_views(const ViewQuery& query) = 0;

  // The account changes, newest first.
  virtual Result<std::vector<AccountChange>> list_changes(const ChangeQuery& query) = 0;
};

}  // namespace motcua::store
