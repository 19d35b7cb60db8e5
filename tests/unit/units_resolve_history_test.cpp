// The resolver across the reform date, on the real data: a new name on a date
// before the new unit existed, an old unit before the reform, and an old
// district that was divided between several new communes.
#include <gtest/gtest.h>

#include <set>

#include "domain/units/resolver.hpp"
#include "services/reference_data.hpp"

namespace motcua::units {
namespace {

constexpr const char* kToday = "2026-07-01";

const Registry& registry() {
  static const Registry* r = [] {
    auto data = services::load_reference_data(MOTCUA_SOURCE_DIR "/data");
    if (!data) {
      ADD_FAILURE() << data.error().message_en;
      return new Registry(ReferenceData{});
    }
    return new Registry(std::move(data).value());
  }();
  return *r;
}

const Resolver& resolver() {
  static const Resolver r(registry());
  return r;
}

std::string describe(const Resolution& r) {
  std::string s = "split=" + std::to_string(r.split) + " " + r.reason_en + "\n";
  for (const auto& c : r.candidates) {
    s += "  " + c.code + " " + c.full_name + " " + std::to_string(c.score);
    if (c.via)
      s += " via " + c.via->old_commune_code + "/" + c.via->old_district_code + " " + c.via->kind;
    s += "\n";
  }
  for (const auto& p : r.predecessors) s += "  before: " + p.old_code + " " + p.old_name + "\n";
  return s;
}

// The new communes that took a part of the old district, from the table.
std::set<std::string> new_communes_of_district(const std::string& district) {
  std::set<std::string> out;
  for (const auto& s : registry().all_successions()) {
    if (s.old_district_code == district) out.insert(s.new_commune_code);
  }
  return out;
}

TEST(UnitsResolveHistory, ANewNameBeforeItsUnitExistedIsNotASameCodeStranger) {
  // Each new ward reuses the code of an old ward that was only one of its parts.
  struct Case {
    const char* text;
    const char* at;
    const char* stranger;     // the old ward that held the code on that date
    const char* predecessor;  // an old ward that went into the new one
  };
  for (const Case& c :
       {Case{"Phường Hoàn Kiếm, Hà Nội", "2025-06-30", "Phường Hàng Trống", "00043"},
        Case{"Phường Sài Gòn, TP HCM", "2025-03-01", "Phường Bến Nghé", "26740"},
        Case{"Phường Ba Đình, Hà Nội", "2025-06-30", "Phường Trúc Bạch", "00013"}}) {
    SCOPED_TRACE(c.text);
    const auto r = resolver().resolve(c.text, c.at);
    for (const auto& cand : r.candidates) {
      EXPECT_NE(cand.full_name, c.stranger) << describe(r);
    }
    EXPECT_TRUE(r.candidates.empty()) << describe(r);
    EXPECT_NE(r.reason_en.find("not yet in force"), std::string::npos) << describe(r);
    EXPECT_NE(r.reason_vi.find("chưa có hiệu lực"), std::string::npos) << describe(r);
    std::set<std::string> before;
    for (const auto& p : r.predecessors) {
      before.insert(p.old_code);
      EXPECT_EQ(p.old_level, "commune");
    }
    EXPECT_TRUE(before.contains(c.predecessor)) << describe(r);
    EXPECT_FALSE(r.split);
  }
  // After the reform the same text names the new unit itself.
  const auto now = resolver().resolve("Phường Hoàn Kiếm, Hà Nội", kToday);
  ASSERT_FALSE(now.candidates.empty());
  EXPECT_EQ(now.candidates[0].code, "00070");
  EXPECT_EQ(now.candidates[0].full_name, "Phường Hoàn Kiếm");
  EXPECT_TRUE(now.predecessors.empty());
}

TEST(UnitsResolveHistory, ARenamedUnitKeepsItsCode) {
  // Xã Long Thành (Đồng Nai) became Phường Long Thành on 2026-04-30: same unit, same code.
  const auto r = resolver().resolve("Phường Long Thành, Đồng Nai", "2025-09-01");
  ASSERT_FALSE(r.candidates.empty()) << describe(r);
  EXPECT_EQ(r.candidates[0].code, "26368") << describe(r);
  EXPECT_EQ(r.candidates[0].full_name, "Xã Long Thành");
  EXPECT_FALSE(r.candidates[0].via) << describe(r);
  EXPECT_TRUE(r.predecessors.empty());
}

TEST(UnitsResolveHistory, BeforeTheReformAnOldWardIsNotSplit) {
  // Đa Kao was divided on 2025-07-01; on 2025-03-01 it is one ward in force.
  const auto r = resolver().resolve("Phường Đa Kao, Quận 1, TP HCM", "2025-03-01");
  ASSERT_EQ(r.candidates.size(), 1u) << describe(r);
  EXPECT_EQ(r.candidates[0].code, "26737");
  EXPECT_EQ(r.candidates[0].full_name, "Phường Đa Kao");
  EXPECT_FALSE(r.candidates[0].via);
  EXPECT_FALSE(r.split) << describe(r);
  EXPECT_EQ(r.reason_en, "") << describe(r);
  EXPECT_EQ(r.reason_vi, "");
  // After the reform it is split.
  EXPECT_TRUE(resolver().resolve("Phường Đa Kao, Quận 1, TP HCM", kToday).split);
}

TEST(UnitsResolveHistory, BeforeTheReformAWholeDistrictIsItself) {
  const auto r = resolver().resolve("Huyện Bạch Long Vĩ, Hải Phòng", "2025-06-30");
  ASSERT_FALSE(r.candidates.empty()) << describe(r);
  EXPECT_EQ(r.candidates[0].code, "318") << describe(r);
  EXPECT_EQ(r.candidates[0].full_name, "Huyện Bạch Long Vĩ");
  EXPECT_EQ(r.candidates[0].province_code, "31");
  EXPECT_FALSE(r.candidates[0].via);
  EXPECT_EQ(r.reason_en.find("not yet in force"), std::string::npos) << describe(r);
  EXPECT_FALSE(r.split);
}

TEST(UnitsResolveHistory, ADividedDistrictOffersEveryNewCommuneThatTookPartOfIt) {
  struct Case {
    const char* text;
    const char* district;
  };
  for (const Case& c : {Case{"Quận Hoàn Kiếm, Hà Nội", "002"}, Case{"Huyện Cần Giờ, TP HCM", "787"},
                        Case{"Q.1, Tp.HCM", "760"}}) {
    SCOPED_TRACE(c.text);
    const auto r = resolver().resolve(c.text, kToday);
    std::set<std::string> codes;
    for (const auto& cand : r.candidates) {
      codes.insert(cand.code);
      ASSERT_TRUE(cand.via) << describe(r);
      EXPECT_EQ(cand.via->old_commune_code, "");
      EXPECT_EQ(cand.via->old_district_code, c.district);
      EXPECT_EQ(cand.via->kind, "partial");
      EXPECT_EQ(cand.score, r.candidates[0].score);  // no part is preferred
    }
    EXPECT_EQ(codes, new_communes_of_district(c.district)) << describe(r);
    EXPECT_EQ(codes.size(), r.candidates.size());
    for (std::size_t i = 1; i < r.candidates.size(); ++i) {
      EXPECT_LT(r.candidates[i - 1].code, r.candidates[i].code);
    }
    EXPECT_TRUE(r.split);
    EXPECT_NE(r.reason_en.find("divided"), std::string::npos) << describe(r);
    EXPECT_NE(r.reason_en.find("commune"), std::string::npos);
    EXPECT_NE(r.reason_vi.find(c.district), std::string::npos);
  }
  // With the old ward the answer is that ward's successor alone.
  const auto ward = resolver().resolve("Phường Bến Nghé, Quận 1, TP HCM", kToday);
  ASSERT_EQ(ward.candidates.size(), 1u) << describe(ward);
  EXPECT_EQ(ward.candidates[0].code, "26740");
  EXPECT_FALSE(ward.split);
}

}  // namespace
}  // namespace motcua::units
