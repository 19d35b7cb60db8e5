// What both back ends share about the accounts tables: column lists and the
// errors worded for a person.
#pragma once

#include "common/error.hpp"

namespace motcua::store {

// Columns of users in the order the back ends read them.
inline constexpr const char* kUserColumns =
    "id, username, display_name, kind, roles, unit_code, province_code, id_number, phone, email,"
    " password_hash, active, created_at, updated_at, password_changed_at";

inline constexpr const char* kViewColumns =
    "id, viewed_at_ms, viewer_id, viewer_username, viewer_roles, subject_kind, subject_id, action,"
    " route, request_id, remote";

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
