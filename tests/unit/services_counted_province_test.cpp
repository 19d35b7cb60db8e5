// The province a unit's dossiers are counted in when the registry no longer
// has the unit in force today: the province it last belonged to (followed to
// the province that took that one whole), never the unit's own code, while
// access and filing still see a unit not in force.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "domain/units/model.hpp"
#include "services/unit_service.hpp"

namespace motcua::services {
namespace {

units::UnitVersion unit(const char* code, units::Level level, const char* province,
                        const char* from, const char* to) {
  units::UnitVersion v;
  v.code = code;
  v.level = level;
  if (level != units::Level::kProvince) v.province_code = province;
  v.name = std::string("Đơn vị ") + code;
  v.full_name = (level == units::Level::kProvince ? "Tỉnh " : "Xã ") + v.name;
  v.unit_type = level == units::Level::kProvince ? "tinh" : "xa";
  v.valid_from = from;
  v.valid_to = to;
  return v;
}

units::Succession into(const char* old_province, const char* old_commune, const char* new_province,
                       const char* new_commune) {
  units::Succession s;
  s.old_province_code = old_province;
  s.old_commune_code = old_commune;
  s.old_district_code = std::string(old_province) + "1";
  s.new_province_code = new_province;
  s.new_commune_code = new_commune;
  s.kind = "whole";
  s.effective = "2025-07-01";
  return s;
}

// Every end date here is long before today.
const UnitService& service() {
  using units::Level;
  static const UnitService* s = [] {
    units::ReferenceData d;
    d.versions = {
        unit("91", Level::kProvince, "", "2025-07-01", ""),
        unit("92", Level::kProvince, "", "2025-07-01", ""),
        // A commune of 91 whose code a later update ended.
        unit("91001", Level::kCommune, "91", "2025-07-01", "2025-09-01"),
        unit("91002", Level::kCommune, "91", "2025-07-01", ""),
        // A code reused: in old province 90, then in 91, then ended.
        unit("91003", Level::kCommune, "90", "", "2025-07-01"),
        unit("91003", Level::kCommune, "91", "2025-07-01", "2025-09-01"),
        // Old provinces: 90 went whole into 91, 89 into none that the table
        // names, 88 was divided between 91 and 92.
        unit("90", Level::kProvince, "", "", "2025-07-01"),
        unit("90001", Level::kCommune, "90", "", "2025-07-01"),
        unit("89", Level::kProvince, "", "", "2025-07-01"),
        unit("89001", Level::kCommune, "89", "", "2025-07-01"),
        unit("88", Level::kProvince, "", "", "2025-07-01"),
        unit("88001", Level::kCommune, "88", "", "2025-07-01"),
        unit("88002", Level::kCommune, "88", "", "2025-07-01"),
        // Not in force yet: counted where it will be.
        unit("92009", Level::kCommune, "92", "2999-01-01", ""),
    };
    d.successions = {into("90", "90001", "91", "91002"), into("88", "88001", "91", "91002"),
                     into("88", "88002", "92", "92009")};
    return new UnitService(std::move(d));
  }();
  return *s;
}

TEST(CountedProvince, AUnitEndedBeforeTodayCountsInItsLastProvince) {
  const ProvinceOf p = service().province_of();
  // Access and filing: not in force today, so in no province.
  EXPECT_EQ(p("91001"), std::nullopt);
  // Counting: in its province, not as a province of its own.
  EXPECT_EQ(counted_province(p, "91001"), "91");
  EXPECT_EQ(counted_province(p, "91002"), "91");
  EXPECT_EQ(p("91002"), std::optional<std::string>("91"));
  // A reused code: its latest version's province, not its first.
  EXPECT_EQ(counted_province(p, "91003"), "91");
  EXPECT_EQ(counted_province(p, "92009"), "92");
}

TEST(CountedProvince, AProvinceGoneIsFollowedToTheOneThatTookItWhole) {
  const ProvinceOf p = service().province_of();
  EXPECT_EQ(p("90001"), std::nullopt);
  EXPECT_EQ(counted_province(p, "90001"), "91");
  EXPECT_EQ(counted_province(p, "90"), "91");
  // No successor, or several: the old province's own code.
  EXPECT_EQ(counted_province(p, "89001"), "89");
  EXPECT_EQ(counted_province(p, "88001"), "88");
  EXPECT_EQ(counted_province(p, "88002"), "88");
}

TEST(CountedProvince, AnUnknownCodeCountsAsItselfAndAPlainLookupCountsByItself) {
  EXPECT_EQ(counted_province(service().province_of(), "77777"), "77777");
  EXPECT_EQ(counted_province(ProvinceOf(), "91001"), "91001");
  const ProvinceOf plain = [](std::string_view code) -> std::optional<std::string> {
    if (code == "91001") return "01";
    return std::nullopt;
  };
  EXPECT_EQ(counted_province(plain, "91001"), "01");
  EXPECT_EQ(counted_province(plain, "91002"), "91002");
}

}  // namespace
}  // namespace motcua::services
