// The old-address resolver on the real data, one writing style per test.
#include "domain/units/resolver.hpp"

#include <gtest/gtest.h>

#include <set>

#include "real_registry.hpp"

namespace motcua::units {
namespace {

constexpr const char* kToday = "2026-07-01";

const Registry& registry() { return real_registry(); }

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

// The single best candidate's code, or "" when the answer is not one clear unit.
std::string best(std::string_view text, const char* at = kToday) {
  const auto r = resolver().resolve(text, at);
  if (r.candidates.empty()) return "";
  if (r.candidates.size() > 1 && r.candidates[1].score == r.candidates[0].score) return "tie";
  return r.candidates[0].code;
}

void expect_scores_valid(const Resolution& r) {
  for (std::size_t i = 0; i < r.candidates.size(); ++i) {
    EXPECT_GT(r.candidates[i].score, 0.0);
    EXPECT_LE(r.candidates[i].score, 1.0);
    if (i > 0) {
      EXPECT_GE(r.candidates[i - 1].score, r.candidates[i].score);
    }
  }
}

TEST(Resolver, OldCommuneFullyWritten) {
  const auto r = resolver().resolve("Phường Trúc Bạch, Quận Ba Đình, Thành phố Hà Nội", kToday);
  ASSERT_FALSE(r.candidates.empty()) << describe(r);
  const auto& c = r.candidates[0];
  EXPECT_EQ(c.code, "00004");
  EXPECT_EQ(c.full_name, "Phường Ba Đình");
  EXPECT_EQ(c.province_code, "01");
  EXPECT_EQ(c.province_name, "Thành phố Hà Nội");
  ASSERT_TRUE(c.via.has_value());
  EXPECT_EQ(c.via->old_commune_code, "00004");
  EXPECT_EQ(c.via->old_district_code, "001");
  EXPECT_EQ(c.via->kind, "whole");
  EXPECT_FALSE(r.split);
  EXPECT_GE(c.score, 0.9);  // everything written agrees
  expect_scores_valid(r);
}

TEST(Resolver, NoisyWritingStylesOfOneAddress) {
  for (const char* text : {
           "P.Trúc Bạch, Q.Ba Đình, HN",
           "p. truc bach q. ba dinh ha noi",
           "PHƯỜNG TRÚC BẠCH, QUẬN BA ĐÌNH, TP. HÀ NỘI",
           "phuong truc bach quan ba dinh ha noi",
           "P Truc Bach - Q Ba Dinh - Ha Noi",
           "Phu\xCC\x9Bo\xCC\x9B\xCC\x80ng Tru\xCC\x81"
           "c Ba\xCC\xA3"
           "ch, Ha\xCC\x80 No\xCC\xA3\xCC\x82i",
           "Trúc Bạch, Ba Đình",
           "trúc bạch",
       }) {
    SCOPED_TRACE(text);
    EXPECT_EQ(best(text), "00004") << describe(resolver().resolve(text, kToday));
  }
}

TEST(Resolver, ContextRaisesTheScore) {
  const auto bare = resolver().resolve("truc bach", kToday);
  const auto full = resolver().resolve("P.Trúc Bạch, Q.Ba Đình, HN", kToday);
  ASSERT_FALSE(bare.candidates.empty());
  ASSERT_FALSE(full.candidates.empty());
  EXPECT_LT(bare.candidates[0].score, full.candidates[0].score);
}

TEST(Resolver, HouseNumberAndStreetBeforeTheCommune) {
  // Old ward Hàng Bài (Hoàn Kiếm) went into the new Phường Cửa Nam.
  const auto r = resolver().resolve("12 Hàng Bài, Hoàn Kiếm, Hà Nội", kToday);
  ASSERT_FALSE(r.candidates.empty()) << describe(r);
  EXPECT_EQ(r.candidates[0].code, "00082") << describe(r);
  ASSERT_TRUE(r.candidates[0].via);
  EXPECT_EQ(r.candidates[0].via->old_district_code, "002");

  // A house number alone is no ward: "Phường 12" needs its type word.
  EXPECT_EQ(best("Số 5 ngõ 10 đường Láng"), "00199")
      << describe(resolver().resolve("Số 5 ngõ 10 đường Láng", kToday));
  // With the old district the street could also be read as Phường Đống Đa: both are offered.
  const auto with_district = resolver().resolve("Số 5 ngõ 10 đường Láng, Đống Đa, Hà Nội", kToday);
  std::set<std::string> codes;
  for (const auto& c : with_district.candidates) codes.insert(c.code);
  EXPECT_TRUE(codes.contains("00199")) << describe(with_district);
}

TEST(Resolver, HoChiMinhCityAbbreviationsAndNumberedWards) {
  for (const char* text :
       {"Phường Bến Nghé, Quận 1, TP HCM", "P. Bến Nghé, Q.1, Tp.HCM", "p ben nghe q1 tphcm",
        "Bến Nghé, Quận 1, Thành phố Hồ Chí Minh", "P.Bến Nghé Q1 HCM"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(best(text), "26740") << describe(resolver().resolve(text, kToday));  // Phường Sài Gòn
  }
  // "Phường 14, Bình Thạnh": a numbered ward, found only with its district.
  const auto r = resolver().resolve("P14, Q.Bình Thạnh, TPHCM", kToday);
  ASSERT_FALSE(r.candidates.empty()) << describe(r);
  EXPECT_EQ(r.candidates[0].code, "26929") << describe(r);
  EXPECT_EQ(r.candidates[0].province_code, "79");
}

// Numbers in names compare by value: "Phường 01", "P.01" and "Quận 03" are
// Phường 1 and Quận 3, as people routinely write them.
TEST(Resolver, NumbersWithLeadingZerosAreTheSameUnit) {
  const auto plain = resolver().resolve("Phường 1, Quận 3, TP HCM", kToday);
  ASSERT_FALSE(plain.candidates.empty()) << describe(plain);
  EXPECT_EQ(plain.candidates[0].code, "27154") << describe(plain);  // Phường Bàn Cờ
  for (const char* text :
       {"Phường 01, Quận 3, TP HCM", "P.01, Q.3, TP.HCM", "Phường 01, Quận 03, TP Hồ Chí Minh",
        "Phường 1, Quận 03, TP HCM", "P01, Q03, TPHCM", "Phường 001, Quận 003, TP HCM"}) {
    SCOPED_TRACE(text);
    const auto r = resolver().resolve(text, kToday);
    EXPECT_EQ(best(text), "27154") << describe(r);
    EXPECT_FALSE(r.split) << describe(r);
    ASSERT_EQ(r.candidates.size(), plain.candidates.size()) << describe(r);
    for (std::size_t i = 0; i < r.candidates.size(); ++i) {
      EXPECT_EQ(r.candidates[i].code, plain.candidates[i].code) << describe(r);
      EXPECT_EQ(r.candidates[i].score, plain.candidates[i].score) << describe(r);
    }
  }
  EXPECT_EQ(best("Phường 1, Thành phố Đà Lạt, Lâm Đồng"), "24781");
  const auto dalat = resolver().resolve("Phường 01, Thành phố Đà Lạt, Lâm Đồng", kToday);
  EXPECT_EQ(best("Phường 01, Thành phố Đà Lạt, Lâm Đồng"), "24781") << describe(dalat);
  EXPECT_FALSE(dalat.split) << describe(dalat);
  // A number is still a number: Phường 10 is not Phường 1.
  EXPECT_NE(best("Phường 10, Quận 3, TP HCM"), "27154");
  EXPECT_EQ(best("Phường 010, Quận 03, TP HCM"), best("Phường 10, Quận 3, TP HCM"));
}

TEST(Resolver, BothToneMarkPlacements) {
  // The registry spells it "Yên Hoà" since 2026-04-30; people write both.
  EXPECT_EQ(best("Phường Yên Hòa, Hà Nội"), "00175");
  EXPECT_EQ(best("Phường Yên Hoà, Hà Nội"), "00175");
  EXPECT_EQ(best("phuong yen hoa, ha noi"), "00175");
  // With the old district it reads as the old ward, which was divided.
  const auto a = resolver().resolve("Phường Yên Hòa, Cầu Giấy, Hà Nội", kToday);
  const auto b = resolver().resolve("Phường Yên Hoà, Cầu Giấy, Hà Nội", kToday);
  ASSERT_EQ(a.candidates.size(), b.candidates.size());
  for (std::size_t i = 0; i < a.candidates.size(); ++i) {
    EXPECT_EQ(a.candidates[i].code, b.candidates[i].code);
    EXPECT_EQ(a.candidates[i].score, b.candidates[i].score);
  }
  EXPECT_TRUE(a.split);
}

TEST(Resolver, OldNameEqualToANewNameWithTheOldDistrictIsOldStyle) {
  // Old Ngọc Hà (00016, Ba Đình) was divided; a new Phường Ngọc Hà (00008) exists.
  const auto old_style = resolver().resolve("Phường Ngọc Hà, Quận Ba Đình, Hà Nội", kToday);
  EXPECT_TRUE(old_style.split) << describe(old_style);
  ASSERT_FALSE(old_style.candidates.empty());
  EXPECT_EQ(old_style.candidates[0].via->old_commune_code, "00016");
  const auto new_style = resolver().resolve("Phường Ngọc Hà, Thành phố Hà Nội", kToday);
  ASSERT_FALSE(new_style.candidates.empty());
  EXPECT_EQ(new_style.candidates[0].code, "00008");
  EXPECT_FALSE(new_style.candidates[0].via) << describe(new_style);
  EXPECT_FALSE(new_style.split);
}

TEST(Resolver, SplitOldCommuneReturnsEveryPart) {
  // Thụy Khuê (00112) was divided between Ba Đình and Tây Hồ.
  for (const char* text : {"Phường Thụy Khuê, Quận Tây Hồ, Hà Nội", "P. Thuỵ Khuê, Tây Hồ, HN"}) {
    SCOPED_TRACE(text);
    const auto r = resolver().resolve(text, kToday);
    EXPECT_TRUE(r.split) << describe(r);
    std::set<std::string> codes;
    for (const auto& c : r.candidates) {
      codes.insert(c.code);
      ASSERT_TRUE(c.via);
      EXPECT_EQ(c.via->old_commune_code, "00112");
      EXPECT_EQ(c.via->kind, "partial");
    }
    EXPECT_EQ(codes, (std::set<std::string>{"00004", "00103"}));
    EXPECT_EQ(r.candidates[0].score, r.candidates[1].score);  // neither part is preferred
    EXPECT_NE(r.reason_vi.find("00112"), std::string::npos);
    EXPECT_NE(r.reason_en.find("divided"), std::string::npos);
  }
}

TEST(Resolver, EverySplitOldCommuneGivesAllItsParts) {
  // For every old commune the table divides, a query with its name, district
  // and province returns every new commune that received a part.
  std::map<std::string, std::set<std::string>> parts;
  std::map<std::string, const Succession*> row;
  for (const auto& s : registry().all_successions()) {
    if (s.kind != "partial" || s.old_commune_code.empty()) continue;
    // By code and name: the table gives one code to two communes in a few rows.
    const std::string key = s.old_commune_code + "|" + s.old_commune_name;
    parts[key].insert(s.new_commune_code);
    row[key] = &s;
  }
  int checked = 0, found_all = 0;
  for (const auto& [code, want] : parts) {
    if (want.size() < 2) continue;
    const auto* s = row[code];
    const auto r = resolver().resolve(
        s->old_commune_name + ", " + s->old_district_name + ", " + s->old_province_name, kToday);
    std::set<std::string> got;
    for (const auto& c : r.candidates) got.insert(c.code);
    ++checked;
    const bool all = std::includes(got.begin(), got.end(), want.begin(), want.end()) && r.split;
    found_all += all;
    if (!all) ADD_FAILURE() << code << ": " << describe(r);
  }
  EXPECT_GT(checked, 400);
  EXPECT_EQ(found_all, checked);
}

TEST(Resolver, RepeatedNamesUseDistrictAndProvince) {
  // "Xã Tân Phú" exists in many provinces: alone it gives several ranked candidates.
  const auto alone = resolver().resolve("Xã Tân Phú", kToday);
  EXPECT_GE(alone.candidates.size(), 3u) << describe(alone);
  EXPECT_FALSE(alone.reason_en.empty());
  std::set<std::string> provinces;
  for (const auto& c : alone.candidates) provinces.insert(c.province_code);
  EXPECT_GE(provinces.size(), 3u);
  expect_scores_valid(alone);

  // With the province (old or new name) one wins.
  const auto dong_nai = resolver().resolve("Xã Tân Phú, Huyện Tân Phú, Tỉnh Đồng Nai", kToday);
  ASSERT_FALSE(dong_nai.candidates.empty());
  EXPECT_EQ(dong_nai.candidates[0].province_code, "75") << describe(dong_nai);
  EXPECT_EQ(best("Phường Tân Phú, Quận Tân Phú, TPHCM"), "27031");
  EXPECT_EQ(
      resolver().resolve("Phường Tân Phú, Quận Tân Phú, TPHCM", kToday).candidates[0].province_code,
      "79");
}

TEST(Resolver, WholeDistrictsWithNoOldCommune) {
  const auto r = resolver().resolve("Huyện Cồn Cỏ, Tỉnh Quảng Trị", kToday);
  ASSERT_FALSE(r.candidates.empty()) << describe(r);
  EXPECT_EQ(r.candidates[0].code, "19742");
  ASSERT_TRUE(r.candidates[0].via);
  EXPECT_EQ(r.candidates[0].via->old_commune_code, "");
  EXPECT_EQ(r.candidates[0].via->old_district_code, "471");
  EXPECT_EQ(r.candidates[0].via->kind, "district_to_special_zone");

  const auto blv = resolver().resolve("H. Bạch Long Vĩ, TP Hải Phòng", kToday);
  ASSERT_FALSE(blv.candidates.empty()) << describe(blv);
  EXPECT_EQ(blv.candidates[0].code, "11948");
  ASSERT_TRUE(blv.candidates[0].via);
  EXPECT_EQ(blv.candidates[0].via->old_district_code, "318");
}

TEST(Resolver, NewNameResolvesToItselfWithoutVia) {
  for (const char* text : {"Phường Ba Đình, Hà Nội", "Đặc khu Phú Quốc, An Giang",
                           "Xã Ba Chẽ, Quảng Ninh", "Phường Sài Gòn, TP. Hồ Chí Minh"}) {
    SCOPED_TRACE(text);
    const auto r = resolver().resolve(text, kToday);
    ASSERT_FALSE(r.candidates.empty()) << describe(r);
    EXPECT_FALSE(r.candidates[0].via.has_value()) << describe(r);
    EXPECT_FALSE(r.split);
  }
  EXPECT_EQ(best("Xã Ba Chẽ, Quảng Ninh"), "06970");
  // Both spellings of the corrected name find the unit, shown as spelled on the date.
  const auto before = resolver().resolve("Phó Bảng, Tuyên Quang", "2025-09-01");
  const auto after = resolver().resolve("Phó Bảng, Tuyên Quang", kToday);
  ASSERT_FALSE(before.candidates.empty());
  ASSERT_FALSE(after.candidates.empty());
  EXPECT_EQ(before.candidates[0].code, after.candidates[0].code);
  EXPECT_EQ(before.candidates[0].full_name, "Xã Phó Bảng");
  EXPECT_EQ(after.candidates[0].full_name, "Xã Phố Bảng");
}

TEST(Resolver, RenamedAndRetypedOldCommunes) {
  const auto r = resolver().resolve("Xã Krông Na, Huyện Buôn Đôn, Đắk Lắk", kToday);
  ASSERT_FALSE(r.candidates.empty());
  EXPECT_EQ(r.candidates[0].code, "24235");
  EXPECT_EQ(r.candidates[0].full_name, "Xã Buôn Đôn");
  ASSERT_TRUE(r.candidates[0].via);
  EXPECT_EQ(r.candidates[0].via->kind, "renamed");

  const auto t = resolver().resolve("TT. Mường Lát, H. Mường Lát, Thanh Hoá", kToday);
  ASSERT_FALSE(t.candidates.empty());
  EXPECT_EQ(t.candidates[0].code, "14845") << describe(t);
  EXPECT_EQ(t.candidates[0].via->kind, "retyped");
}

TEST(Resolver, ConversionTableCodeTypoIsRepaired) {
  // The table lists Mỹ Hưng under Hồng Quang's code 01615; the old list has 01651.
  const auto r = resolver().resolve("Xã Mỹ Hưng, Huyện Quảng Hòa, Cao Bằng", kToday);
  ASSERT_FALSE(r.candidates.empty());
  EXPECT_EQ(r.candidates[0].code, "01648") << describe(r);
  EXPECT_EQ(r.candidates[0].via->old_commune_code, "01651");
  EXPECT_FALSE(r.split);
  const auto h = resolver().resolve("Xã Hồng Quang, Huyện Quảng Hòa, Cao Bằng", kToday);
  ASSERT_FALSE(h.candidates.empty());
  EXPECT_EQ(h.candidates[0].code, "01636") << describe(h);
  EXPECT_FALSE(h.split);
}

TEST(Resolver, BeforeTheReformTheOldCommuneIsInForce) {
  const auto r = resolver().resolve("Phường Trúc Bạch, Quận Ba Đình, Hà Nội", "2025-01-04");
  ASSERT_FALSE(r.candidates.empty());
  EXPECT_EQ(r.candidates[0].code, "00004");
  EXPECT_EQ(r.candidates[0].full_name, "Phường Trúc Bạch");
  EXPECT_FALSE(r.candidates[0].via);
}

TEST(Resolver, NothingFound) {
  for (const char* text :
       {"", "   ", "123 Nowhere Street, Springfield", "\xFF\xFE garbage", "Số 12"}) {
    SCOPED_TRACE(text);
    const auto r = resolver().resolve(text, kToday);
    EXPECT_TRUE(r.candidates.empty()) << describe(r);
    EXPECT_FALSE(r.reason_vi.empty());
    EXPECT_FALSE(r.reason_en.empty());
    EXPECT_FALSE(r.split);
  }
  // Only a divided district: the new communes that took its communes, and a
  // reason asking for the commune to choose among them.
  const auto d = resolver().resolve("Quận Ba Đình, Hà Nội", kToday);
  EXPECT_GT(d.candidates.size(), 1u) << describe(d);
  EXPECT_TRUE(d.split);
  EXPECT_NE(d.reason_en.find("commune"), std::string::npos);
  EXPECT_TRUE(resolver().resolve("Hà Nội", kToday).candidates.empty());
}

TEST(Resolver, LongAndHostileInputIsBounded) {
  std::string long_text;
  for (int i = 0; i < 500; ++i) long_text += "Phường Trúc Bạch, ";
  const auto r = resolver().resolve(long_text, kToday);
  EXPECT_LE(r.candidates.size(), Resolver::kMaxCandidates);
  std::string junk(4096, '\xC3');
  EXPECT_TRUE(resolver().resolve(junk, kToday).candidates.empty());
}

// Across the reform date: a new name before its unit existed, an old unit
// before the reform, an old district divided between several new communes.

// The new communes that took a part of the old district, from the table.
std::set<std::string> new_communes_of_district(const std::string& district) {
  std::set<std::string> out;
  for (const auto& s : registry().all_successions()) {
    if (s.old_district_code == district) out.insert(s.new_commune_code);
  }
  return out;
}

TEST(Resolver, ANewNameBeforeItsUnitExistedIsNotASameCodeStranger) {
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

TEST(Resolver, ARenamedUnitKeepsItsCode) {
  // Xã Long Thành (Đồng Nai) became Phường Long Thành on 2026-04-30: same unit, same code.
  const auto r = resolver().resolve("Phường Long Thành, Đồng Nai", "2025-09-01");
  ASSERT_FALSE(r.candidates.empty()) << describe(r);
  EXPECT_EQ(r.candidates[0].code, "26368") << describe(r);
  EXPECT_EQ(r.candidates[0].full_name, "Xã Long Thành");
  EXPECT_FALSE(r.candidates[0].via) << describe(r);
  EXPECT_TRUE(r.predecessors.empty());
}

TEST(Resolver, BeforeTheReformAnOldWardIsNotSplit) {
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

TEST(Resolver, BeforeTheReformAWholeDistrictIsItself) {
  const auto r = resolver().resolve("Huyện Bạch Long Vĩ, Hải Phòng", "2025-06-30");
  ASSERT_FALSE(r.candidates.empty()) << describe(r);
  EXPECT_EQ(r.candidates[0].code, "318") << describe(r);
  EXPECT_EQ(r.candidates[0].full_name, "Huyện Bạch Long Vĩ");
  EXPECT_EQ(r.candidates[0].province_code, "31");
  EXPECT_FALSE(r.candidates[0].via);
  EXPECT_EQ(r.reason_en.find("not yet in force"), std::string::npos) << describe(r);
  EXPECT_FALSE(r.split);
}

TEST(Resolver, ADividedDistrictOffersEveryNewCommuneThatTookPartOfIt) {
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
