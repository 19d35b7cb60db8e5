// The one permission table: every permission a route or a service may name,
// and which roles hold it at which scope. Routes name permissions by string;
// the access guard refuses to start if a route names one not in this table.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "domain/access/principal.hpp"
#include "domain/access/roles.hpp"

namespace motcua::access {

enum class Permission : std::uint8_t {
  kPublic,            // anyone, signed in or not
  kSelf,              // any signed-in user, about themselves (me, logout, own password)
  kCatalogAdmin,      // create, edit, retire procedures
  kCalendarAdmin,     // the year's holiday and swapped-day table
  kDossierSubmit,     // file a dossier (online, or at the desk for someone)
  kDossierReceive,    // check completeness, issue the receipt, ask for supplements, refuse
  kDossierProcess,    // work on a forwarded dossier
  kDossierApprove,    // approve or refuse the result
  kDossierReturn,     // hand the result back
  kDossierRead,       // see a dossier and its applicant (personal data: every view logged)
  kStatsRead,         // indicators and aggregates, no personal data
  kUsersAdmin,        // accounts: create, edit roles, reset passwords, revoke sessions
  kAuditRead,         // the personal-data view log
  kAttachmentUpload,  // upload a file for a dossier's component, result or apology letter
};
inline constexpr int kPermissionCount = 14;

struct PermissionInfo {
  Permission id;
  std::string_view name;  // as routes name it: "dossier.read"
  std::string_view description;
  std::array<Scope, kRoleCount> grants;  // indexed by Role
};

std::span<const PermissionInfo> permission_table();
std::optional<Permission> permission_from_name(std::string_view name);
const PermissionInfo& permission_info(Permission p);

// The widest scope at which any of `roles` holds p (kNone: none does).
Scope granted_scope(RoleSet roles, Permission p);

struct Decision {
  bool allowed = false;
  Scope scope = Scope::kNone;  // the reach that allowed it: a service filters lists by it
};

// Allow or deny `p` to `who` on `target`. Pure and allocation-free: a few
// comparisons, cheap enough to call on every request and every row.
//  - kNational reaches every target.
//  - kProvince reaches targets in the principal's province.
//  - kUnit reaches targets in the principal's unit (a province-only target is
//    beyond it).
//  - kOwn reaches targets owned by the principal's citizen id, and nothing
//    with a unit or province but no owner.
// An empty target is allowed at any granted scope.
Decision decide(const Principal& who, Permission p, const Target& target);

}  // namespace motcua::access
