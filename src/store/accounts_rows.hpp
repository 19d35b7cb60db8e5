// What both back ends share about the accounts tables: column lists and the
// errors worded for a person.
#pragma once

#include <string>

#include "common/error.hpp"

namespace motcua::store {

// Columns of users in the order the back ends read them.
inline constexpr const char* kUserColumns =
    "id, username, display_name, kind, roles, unit_code, province_code, id_number, phone, email,"
    " password_hash, active, created_at, updated_at, password_changed_at";

inline constexpr const char* kViewColumns =
    "id, viewed_at_ms, viewer_id, viewer_username, viewer_roles, subject_kind, subject_id, action,"
    " route, request_id, remote";

inline constexpr const char* kChangeColumns =
    "id, changed_at_ms, actor_id, actor_username, subject_id, subject_username, action, detail,"
    " request_id, remote";

// A revocation's detail: what the caller gave, then how many sessions it ended
// (known only inside the revoking transaction).
inline std::string with_sessions_ended(const std::string& detail, int ended) {
  const std::string count = "sessions ended: " + std::to_string(ended);
  return detail.empty() ? count : detail + "; " + count;
}

inline Error user_taken() {
  return make_error(ErrorKind::kConflict,
                    "Tên đăng nhập hoặc số định danh này đã được dùng cho một tài khoản khác.",
                    "This username or identification number is already used by another account.",
                    "username");
}

inline Error user_not_found() {
  return make_error(ErrorKind::kNotFound, "Không tìm thấy tài khoản.", "No such account.");
}

}  // namespace motcua::store
