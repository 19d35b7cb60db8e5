#include "domain/access/permissions.hpp"

namespace motcua::access {
namespace {

constexpr Scope N = Scope::kNone;
constexpr Scope O = Scope::kOwn;
constexpr Scope U = Scope::kUnit;
constexpr Scope P = Scope::kProvince;
constexpr Scope A = Scope::kNational;

// Columns, in Role order:
//   citizen, receiving officer, specialist, leader, unit admin,
//   province supervisor, national viewer, system admin, postal agent.
// Decisions worth knowing:
//  - catalog.admin: the system admin's alone. The catalog is one national
//    list (a procedure has no province), so an edit, a retirement or an
//    import changes it for every province: a province-scoped grant would let
//    a supervisor of one province change the procedures of all the others.
//  - The national viewer holds stats.read only: no permission that shows a
//    dossier or an applicant.
//  - The system admin administers accounts, catalog, calendar and the audit
//    log, but does not read dossiers: running the system is not processing.
//  - A province supervisor reads the dossiers of its communes (supervision),
//    but does not act on them.
constexpr PermissionInfo kTable[] = {
    {Permission::kPublic, "public", "Anyone, signed in or not", {A, A, A, A, A, A, A, A, A}},
    {Permission::kSelf,
     "self",
     "Any signed-in user, about themselves",
     {O, O, O, O, O, O, O, O, O}},
    {Permission::kCatalogAdmin,
     "catalog.admin",
     "Create, edit and retire procedures",
     {N, N, N, N, N, N, N, A, N}},
    {Permission::kCalendarAdmin,
     "calendar.admin",
     "Edit the year's holidays and swapped days",
     {N, N, N, N, N, N, N, A, N}},
    {Permission::kDossierSubmit, "dossier.submit", "File a dossier", {O, U, N, N, N, N, N, N, U}},
    {Permission::kDossierReceive,
     "dossier.receive",
     "Receive and check a dossier, ask for supplements, refuse",
     {N, U, N, N, N, N, N, N, U}},
    {Permission::kDossierProcess,
     "dossier.process",
     "Process a forwarded dossier",
     {N, N, U, U, N, N, N, N, N}},
    {Permission::kDossierApprove,
     "dossier.approve",
     "Approve or refuse a result",
     {N, N, N, U, N, N, N, N, N}},
    {Permission::kDossierReturn,
     "dossier.return",
     "Return the result to the applicant",
     {N, U, N, N, N, N, N, N, U}},
    {Permission::kDossierRead,
     "dossier.read",
     "See a dossier and its applicant (logged)",
     {O, U, U, U, N, P, N, N, U}},
    {Permission::kStatsRead,
     "stats.read",
     "Indicators and aggregates, no personal data",
     {N, N, N, U, U, P, A, A, N}},
    {Permission::kUsersAdmin,
     "users.admin",
     "Manage accounts: create, roles, password reset, revoke sessions",
     {N, N, N, N, U, N, N, A, N}},
    {Permission::kAuditRead,
     "audit.read",
     "Query the personal-data view log",
     {N, N, N, N, N, N, N, A, N}},
    {Permission::kAttachmentUpload,
     "attachment.upload",
     "Upload a file for a dossier's component, result or apology letter",
     {O, U, U, U, N, N, N, N, U}},
};
static_assert(std::size(kTable) == kPermissionCount);

constexpr bool table_in_enum_order() {
  for (int i = 0; i < kPermissionCount; ++i)
    if (static_cast<int>(kTable[i].id) != i) return false;
  return true;
}
static_assert(table_in_enum_order(), "kTable rows must follow the Permission enum");

bool reaches(const Principal& who, Scope s, const Target& t) {
  switch (s) {
    case Scope::kNone:
      return false;
    case Scope::kNational:
      return true;
    default:
      break;
  }
  if (t.national_only) return false;
  switch (s) {
    case Scope::kNone:
    case Scope::kNational:
      return s == Scope::kNational;
    case Scope::kProvince:
      if (!t.province_code.empty()) return t.province_code == who.province_code;
      return t.unit_code.empty() && t.owner_citizen_id.empty();
    case Scope::kUnit:
      if (!t.unit_code.empty()) return !who.unit_code.empty() && t.unit_code == who.unit_code;
      return t.province_code.empty() && t.owner_citizen_id.empty();
    case Scope::kOwn:
      if (!t.owner_citizen_id.empty())
        return !who.citizen_id.empty() && t.owner_citizen_id == who.citizen_id;
      return t.unit_code.empty() && t.province_code.empty();
  }
  return false;
}

}  // namespace

std::span<const PermissionInfo> permission_table() { return kTable; }

std::optional<Permission> permission_from_name(std::string_view name) {
  for (const auto& row : kTable)
    if (row.name == name) return row.id;
  return std::nullopt;
}

const PermissionInfo& permission_info(Permission p) { return kTable[static_cast<std::size_t>(p)]; }

Scope granted_scope(RoleSet roles, Permission p) {
  const auto& grants = kTable[static_cast<std::size_t>(p)].grants;
  Scope best = Scope::kNone;
  for (int r = 0; r < kRoleCount; ++r)
    if ((roles & (1u << r)) && grants[r] > best) best = grants[r];
  return best;
}

Decision decide(const Principal& who, Permission p, const Target& target) {
  if (p == Permission::kPublic) return {true, Scope::kNational};
  const auto& grants = kTable[static_cast<std::size_t>(p)].grants;
  Decision d;
  for (int r = 0; r < kRoleCount; ++r) {
    if (!(who.roles & (1u << r))) continue;
    const Scope s = grants[r];
    if (s > d.scope && reaches(who, s, target)) d = {true, s};
  }
  return d;
}

}  // namespace motcua::access
