// Roles and scopes: who a principal is, and how far their reach goes.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace motcua::access {

enum class Role : std::uint8_t {
  kCitizen,
  kReceivingOfficer,    // the one-stop desk of a commune
  kSpecialist,          // processes dossiers
  kLeader,              // approves
  kUnitAdmin,           // manages the accounts of one unit
  kProvinceSupervisor,  // supervises every commune of a province
  kNationalViewer,      // aggregates only, never personal data
  kSystemAdmin,         // accounts, catalog, calendar, audit; not dossiers' contents
  kPostalAgent,         // receives at a commune on behalf of people, delivers results
};
inline constexpr int kRoleCount = 9;

// How far a grant reaches, narrowest first. kNone: not granted.
enum class Scope : std::uint8_t { kNone, kOwn, kUnit, kProvince, kNational };

// A set of roles as bits (1 << Role).
using RoleSet = std::uint16_t;
constexpr RoleSet role_bit(Role r) { return static_cast<RoleSet>(1u << static_cast<unsigned>(r)); }

std::string_view role_name(Role r);  // "receiving_officer"
std::optional<Role> role_from_name(std::string_view name);
std::string_view scope_name(Scope s);  // "unit"

// The scope a role works at: citizen own; desk, specialist, leader, unit admin
// and postal agent their unit; province supervisor their province; national
// viewer and system admin national.
Scope home_scope(Role r);

}  // namespace motcua::access
