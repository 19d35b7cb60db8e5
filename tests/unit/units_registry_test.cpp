// Registry look-ups on the real data: dated versions, search, pagination,
// predecessors and successors.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "domain/units/registry.hpp"
#include "real_registry.hpp"
#include "text/fold.hpp"

namespace motcua::units {
namespace {

// The search's rule, written out: every query token starts some name token.
bool matches_prefixes(const UnitVersion& v, std::string_view q) {
  const std::string fq = text::fold(q);
  const std::string names = text::fold(v.full_name + " " + v.name);
  const auto name_tokens = text::tokens(names);
  for (auto t : text::tokens(fq)) {
    bool found = false;
    for (auto n : name_tokens) found = found || n.substr(0, t.size()) == t;
    if (!found) return false;
  }
  return true;
}

const Registry& registry() { return real_registry(); }

TEST(UnitsRegistry, VersionsOfAProvinceCodeSpanBothSystems) {
  const auto v = registry().versions("01");
  ASSERT_GE(v.size(), 2u);
  EXPECT_TRUE(is_old_unit(*v[0]));
  EXPECT_EQ(v[1]->valid_from, "2025-07-01");
  for (const auto* x : v) EXPECT_EQ(x->level, Level::kProvince);
  EXPECT_TRUE(registry().versions("99999").empty());
  EXPECT_EQ(registry().at("99999", "2026-01-01"), nullptr);
}

TEST(UnitsRegistry, SearchFiltersByDateLevelProvinceAndText) {
  UnitQuery q;
  q.level = Level::kCommune;
  q.province = "01";
  q.q = "ba dinh";
  q.at = "2026-07-01";
  auto page = registry().search(q);
  ASSERT_FALSE(page.items.empty());
  EXPECT_EQ(page.items[0]->code, "00004");
  EXPECT_EQ(page.items[0]->full_name, "Phường Ba Đình");
  for (const auto* v : page.items) {
    EXPECT_EQ(v->province_code, "01");
    EXPECT_TRUE(matches_prefixes(*v, q.q)) << v->full_name;
  }
  EXPECT_TRUE(page.next_cursor.empty());

  q.at = "2025-01-04";  // before the reform 00004 was Trúc Bạch
  for (const auto* v : registry().search(q).items) EXPECT_NE(v->code, "00004");
  q.q = "truc bach";
  page = registry().search(q);
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0]->full_name, "Phường Trúc Bạch");
}

TEST(UnitsRegistry, ATypeWordIsMatchedWholeNotByItsBeginning) {
  UnitQuery q;
  q.level = Level::kCommune;
  q.limit = 5000;
  q.q = "phú";  // begins "phường" too: every ward would match
  for (const auto* v : registry().search(q).items) {
    EXPECT_NE(registry().folded_name(*v).find("phu"), std::string::npos) << v->full_name;
  }
  q.q = "tân phú";
  const auto page = registry().search(q);
  ASSERT_FALSE(page.items.empty());
  for (const auto* v : page.items) {
    const auto& name = registry().folded_name(*v);
    EXPECT_NE(name.find("tan"), std::string::npos) << v->full_name;
    EXPECT_NE(name.find("phu"), std::string::npos) << v->full_name;
  }
  // The type word itself still matches, and so do its short forms.
  for (const char* text : {"phường ba đình", "P. Ba Đình", "p ba dinh"}) {
    q.q = text;
    bool found = false;
    for (const auto* v : registry().search(q).items) found = found || v->code == "00004";
    EXPECT_TRUE(found) << text;
  }
  q.q = "X. Ba Đình";  // a ward is not a commune (xã)
  for (const auto* v : registry().search(q).items) EXPECT_NE(v->code, "00004");
}

TEST(UnitsRegistry, SearchReadsNumbersByValue) {
  UnitQuery q;
  q.level = Level::kCommune;
  q.at = "2025-06-30";  // the old wards: Phường 1 of many towns
  q.limit = 1000;
  auto codes = [&q](const char* text) {
    q.q = text;
    std::vector<std::string> out;
    for (const auto* v : registry().search(q).items) out.push_back(v->code);
    return out;
  };
  const auto plain = codes("Phường 1");
  EXPECT_FALSE(plain.empty());
  EXPECT_EQ(codes("Phường 01"), plain);
  EXPECT_EQ(codes("phuong 001"), plain);
}

TEST(UnitsRegistry, SearchMatchesTokenPrefixesOfFullNameWithDiacriticsFolded) {
  UnitQuery q;
  q.level = Level::kCommune;
  q.at = "2026-07-01";
  q.q = "PHƯỜNG yên hòa";  // the registry spells it "Yên Hoà" since 2026-04-30
  auto page = registry().search(q);
  std::set<std::string> codes;
  for (const auto* v : page.items) codes.insert(v->code);
  EXPECT_TRUE(codes.contains("00175"));
  for (const auto* v : page.items) EXPECT_EQ(v->unit_type, "phuong");

  q.q = "xa tan phu";
  q.limit = 1000;
  page = registry().search(q);
  std::size_t exact = 0;
  for (const auto* v : page.items) {
    EXPECT_TRUE(matches_prefixes(*v, q.q)) << v->full_name;
    exact += v->full_name == "Xã Tân Phú";
  }
  EXPECT_GE(exact, 3u);  // the name repeats across provinces

  // The filter is exact about prefixes: a query token that starts no name token.
  q.q = "tan phuz";
  EXPECT_TRUE(registry().search(q).items.empty());
}

TEST(UnitsRegistry, ProvincesInForceAndOrder) {
  UnitQuery q;
  q.level = Level::kProvince;
  q.at = "2026-07-01";
  q.limit = 100;
  auto page = registry().search(q);
  ASSERT_EQ(page.items.size(), 34u);
  for (std::size_t i = 1; i < page.items.size(); ++i) {
    EXPECT_LT(page.items[i - 1]->code, page.items[i]->code);
  }
  q.at = "2025-01-04";
  EXPECT_EQ(registry().search(q).items.size(), 63u);
}

TEST(UnitsRegistry, CursorPaginationVisitsEveryUnitOnce) {
  UnitQuery q;
  q.level = Level::kCommune;
  q.at = "2026-07-01";
  q.limit = 500;
  std::set<std::string> seen;
  std::string last;
  int pages = 0;
  for (;;) {
    auto page = registry().search(q);
    ++pages;
    for (const auto* v : page.items) {
      EXPECT_GT(v->code, last);  // strictly increasing across pages
      last = v->code;
      EXPECT_TRUE(seen.insert(v->code).second);
    }
    if (page.next_cursor.empty()) break;
    EXPECT_EQ(page.items.size(), 500u);
    q.after = page.next_cursor;
    ASSERT_LT(pages, 100);
  }
  EXPECT_EQ(seen.size(), 3321u);
  EXPECT_EQ(pages, 7);
}

TEST(UnitsRegistry, CursorOrdersByCodeThenLevelAcrossLevels) {
  UnitQuery q;
  q.at = "2025-01-04";
  q.limit = 1;
  auto first = registry().search(q);
  ASSERT_EQ(first.items.size(), 1u);
  EXPECT_EQ(first.items[0]->code, "00001");  // codes compare as text: "00001" < "001" < "01"
  q.after = first.next_cursor;
  auto second = registry().search(q);
  ASSERT_EQ(second.items.size(), 1u);
  EXPECT_LT(first.items[0]->code, second.items[0]->code);
}

TEST(UnitsRegistry, PredecessorsOfANewCommune) {
  const auto p = registry().predecessors("00004", "2026-07-01");
  std::set<std::string> codes;
  for (const auto& x : p) {
    codes.insert(x.old_code);
    EXPECT_EQ(x.old_level, "commune");
    EXPECT_EQ(x.effective, "2025-07-01");
  }
  EXPECT_TRUE(codes.contains("00004"));  // Trúc Bạch, whole
  EXPECT_TRUE(codes.contains("00016"));  // Ngọc Hà, partial
  for (const auto& x : p) {
    if (x.old_code == "00016") {
      EXPECT_EQ(x.kind, "partial");
      EXPECT_EQ(x.old_district_code, "001");
      EXPECT_EQ(x.old_province_name, "Thành phố Hà Nội");
    }
  }
  // Before the reform 00004 is the old ward itself: it has no predecessors.
  EXPECT_TRUE(registry().predecessors("00004", "2025-01-04").empty());
}

TEST(UnitsRegistry, PredecessorOfASpecialZoneIsAWholeDistrict) {
  const auto p = registry().predecessors("19742", "2026-07-01");  // Đặc khu Cồn Cỏ
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0].old_level, "district");
  EXPECT_EQ(p[0].old_code, "471");
  EXPECT_EQ(p[0].kind, "district_to_special_zone");
}

TEST(UnitsRegistry, PredecessorsOfANewProvince) {
  // New Tuyên Quang (08) took all of old Tuyên Quang (08) and Hà Giang (02).
  const auto p = registry().predecessors("08", "2026-07-01");
  std::map<std::string, std::string> kinds;
  for (const auto& x : p) {
    EXPECT_EQ(x.old_level, "province");
    kinds[x.old_code] = x.kind;
  }
  EXPECT_EQ(kinds, (std::map<std::string, std::string>{{"02", "whole"}, {"08", "whole"}}));
  for (const auto& x : p) {
    if (x.old_code == "02") {
      EXPECT_EQ(x.old_name, "Tỉnh Hà Giang");
    }
  }

  // Old Bà Rịa - Vũng Tàu (77) went whole into Hồ Chí Minh City (79).
  std::map<std::string, std::string> hcm;
  for (const auto& x : registry().predecessors("79", "2026-07-01")) hcm[x.old_code] = x.kind;
  EXPECT_EQ(hcm["77"], "whole");
  EXPECT_EQ(hcm.size(), 3u);  // 74 Bình Dương, 77, 79
}

TEST(UnitsRegistry, Successors) {
  const auto split = registry().successors("00112");  // Thụy Khuê, divided
  std::set<std::string> to;
  for (const auto* s : split) to.insert(s->new_commune_code);
  EXPECT_EQ(to, (std::set<std::string>{"00004", "00103"}));
  EXPECT_TRUE(registry().successors("99999").empty());
}

TEST(UnitsRegistry, SuccessorsOfADividedDistrictAreTheNewCommunesOfItsCommunes) {
  // Quận 1 (HCMC) had ten wards; they went, whole or in part, into four new wards.
  const auto q1 = registry().district_successors("760");
  std::vector<std::string> codes;
  for (const auto* s : q1) {
    codes.push_back(s->new_commune_code);
    EXPECT_EQ(s->kind, "partial");  // each took a part of the district
    EXPECT_EQ(s->old_district_code, "760");
    EXPECT_EQ(s->old_commune_code, "");
    EXPECT_EQ(s->new_province_code, "79");
    EXPECT_FALSE(s->note.empty());
    EXPECT_EQ(s->effective, "2025-07-01");
  }
  // One row per new ward, by code.
  EXPECT_EQ(codes, (std::vector<std::string>{"26737", "26740", "26743", "26758"}));

  // Quận Ba Đình: every new ward that took one of its wards, whole or in part.
  std::set<std::string> ba_dinh;
  for (const auto* s : registry().district_successors("001")) ba_dinh.insert(s->new_commune_code);
  std::set<std::string> want;
  for (const auto& s : registry().all_successions()) {
    if (s.old_district_code == "001") want.insert(s.new_commune_code);
  }
  EXPECT_EQ(ba_dinh, want);
  EXPECT_TRUE(ba_dinh.contains("00004"));
  EXPECT_TRUE(ba_dinh.contains("00008"));

  // A district that went whole keeps its one row.
  const auto blv = registry().district_successors("318");
  ASSERT_EQ(blv.size(), 1u);
  EXPECT_EQ(blv[0]->new_commune_code, "11948");
  EXPECT_EQ(blv[0]->kind, "district_to_special_zone");
  EXPECT_TRUE(registry().district_successors("999").empty());
}

TEST(UnitsRegistry, SearchPutsTheNameItselfFirstThenNamesThatBeginWithIt) {
  UnitQuery q;
  q.level = Level::kCommune;
  q.q = "an hoi";
  q.limit = 500;
  const auto page = registry().search(q);
  ASSERT_FALSE(page.items.empty());
  EXPECT_EQ(page.items[0]->full_name, "Phường An Hội");
  std::vector<std::string> names;
  for (const auto* v : page.items) names.push_back(v->full_name);
  auto at = [&](const char* n) { return std::find(names.begin(), names.end(), n) - names.begin(); };
  EXPECT_LT(at("Phường An Hội Tây"), at("Phường Hội An"));
  q = UnitQuery{};
  q.q = "Quận 01";
  q.at = "2025-06-30";
  EXPECT_EQ(registry().search(q).items.at(0)->full_name, "Quận 1");
}

TEST(UnitsRegistry, RankedPagesGiveEveryMatchOnceInOrder) {
  UnitQuery q;
  q.q = "tan";
  q.limit = 5000;
  const auto all = registry().search(q).items;
  ASSERT_GT(all.size(), 100u);
  q.limit = 61;
  std::vector<const UnitVersion*> walked;
  for (int pages = 0; pages < 200; ++pages) {
    const auto page = registry().search(q);
    walked.insert(walked.end(), page.items.begin(), page.items.end());
    if (page.next_cursor.empty()) break;
    q.after = page.next_cursor;
  }
  EXPECT_EQ(walked, all);
}

TEST(UnitsRegistry, AnOldProvinceWentIntoANewOne) {
  const auto s = registry().province_successors("02");  // Hà Giang
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0]->new_commune_code, "08");
  EXPECT_EQ(s[0]->new_province_code, "08");
  EXPECT_EQ(s[0]->new_commune_name, "Tỉnh Tuyên Quang");
  EXPECT_EQ(s[0]->old_province_name, "Tỉnh Hà Giang");
  EXPECT_EQ(s[0]->kind, "whole");
  EXPECT_TRUE(s[0]->old_commune_code.empty());
  EXPECT_EQ(registry().province_successors("08").at(0)->new_commune_code, "08");
  EXPECT_TRUE(registry().province_successors("99").empty());
}

TEST(UnitsRegistry, NamesAreTrimmed) {
  const auto* v = registry().at("21091", "2025-06-30");  // "Xã Bình Thanh " in the old list
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->full_name, "Xã Bình Thanh");
  EXPECT_EQ(v->name, "Bình Thanh");
}

}  // namespace
}  // namespace motcua::units
