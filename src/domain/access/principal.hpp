// Who is asking: what an authenticated session carries into every check.
#pragma once

#include <cstdint>
#include <string>

#include "domain/access/roles.hpp"

namespace motcua::access {

struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  RoleSet roles = 0;
  std::string unit_code;      // staff of a commune or a province department; "" otherwise
  std::string province_code;  // the province of unit_code, or of a province supervisor
  std::string citizen_id;     // a citizen's 12-digit identification number; "" for staff

  bool has(Role r) const { return (roles & role_bit(r)) != 0; }
};

// What a request touches, as far as jurisdiction goes. Empty fields are not
// checked: a list with no target is filtered by the service to the principal's
// reach (Decision::scope).
struct Target {
  std::string unit_code;
  std::string province_code;  // of unit_code when it is set: callers fill both
  std::string owner_citizen_id;
  // Something above every province (a national account): only national
  // scope reaches it.
  bool national_only = false;
};

}  // namespace motcua::access
