// Loading the shipped reference data, and the CSV reader under it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "domain/units/csv.hpp"
#include "domain/units/registry.hpp"
#include "real_registry.hpp"
#include "services/reference_data.hpp"

namespace motcua::units {
namespace {

const Registry& registry() { return real_registry(); }

std::size_t count_in_force(Level level, const std::string& date) {
  std::size_t n = 0;
  for (const auto& v : registry().all_versions()) {
    if (v.level == level && v.in_force_at(date)) ++n;
  }
  return n;
}

TEST(UnitsReference, NewUnitsInForceAfterTheReform) {
  for (const char* date : {"2025-07-01", "2026-04-29", "2026-04-30", "2026-07-01"}) {
    SCOPED_TRACE(date);
    EXPECT_EQ(count_in_force(Level::kProvince, date), 34u);
    EXPECT_EQ(count_in_force(Level::kCommune, date), 3321u);
    EXPECT_EQ(count_in_force(Level::kDistrict, date), 0u);
  }
}

TEST(UnitsReference, OldUnitsInForceBeforeTheReform) {
  EXPECT_EQ(count_in_force(Level::kProvince, "2025-01-04"), 63u);
  EXPECT_EQ(count_in_force(Level::kDistrict, "2025-01-04"), 696u);
  // The file has 10,056 rows: 10,051 communes and 5 districts with no commune
  // (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) whose commune code is
  // empty; the conversion table names 3 more (03980, 03983, 03984 of the
  // town of Mộc Châu, made in 2025).
  EXPECT_EQ(count_in_force(Level::kCommune, "2025-01-04"), 10054u);
  EXPECT_EQ(count_in_force(Level::kCommune, "2025-06-30"), 10054u);
  const auto* only_in_table = registry().at("03983", "2025-06-30");
  ASSERT_NE(only_in_table, nullptr);
  EXPECT_EQ(only_in_table->full_name, "Phường Bình Minh");
  EXPECT_EQ(only_in_table->name, "Bình Minh");
  EXPECT_EQ(only_in_table->unit_type, "phuong");
  EXPECT_EQ(only_in_table->district_code, "123");
  EXPECT_EQ(only_in_table->province_code, "14");
}

TEST(UnitsReference, OldUnitsHaveTypesAndNamesWithoutPrefix) {
  const auto* p = registry().at("01", "2025-01-04");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->name, "Hà Nội");
  EXPECT_EQ(p->full_name, "Thành phố Hà Nội");
  EXPECT_EQ(p->unit_type, "thanh_pho_tw");
  EXPECT_EQ(p->valid_to, "2025-07-01");
  EXPECT_EQ(p->valid_from, "");

  const auto* d = registry().at("001", "2025-01-04");
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->level, Level::kDistrict);
  EXPECT_EQ(d->name, "Ba Đình");
  EXPECT_EQ(d->unit_type, "quan");
  EXPECT_EQ(d->province_code, "01");

  const auto* tx = registry().at("00004", "2025-01-04");
  ASSERT_NE(tx, nullptr);
  EXPECT_EQ(tx->full_name, "Phường Trúc Bạch");
  EXPECT_EQ(tx->name, "Trúc Bạch");
  EXPECT_EQ(tx->district_code, "001");
  EXPECT_EQ(tx->unit_type, "phuong");

  std::set<std::string> district_types, commune_types;
  for (const auto& v : registry().all_versions()) {
    if (!is_old_unit(v)) continue;
    if (v.level == Level::kDistrict) district_types.insert(v.unit_type);
    if (v.level == Level::kCommune) commune_types.insert(v.unit_type);
  }
  EXPECT_EQ(district_types, (std::set<std::string>{"huyen", "quan", "thanh_pho", "thi_xa"}));
  EXPECT_EQ(commune_types, (std::set<std::string>{"phuong", "thi_tran", "xa"}));
}

TEST(UnitsReference, ReusedCodeHasTwoVersions) {
  const auto v = registry().versions("00004");
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[0]->full_name, "Phường Trúc Bạch");
  EXPECT_EQ(v[1]->full_name, "Phường Ba Đình");
  EXPECT_EQ(v[1]->valid_from, "2025-07-01");
  EXPECT_EQ(v[1]->valid_to, "");
  EXPECT_EQ(registry().at("00004", "2025-06-30"), v[0]);
  EXPECT_EQ(registry().at("00004", "2025-07-01"), v[1]);
  EXPECT_EQ(registry().at("00004", ""), v[1]);
}

TEST(UnitsReference, DongNaiBecomesACityOn20260430) {
  const auto v = registry().versions("75");
  ASSERT_EQ(v.size(), 3u);  // old province, new 2025, new 2026
  EXPECT_EQ(v[0]->valid_to, "2025-07-01");
  EXPECT_EQ(v[1]->full_name, "Tỉnh Đồng Nai");
  EXPECT_EQ(v[1]->unit_type, "tinh");
  EXPECT_EQ(v[1]->valid_from, "2025-07-01");
  EXPECT_EQ(v[1]->valid_to, "2026-04-30");
  EXPECT_EQ(v[2]->full_name, "Thành phố Đồng Nai");
  EXPECT_EQ(v[2]->unit_type, "thanh_pho_tw");
  EXPECT_EQ(v[2]->valid_from, "2026-04-30");
  EXPECT_EQ(v[2]->valid_to, "");
  EXPECT_EQ(registry().at("75", "2026-04-29"), v[1]);
  EXPECT_EQ(registry().at("75", "2026-04-30"), v[2]);
}

TEST(UnitsReference, PhoBangSpellingCorrectedAsTwoVersions) {
  const UnitVersion* before = nullptr;
  const UnitVersion* after = nullptr;
  for (const auto& v : registry().all_versions()) {
    if (v.level != Level::kCommune || is_old_unit(v)) continue;
    if (v.name == "Phó Bảng") before = &v;
    if (v.name == "Phố Bảng") after = &v;
  }
  ASSERT_NE(before, nullptr);
  ASSERT_NE(after, nullptr);
  EXPECT_EQ(before->code, after->code);
  EXPECT_EQ(before->valid_from, "2025-07-01");
  EXPECT_EQ(before->valid_to, "2026-04-30");
  EXPECT_EQ(after->valid_from, "2026-04-30");
  EXPECT_EQ(after->valid_to, "");
}

TEST(UnitsReference, UnchangedRowIsOneVersion) {
  const auto v = registry().versions("00008");  // Phường Ngọc Hà, identical in both snapshots
  std::vector<const UnitVersion*> fresh;
  for (const auto* x : v) {
    if (!is_old_unit(*x)) fresh.push_back(x);
  }
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0]->valid_from, "2025-07-01");
  EXPECT_EQ(fresh[0]->valid_to, "");
}

TEST(UnitsReference, BaCheIs06970) {
  const auto* v = registry().at("06970", "2026-07-01");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->full_name, "Xã Ba Chẽ");
  EXPECT_EQ(v->province_code, "22");
  EXPECT_EQ(registry().at("06978", "2026-07-01"), nullptr);
}

TEST(UnitsReference, Successions) {
  const auto& s = registry().all_successions();
  EXPECT_EQ(s.size(), 10571u);
  std::set<std::string> partial, seen, several;
  for (const auto& x : s) {
    EXPECT_EQ(x.effective, "2025-07-01");
    if (x.kind == "partial") partial.insert(x.old_commune_code);
    if (!x.old_commune_code.empty() && !seen.insert(x.old_commune_code).second) {
      several.insert(x.old_commune_code);
    }
    // Every succession points at a commune in force on the reform date.
    const auto* target = registry().at(x.new_commune_code, "2025-07-01");
    ASSERT_NE(target, nullptr) << x.new_commune_code;
    EXPECT_EQ(target->level, Level::kCommune);
  }
  // 442 old communes were divided: 440 codes marked partial, 441 codes with
  // several rows (two of them by a code typo in the source), 442 in all.
  EXPECT_EQ(partial.size(), 440u);
  EXPECT_EQ(several.size(), 441u);
  std::set<std::string> divided = partial;
  divided.insert(several.begin(), several.end());
  EXPECT_EQ(divided.size(), 442u);
  const auto trúc_bach = registry().successors("00004");
  ASSERT_EQ(trúc_bach.size(), 1u);
  EXPECT_EQ(trúc_bach[0]->new_commune_code, "00004");
  EXPECT_EQ(trúc_bach[0]->kind, "whole");
}

TEST(UnitsReference, ConversionRowsUseTheOldProvinceOfTheirDistrict) {
  // The source gives Cồn Cỏ the new province code 44; the old list puts district 471 in 45.
  const auto rows = registry().district_successions("471");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0]->old_province_code, "45");
  EXPECT_EQ(rows[0]->old_province_name, "Tỉnh Quảng Trị");
  EXPECT_EQ(rows[0]->new_commune_code, "19742");
  EXPECT_EQ(rows[0]->kind, "district_to_special_zone");
}

TEST(UnitsReference, NamesAreNfc) {
  for (const auto& v : registry().all_versions()) {
    // U+0300..U+036F (combining marks) start with 0xCC or 0xCD in UTF-8.
    ASSERT_EQ(v.full_name.find('\xCC'), std::string::npos) << v.code;
    ASSERT_EQ(v.full_name.find('\xCD'), std::string::npos) << v.code;
  }
}

// --- the CSV reader ---

TEST(UnitsCsv, QuotesCommasCrlfAndBom) {
  const std::string text =
      "\xEF\xBB\xBF"
      "a,b,c\r\n"
      "1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
      "2,\"two\nlines\",\r\n"
      "\r\n"
      "3,,\"\"";
  auto t = parse_csv(text, "t.csv");
  ASSERT_TRUE(t.ok()) << t.error().message_en;
  EXPECT_EQ(t->header, (std::vector<std::string>{"a", "b", "c"}));
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(t->rows[0].fields, (std::vector<std::string>{"1", "x, y", "say \"hi\""}));
  EXPECT_EQ(t->rows[1].fields, (std::vector<std::string>{"2", "two\nlines", ""}));
  EXPECT_EQ(t->rows[2].fields, (std::vector<std::string>{"3", "", ""}));
  EXPECT_EQ(t->rows[0].line, 2u);
  EXPECT_EQ(t->rows[1].line, 3u);
  EXPECT_EQ(t->rows[2].line, 6u);
  EXPECT_EQ(t->column("c"), 2);
  EXPECT_EQ(t->column("z"), -1);
}

TEST(UnitsCsv, ErrorsNameFileLineAndField) {
  auto short_row = parse_csv("a,b,c\n1,2,3\n4,5\n", "x.csv");
  ASSERT_FALSE(short_row.ok());
  EXPECT_EQ(short_row.error().param, "c");
  EXPECT_NE(short_row.error().message_en.find("x.csv, line 3"), std::string::npos)
      << short_row.error().message_en;
  EXPECT_NE(short_row.error().message_vi.find("dòng 3"), std::string::npos);

  auto open_quote = parse_csv("a,b\n1,\"oops\n", "y.csv");
  ASSERT_FALSE(open_quote.ok());
  EXPECT_EQ(open_quote.error().param, "b");
  EXPECT_NE(open_quote.error().message_en.find("line 2"), std::string::npos);

  auto stray = parse_csv("a,b\n1,x\"y\n", "z.csv");
  ASSERT_FALSE(stray.ok());
  EXPECT_EQ(stray.error().param, "b");

  auto after_quote = parse_csv("a,b\n\"1\"x,2\n", "w.csv");
  ASSERT_FALSE(after_quote.ok());
  EXPECT_EQ(after_quote.error().param, "a");

  EXPECT_FALSE(parse_csv("", "e.csv").ok());
}

TEST(UnitsReference, MalformedFileIsAnErrorNamingIt) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("motcua_units_bad_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "units" / "2025-07-01");
  const fs::path src = fs::path(MOTCUA_SOURCE_DIR) / "data" / "units";
  for (const char* f :
       {"2025-07-01/provinces.csv", "2025-07-01/communes.csv", "old_to_new_2025-07-01.csv"}) {
    fs::copy_file(src / f, dir / "units" / f);
  }
  {
    std::ofstream out(dir / "units" / "old_units_2025-01-04.csv", std::ios::binary);
    out << "province_code,province_name,district_code,district_name,commune_code,commune_name,"
           "commune_type\r\n"
        << "01,Thành phố Hà Nội,001,Quận Ba Đình,00001,Phường Phúc Xá,Phường\r\n"
        << "01,Thành phố Hà Nội,01X,Quận Ba Đình,00004,Phường Trúc Bạch,Phường\r\n";
  }
  auto r = services::load_reference_data(dir.string());
  fs::remove_all(dir);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().param, "district_code");
  EXPECT_NE(r.error().message_en.find("old_units_2025-01-04.csv, line 3"), std::string::npos)
      << r.error().message_en;
}

TEST(UnitsReference, MissingFolderIsAnError) {
  auto r = services::load_reference_data("/nonexistent/motcua");
  ASSERT_FALSE(r.ok());
  EXPECT_FALSE(r.error().message_vi.empty());
  EXPECT_FALSE(r.error().message_en.empty());
}

}  // namespace
}  // namespace motcua::units
