#include "domain/access/roles.hpp"

#include <array>

namespace motcua::access {
namespace {

constexpr std::array<std::string_view, kRoleCount> kRoleNames = {
    "citizen",         "receiving_officer", "specialist",
    "leader",          "unit_admin",        "province_supervisor",
    "national_viewer", "system_admin",      "postal_agent",
};

}  // namespace

std::string_view role_name(Role r) { return kRoleNames[static_cast<std::size_t>(r)]; }

std::optional<Role> role_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kRoleNames.size(); ++i)
    if (kRoleNames[i] == name) return static_cast<Role>(i);
  return std::nullopt;
}

std::string_view scope_name(Scope s) {
  switch (s) {
    case Scope::kNone:
      return "none";
    case Scope::kOwn:
      return "own";
    case Scope::kUnit:
      return "unit";
    case Scope::kProvince:
      return "province";
    case Scope::kNational:
      return "national";
  }
  return "none";
}

Scope home_scope(Role r) {
  switch (r) {
    case Role::kCitizen:
      return Scope::kOwn;
    case Role::kProvinceSupervisor:
      return Scope::kProvince;
    case Role::kNationalViewer:
    case Role::kSystemAdmin:
      return Scope::kNational;
    default:
      return Scope::kUnit;
  }
}

}  // namespace motcua::access
