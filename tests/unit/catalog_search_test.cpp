// Catalog search: ranking, folding, filters and facets, paging.
#include <gtest/gtest.h>

#include "domain/catalog/search.hpp"

namespace motcua::catalog {
namespace {

ProcedureVersion proc(std::string code, std::string name, std::string field,
                      std::string level = "commune", std::string online = "full",
                      std::vector<std::string> components = {}) {
  ProcedureVersion v;
  v.procedure.code = std::move(code);
  v.procedure.name = std::move(name);
  v.procedure.field = std::move(field);
  v.procedure.competent_level = std::move(level);
  v.procedure.online_level = std::move(online);
  for (auto& c : components) {
    Component comp;
    comp.name = std::move(c);
    v.procedure.components.push_back(std::move(comp));
  }
  v.version = 1;
  return v;
}

SearchIndex sample() {
  return SearchIndex({
      proc("1.004884", "Thủ tục đăng ký lại khai sinh", "Hộ tịch", "commune", "partial"),
      proc("1.001193", "Thủ tục đăng ký khai sinh", "Hộ tịch"),
      proc("2.000528", "Thủ tục đăng ký khai sinh có yếu tố nước ngoài", "Hộ tịch", "commune",
           "partial"),
      proc("2.000635", "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh", "Hộ tịch"),
      proc("1.000656", "Thủ tục đăng ký khai tử", "Hộ tịch"),
      proc("L.000002", "Đăng ký thường trú", "Đăng ký, quản lý cư trú", "commune", "full",
           {"Giấy khai sinh của người chưa thành niên"}),
      proc("1.012812", "Hòa giải tranh chấp đất đai", "Đất đai", "commune", "partial"),
      proc("1.010824", "Hưởng trợ cấp khi người có công từ trần", "Người có công", "province"),
  });
}

std::vector<std::string> codes(const SearchPage& page) {
  std::vector<std::string> out;
  for (const auto* v : page.items) out.push_back(v->procedure.code);
  return out;
}

SearchPage run(const SearchIndex& idx, std::string q, std::string field = "",
               std::string level = "", std::string online = "") {
  SearchQuery query;
  query.q = std::move(q);
  query.field = std::move(field);
  query.level = std::move(level);
  query.online_level = std::move(online);
  query.limit = 50;
  return idx.search(query);
}

TEST(CatalogSearch, KhaiSinhRanksBirthRegistrationFirst) {
  const auto idx = sample();
  const auto page = run(idx, "khai sinh");
  const auto c = codes(page);
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c[0], "1.001193");
  EXPECT_EQ(page.total, 5u);        // four names and one component
  EXPECT_EQ(c.back(), "L.000002");  // matched in a component only: last
  EXPECT_EQ(std::count(c.begin(), c.end(), "1.000656"), 0);
}

// Written "kí" (as many write it), the catalog's "ký" is found.
TEST(CatalogSearch, EitherSpellingOfAFinalIFindsTheProcedure) {
  const auto idx = sample();
  const auto written_y = codes(run(idx, "đăng ký khai sinh"));
  ASSERT_EQ(written_y.size(), 4u);  // three names, and L.000002 by its component
  EXPECT_EQ(written_y[0], "1.001193");
  for (const char* q : {"đăng kí khai sinh", "dang ki khai sinh", "Đăng Kí Khai Sinh"})
    EXPECT_EQ(codes(run(idx, q)), written_y) << q;
}

TEST(CatalogSearch, FoldsCaseDiacriticsDAndToneMarks) {
  const auto idx = sample();
  const auto expected = codes(run(idx, "hòa giải"));
  ASSERT_EQ(expected, std::vector<std::string>{"1.012812"});
  EXPECT_EQ(codes(run(idx, "hoà giải")), expected);
  EXPECT_EQ(codes(run(idx, "HOA GIAI")), expected);
  EXPECT_EQ(codes(run(idx,
                      "ho\xcc\x80"
                      "a gia\xcc\x89i")),
            expected);  // decomposed
  EXPECT_EQ(codes(run(idx, "dat dai")), expected);
  EXPECT_EQ(codes(run(idx, "Đất")), expected);
}

TEST(CatalogSearch, EveryWordMustMatchAndPrefixesCount) {
  const auto idx = sample();
  EXPECT_EQ(codes(run(idx, "khai sinh nuoc ngoai")), std::vector<std::string>{"2.000528"});
  EXPECT_TRUE(codes(run(idx, "khai sinh xyz")).empty());
  EXPECT_EQ(codes(run(idx, "thuong tr"))[0], "L.000002");
}

TEST(CatalogSearch, ACodeFindsItsProcedure) {
  const auto idx = sample();
  EXPECT_EQ(codes(run(idx, "1.012812")), std::vector<std::string>{"1.012812"});
}

TEST(CatalogSearch, FacetsIgnoreTheirOwnFilter) {
  const auto idx = sample();
  const auto all = run(idx, "");
  EXPECT_EQ(all.total, 8u);
  EXPECT_EQ(all.field.front(), (std::pair<std::string, std::size_t>{"Hộ tịch", 5}));
  const auto civil = run(idx, "", "Hộ tịch");
  EXPECT_EQ(civil.total, 5u);
  EXPECT_EQ(civil.field, all.field);  // alternatives stay visible
  std::size_t partial = 0;
  for (const auto& [v, n] : civil.online_level)
    if (v == "partial") partial = n;
  EXPECT_EQ(partial, 2u);
  const auto province = run(idx, "", "", "province");
  EXPECT_EQ(codes(province), std::vector<std::string>{"1.010824"});
  const auto none = run(idx, "khai sinh", "", "", "none");
  EXPECT_EQ(none.total, 0u);
  EXPECT_FALSE(none.online_level.empty());
}

// The field filter compares as search text does: NFC or NFD, any case, either
// tone-mark placement name the same field.
TEST(CatalogSearch, FieldFilterComparesFoldedText) {
  const auto idx = sample();
  const auto nfc = run(idx, "", "Hộ tịch");
  ASSERT_EQ(nfc.total, 5u);
  for (const char* field : {"H\xe1\xbb\x99 t\xe1\xbb\x8b"
                            "ch",  // NFC, spelled out
                            "Ho\xcc\xa3\xcc\x82 ti\xcc\xa3"
                            "ch",  // NFD
                            "hộ tịch", "HỘ TỊCH", "  Hộ   tịch ", "ho tich"}) {
    SCOPED_TRACE(field);
    const auto page = run(idx, "", field);
    EXPECT_EQ(page.total, nfc.total);
    EXPECT_EQ(codes(page), codes(nfc));
    EXPECT_EQ(page.field, nfc.field);
    EXPECT_EQ(codes(run(idx, "khai sinh", field)), codes(run(idx, "khai sinh", "Hộ tịch")));
  }
  EXPECT_EQ(run(idx, "", "Hộ tịch x").total, 0u);
  EXPECT_EQ(run(idx, "", "Hộ").total, 0u);  // the whole field, not a prefix
  // Two spellings of one field are one filter.
  SearchIndex two({proc("1.000001", "Một", "Đất đai"), proc("1.000002", "Hai", "đất  đai"),
                   proc("1.000003", "Ba", "Hộ tịch")});
  EXPECT_EQ(codes(run(two, "", "Dat dai")), (std::vector<std::string>{"1.000001", "1.000002"}));
}

TEST(CatalogSearch, RetiredProceduresAreFoundByCodeButNotSearched) {
  auto v = proc("1.000894", "Thủ tục đăng ký kết hôn", "Hộ tịch");
  v.retired = true;
  SearchIndex idx({v});
  EXPECT_EQ(run(idx, "ket hon").total, 0u);
  ASSERT_NE(idx.find("1.000894"), nullptr);
  EXPECT_EQ(idx.find("1.000895"), nullptr);
}

TEST(CatalogSearch, PagesCoverTheRankedListOnce) {
  const auto idx = sample();
  const auto whole = codes(run(idx, "thu tuc"));
  std::vector<std::string> paged;
  SearchQuery q;
  q.q = "thu tuc";
  q.limit = 2;
  for (;;) {
    auto page = idx.search(q);
    for (const auto* v : page.items) paged.push_back(v->procedure.code);
    if (!page.more) break;
    ASSERT_FALSE(page.next_cursor.empty());
    q.after = parse_cursor(page.next_cursor);
    ASSERT_TRUE(q.after.has_value()) << page.next_cursor;
  }
  EXPECT_EQ(paged, whole);
  EXPECT_EQ(whole.size(), 4u);
}

// The cursor is the last item's sort key, not a position: a procedure retired
// or added between two pages (a new index, as the catalog builds on a change)
// neither skips nor repeats the others.
TEST(CatalogSearch, ACursorSurvivesRetiredAndAddedProcedures) {
  std::vector<ProcedureVersion> docs;
  for (int n = 0; n < 9; ++n) {
    docs.push_back(
        proc("1.00000" + std::to_string(n), "Thủ tục mục " + std::string(n + 1, 'a'), "Hộ tịch"));
  }
  SearchQuery q;
  q.field = "Hộ tịch";
  q.limit = 3;
  const SearchIndex first_index(docs);  // the page points into it
  const auto first = first_index.search(q);
  ASSERT_EQ(codes(first), (std::vector<std::string>{"1.000000", "1.000001", "1.000002"}));
  ASSERT_TRUE(first.more);
  // One of the first page is retired: the second page still starts at 1.000003.
  docs[1].retired = true;
  q.after = parse_cursor(first.next_cursor);
  ASSERT_TRUE(q.after);
  const SearchIndex second_index(docs);  // the page points into it
  const auto second = second_index.search(q);
  EXPECT_EQ(codes(second), (std::vector<std::string>{"1.000003", "1.000004", "1.000005"}));
  // One is added ahead of the cursor (the shortest name), one after it: the
  // third page neither repeats 1.000005 nor misses the later one.
  docs.push_back(proc("2.000001", "Thủ tục mục", "Hộ tịch"));
  docs.push_back(proc("2.000002", "Thủ tục mục " + std::string(20, 'z'), "Hộ tịch"));
  q.after = parse_cursor(second.next_cursor);
  ASSERT_TRUE(q.after);
  const SearchIndex third_index(docs);  // the page points into it
  const auto third = third_index.search(q);
  EXPECT_EQ(codes(third), (std::vector<std::string>{"1.000006", "1.000007", "1.000008"}));
  ASSERT_TRUE(third.more);
  q.after = parse_cursor(third.next_cursor);
  const SearchIndex fourth_index(docs);  // the page points into it
  const auto fourth = fourth_index.search(q);
  EXPECT_EQ(codes(fourth), std::vector<std::string>{"2.000002"});
  EXPECT_FALSE(fourth.more);
  EXPECT_TRUE(fourth.next_cursor.empty());
  EXPECT_EQ(fourth.total, 10u);  // every hit, not only those past the cursor
  // The item the cursor names, and the one after it, may be gone: the key
  // still places the page.
  docs[5].retired = true;
  docs[6].retired = true;
  q.after = parse_cursor(second.next_cursor);
  EXPECT_EQ(codes(SearchIndex(docs).search(q)),
            (std::vector<std::string>{"1.000007", "1.000008", "2.000002"}));
}

TEST(CatalogSearch, CursorTextRoundTripsAndRefusesAnythingElse) {
  const SearchCursor c{75, 31, "1.001193"};
  EXPECT_EQ(cursor_text(c), "75~31~1.001193");
  const auto back = parse_cursor(cursor_text(c));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->score, 75);
  EXPECT_EQ(back->name_size, 31u);
  EXPECT_EQ(back->code, "1.001193");
  for (const char* bad : {"", "20", "abc", "1~5", "1~5~", "~5~1.001193", "1~~1.001193",
                          "x~5~1.001193", "1~x~1.001193", "0~5~1.001193", "-1~5~1.001193",
                          "1~-5~1.001193", "1 ~5~1.001193", "99999999999~5~1.001193"}) {
    EXPECT_FALSE(parse_cursor(bad)) << bad;
  }
}

}  // namespace
}  // namespace motcua::catalog
