// The catalog's rules: validation names the field at fault; the version rule.
#include <gtest/gtest.h>

#include "domain/catalog/rules.hpp"

namespace motcua::catalog {
namespace {

Procedure birth() {
  Procedure p;
  p.code = "1.001193";
  p.name = "Thủ tục đăng ký khai sinh";
  p.field = "Hộ tịch";
  p.competent_level = "commune";
  p.online_level = "full";
  p.channels = {{"online", 1, "calendar_days", "1 ngày", 0, "Miễn phí", ""},
                {"counter", 1, "calendar_days", "1 ngày", 0, "Miễn phí", ""}};
  Component c;
  c.name = "Giấy chứng sinh";
  p.components = {c};
  return p;
}

// The param of the error validate() gives after `change`, or "" when valid.
template <class F>
std::string field_at_fault(F change) {
  Procedure p = birth();
  change(p);
  auto r = validate(p);
  if (r) return "";
  EXPECT_EQ(r.error().kind, ErrorKind::kBadRequest);
  EXPECT_NE(r.error().message_en.find(r.error().param), std::string::npos) << r.error().message_en;
  EXPECT_FALSE(r.error().message_vi.empty());
  return r.error().param;
}

TEST(CatalogRules, AValidProcedurePasses) {
  EXPECT_EQ(field_at_fault([](Procedure&) {}), "");
}

TEST(CatalogRules, Codes) {
  EXPECT_TRUE(valid_code("1.001193"));
  EXPECT_TRUE(valid_code("2.000815"));
  EXPECT_TRUE(valid_code("L.000001"));
  EXPECT_FALSE(valid_code("1.00119"));
  EXPECT_FALSE(valid_code("1-001193"));
  EXPECT_FALSE(valid_code("X.000001"));
  EXPECT_FALSE(valid_code(""));
}

TEST(CatalogRules, EachFaultNamesItsField) {
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.code = "khai-sinh"; }), "code");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.name = " \t"; }), "name");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.name = "\u3000\u200b"; }), "name");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.field.clear(); }), "field");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.competent_level = "district"; }),
            "competent_level");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.online_level = "some"; }), "online_level");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.channels[1].channel = "fax"; }),
            "channels[1].channel");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.channels[0].fee_vnd = -1; }),
            "channels[0].fee_vnd");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.channels[0].time_unit = "weeks"; }),
            "channels[0].time_unit");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.channels[0].time_amount.reset(); }),
            "channels[0].time_amount");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.channels[1].time_unit.clear(); }),
            "channels[1].time_unit");
  EXPECT_EQ(field_at_fault([](Procedure& p) {
              p.channels[0].time_unit = "calendar_days";
              p.channels[0].time_amount = 0;
            }),
            "channels[0].time_amount");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.components[0].copy_kind = "photocopy"; }),
            "components[0].copy_kind");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.components[0].requirement = "maybe"; }),
            "components[0].requirement");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.components[0].quantity = -2; }),
            "components[0].quantity");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.steps = {"Bước 1", ""}; }), "steps[1]");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.name = "\xff\xfe"; }), "name");
  EXPECT_EQ(field_at_fault([](Procedure& p) {
              p.decentralisation =
                  Decentralisation{"district", "", "commune", "", "1/7/2025", "", ""};
            }),
            "decentralisation.since");
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.verify = {{"", "why"}}; }), "verify[0].field");
}

TEST(CatalogRules, AnOnlineChannelNeedsAnOnlineProcedure) {
  EXPECT_EQ(field_at_fault([](Procedure& p) { p.online_level = "none"; }), "channels[0].channel");
  EXPECT_EQ(field_at_fault([](Procedure& p) {
              p.online_level = "none";
              p.channels.erase(p.channels.begin());
            }),
            "");
}

TEST(CatalogRules, AnUnfixedTimeHasNeitherAmountNorUnit) {
  EXPECT_EQ(field_at_fault([](Procedure& p) {
              p.channels[0].time_amount.reset();
              p.channels[0].time_unit.clear();
              p.channels[0].time_text = "Không xác định";
            }),
            "");
}

TEST(CatalogRules, BundlesNeedKnownMembers) {
  Bundle b{"LT-KHAISINH", "Liên thông khai sinh", "", {"1.001193", "L.000002"}, {}, {}};
  EXPECT_TRUE(validate(b, {"1.001193", "L.000002"}).ok());
  auto r = validate(b, {"1.001193"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().param, "members[1]");
  b.members = {"1.001193"};
  EXPECT_EQ(validate(b, {"1.001193"}).error().param, "members");
}

TEST(CatalogRules, AnEditMakesANewVersionUnlessNothingChanged) {
  const Procedure p = birth();
  EXPECT_EQ(next_version(0, nullptr, p), 1);
  EXPECT_EQ(next_version(3, &p, p), 3);
  Procedure q = p;
  q.channels[0].fee_vnd = 5000;
  EXPECT_EQ(next_version(3, &p, q), 4);
  q = p;
  q.original["note"] = "x";  // any field counts
  EXPECT_EQ(next_version(1, &p, q), 2);
}

}  // namespace
}  // namespace motcua::catalog
