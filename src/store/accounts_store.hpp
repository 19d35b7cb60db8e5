// Storage area `accounts`: users, sessions (by token hash, never the token)
// and the personal-data view log. Times are Unix seconds (UTC).
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

class AccountsStore {
 public:
  virtual ~AccountsStore() = default;

  // The new user's id. A taken username or identification number: kConflict.
  virtual Result<std::int64_t> create_user(const UserRecord& user) = 0;
  virtual Result<std::optional<UserRecord>> find_user(std::int64_t id) = 0;
  virtual Result<std::optional<UserRecord>> find_user_by_username(std::string_view username) = 0;
  // Ordered by id.
  virtual Result<std::vector<UserRecord>> list_users(const UserQuery& query) = 0;
  // Writes display name, roles, unit, province, phone, email, active and
  // updated_at of user.id. Unknown id: kNotFound.
  virtual Result<void> update_user(const UserRecord& user) = 0;
  virtual Result<void> set_password(std::int64_t user_id, const std::string& hash,
                                    std::int64_t now) = 0;
  virtual Result<std::int64_t> count_users() = 0;

  virtual Result<void> create_session(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> find_session(std::string_view token_hash) = 0;
  virtual Result<void> revoke_session(std::string_view token_hash, std::int64_t now) = 0;
  // Revokes every live session of the user but `except_hash`; returns how many.
  virtual Result<int> revoke_user_sessions(std::int64_t user_id, std::int64_t now,
                                           std::string_view except_hash) = 0;
  // Removes sessions that expired or were revoked before `before`.
  virtual Result<int> purge_sessions(std::int64_t before) = 0;

  // All of `views` in one statement: every one is written, or none.
  virtual Result<void> record_views(const std::vector<PersonalDataView>& views) = 0;
  // Newest first.
  virtual Result<std::vector<PersonalDataView>> list_views(const ViewQuery& query) = 0;
};

}  // namespace motcua::store
