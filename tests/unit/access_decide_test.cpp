// The pure access rules: roles, scopes and the allow/deny decision.
#include <gtest/gtest.h>

#include "domain/access/permissions.hpp"

namespace motcua::access {
namespace {

Principal staff(Role r, std::string unit, std::string province) {
  Principal p;
  p.user_id = 1;
  p.roles = role_bit(r);
  p.unit_code = std::move(unit);
  p.province_code = std::move(province);
  return p;
}

Target unit(std::string u, std::string p) { return Target{std::move(u), std::move(p), "", false}; }

TEST(AccessDecide, CommuneStaffSeeTheirCommuneOnly) {
  const auto officer = staff(Role::kReceivingOfficer, "00004", "01");
  EXPECT_TRUE(decide(officer, Permission::kDossierRead, unit("00004", "01")).allowed);
  EXPECT_FALSE(decide(officer, Permission::kDossierRead, unit("00008", "01")).allowed);
  EXPECT_FALSE(decide(officer, Permission::kDossierRead, unit("25747", "79")).allowed);
  EXPECT_FALSE(decide(officer, Permission::kDossierRead, Target{"", "01", "", false}).allowed);
  EXPECT_FALSE(decide(officer, Permission::kDossierApprove, unit("00004", "01")).allowed);
  const auto d = decide(officer, Permission::kDossierRead, Target{});
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.scope, Scope::kUnit);
}

TEST(AccessDecide, AProvinceSupervisesItsCommunes) {
  const auto sup = staff(Role::kProvinceSupervisor, "", "01");
  EXPECT_TRUE(decide(sup, Permission::kDossierRead, unit("00008", "01")).allowed);
  EXPECT_FALSE(decide(sup, Permission::kDossierRead, unit("25747", "79")).allowed);
  // A unit whose province the caller could not tell is not reached.
  EXPECT_FALSE(decide(sup, Permission::kDossierRead, Target{"00008", "", "", false}).allowed);
  EXPECT_FALSE(decide(sup, Permission::kDossierProcess, unit("00008", "01")).allowed);
}

TEST(AccessDecide, TheNationalCatalogIsTheSystemAdminsAlone) {
  // A procedure has no province: the catalog is one national list, and its
  // write routes name no province to check. A province-scoped grant reached
  // every procedure of every province, so a supervisor holds none at all.
  const auto sup = staff(Role::kProvinceSupervisor, "", "01");
  EXPECT_FALSE(decide(sup, Permission::kCatalogAdmin, Target{}).allowed);
  EXPECT_FALSE(decide(sup, Permission::kCatalogAdmin, Target{"", "01", "", false}).allowed);
  EXPECT_FALSE(decide(sup, Permission::kCatalogAdmin, Target{"", "79", "", false}).allowed);
  EXPECT_EQ(granted_scope(sup.roles, Permission::kCatalogAdmin), Scope::kNone);
  const auto admin = staff(Role::kSystemAdmin, "", "");
  const auto d = decide(admin, Permission::kCatalogAdmin, Target{});
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.scope, Scope::kNational);
  // Nobody else holds it either.
  for (int r = 0; r < kRoleCount; ++r) {
    if (static_cast<Role>(r) == Role::kSystemAdmin) continue;
    EXPECT_EQ(granted_scope(role_bit(static_cast<Role>(r)), Permission::kCatalogAdmin),
              Scope::kNone)
        << r;
  }
}

TEST(AccessDecide, TheNationalViewerGetsAggregatesAndNoPersonalData) {
  const auto nv = staff(Role::kNationalViewer, "", "");
  EXPECT_TRUE(decide(nv, Permission::kStatsRead, unit("25747", "79")).allowed);
  for (auto p : {Permission::kDossierRead, Permission::kUsersAdmin, Permission::kAuditRead,
                 Permission::kDossierSubmit})
    EXPECT_FALSE(decide(nv, p, Target{}).allowed) << permission_info(p).name;
}

TEST(AccessDecide, ACitizenSeesTheirOwnDossiersOnly) {
  Principal c;
  c.roles = role_bit(Role::kCitizen);
  c.citizen_id = "001090000001";
  EXPECT_TRUE(
      decide(c, Permission::kDossierRead, Target{"00004", "01", "001090000001", false}).allowed);
  EXPECT_FALSE(
      decide(c, Permission::kDossierRead, Target{"00004", "01", "001090000002", false}).allowed);
  EXPECT_FALSE(decide(c, Permission::kDossierRead, unit("00004", "01")).allowed);
  // A staff member with no citizen id owns nothing.
  const auto officer = staff(Role::kSpecialist, "00004", "01");
  EXPECT_FALSE(decide(officer, Permission::kSelf, Target{"", "", "001090000001", false}).allowed);
}

TEST(AccessDecide, NationalOnlyTargetsAreBeyondUnitAdmins) {
  const auto ua = staff(Role::kUnitAdmin, "00004", "01");
  Target national;
  national.national_only = true;
  EXPECT_FALSE(decide(ua, Permission::kUsersAdmin, national).allowed);
  EXPECT_TRUE(decide(staff(Role::kSystemAdmin, "", ""), Permission::kUsersAdmin, national).allowed);
}

TEST(AccessDecide, SeveralRolesTakeTheWidestReach) {
  auto p = staff(Role::kLeader, "00004", "01");
  p.roles |= role_bit(Role::kProvinceSupervisor);
  const auto d = decide(p, Permission::kStatsRead, unit("00008", "01"));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.scope, Scope::kProvince);
  EXPECT_EQ(granted_scope(p.roles, Permission::kDossierApprove), Scope::kUnit);
}

TEST(AccessTable, NamesRoundTripAndPublicIsOpen) {
  for (const auto& row : permission_table()) {
    EXPECT_EQ(permission_from_name(row.name), row.id);
    EXPECT_TRUE(decide(Principal{}, Permission::kPublic, Target{}).allowed);
  }
  EXPECT_FALSE(permission_from_name("dossier.delete"));
  for (int r = 0; r < kRoleCount; ++r)
    EXPECT_EQ(role_from_name(role_name(static_cast<Role>(r))), static_cast<Role>(r));
  EXPECT_FALSE(role_from_name("king"));
  EXPECT_FALSE(decide(Principal{}, Permission::kSelf, Target{}).allowed);
}

}  // namespace
}  // namespace motcua::access
