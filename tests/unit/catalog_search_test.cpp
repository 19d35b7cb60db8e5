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
    q.offset += page.items.size();
  }
  EXPECT_EQ(paged, whole);
  EXPECT_EQ(whole.size(), 4u);
}

}  // namespace
}  // namespace motcua::catalog
