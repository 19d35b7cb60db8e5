// Dossier codes {agency code}-{yymmdd}-{sequence}: one spelling per code,
// and every malformed code refused with the field named.
#include "domain/dossier/dossier_code.hpp"

#include <gtest/gtest.h>

namespace motcua::dossier {
namespace {

using calendar::CivilDate;

TEST(DossierCodeTest, FormatsTheReceiptDateAndPadsTheSequence) {
  EXPECT_EQ(*format_dossier_code({"H29.01.05", {2025, 7, 1}, 1}), "H29.01.05-250701-0001");
  EXPECT_EQ(*format_dossier_code({"000.00.12.H29", {2025, 12, 31}, 42}),
            "000.00.12.H29-251231-0042");
  EXPECT_EQ(*format_dossier_code({"H29.01.05", {2026, 1, 2}, 9999}), "H29.01.05-260102-9999");
  EXPECT_EQ(*format_dossier_code({"H29.01.05", {2026, 1, 2}, 12345}), "H29.01.05-260102-12345");
  EXPECT_EQ(*format_dossier_code({"H29.01.05", {2099, 12, 9}, 99999999}),
            "H29.01.05-991209-99999999");
}

TEST(DossierCodeTest, TheDateIsTheVietnamDateOfReceipt) {
  // 2025-06-30T17:30Z is 00:30 on 1 July in Vietnam.
  const calendar::Instant t = calendar::make_instant({2025, 7, 1}, 0, 30);
  EXPECT_EQ(t.epoch_seconds % 86400, 17 * 3600 + 30 * 60);
  EXPECT_EQ(*format_dossier_code("H29.01.05", t, 7), "H29.01.05-250701-0007");
  const calendar::Instant before = calendar::make_instant({2025, 6, 30}, 23, 59);
  EXPECT_EQ(*format_dossier_code("H29.01.05", before, 7), "H29.01.05-250630-0007");
}

TEST(DossierCodeTest, ParsesWhatItFormats) {
  for (const DossierCode& c :
       {DossierCode{"H29.01.05", {2025, 7, 1}, 1},
        DossierCode{"000.00.12.H29", {2024, 2, 29}, 10000},
        DossierCode{"G01", {2099, 12, 31}, 99999999}, DossierCode{"H01.123", {2000, 1, 1}, 555}}) {
    auto text = format_dossier_code(c);
    ASSERT_TRUE(text.ok()) << text.error().message_en;
    auto back = parse_dossier_code(*text);
    ASSERT_TRUE(back.ok()) << *text << ": " << back.error().message_en;
    EXPECT_EQ(*back, c) << *text;
  }
}

TEST(DossierCodeTest, RefusesMalformedCodes) {
  for (const char* bad : {
           "",
           "H29.01.05",
           "H29.01.05-250701",
           "H29.01.05250701-0001",
           "-250701-0001",
           "h29.01.05-250701-0001",        // lower case
           "H29..05-250701-0001",          // empty segment
           "H29.01.05.06.07-250701-0001",  // five segments
           "H2901.05-250701-0001",         // segment of 4
           "H29.1.05-250701-0001",         // segment of 1
           "H29.01.05-250231-0001",        // 31 February
           "H29.01.05-250229-0001",        // 2025 is not a leap year
           "H29.01.05-2507011-0001",
           "H29.01.05-25071a-0001",
           "H29.01.05-250701-001",        // fewer than 4 digits
           "H29.01.05-250701-00012",      // padded beyond 4
           "H29.01.05-250701-0000",       // sequence starts at 1
           "H29.01.05-250701-123456789",  // too long
           "H29.01.05-250701-00a1",
           "H29-01-05-250701-0001",
       }) {
    auto r = parse_dossier_code(bad, "code");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kBadRequest);
    EXPECT_EQ(r.error().param, "code");
  }
  EXPECT_EQ(parse_dossier_code("H29.01.05-250231-0001").error().message_en,
            "The dossier code \"H29.01.05-250231-0001\" is not of the form "
            "{agency code}-{yymmdd}-{sequence}: the date does not exist.");
}

TEST(DossierCodeTest, FormatRefusesWhatParseWouldRefuse) {
  EXPECT_EQ(format_dossier_code({"H29 01", {2025, 7, 1}, 1}).error().param, "agency_code");
  EXPECT_EQ(format_dossier_code({"H29.01.05", {2025, 7, 1}, 0}).error().param, "sequence");
  EXPECT_EQ(format_dossier_code({"H29.01.05", {2025, 7, 1}, 100000000}).error().param, "sequence");
  EXPECT_EQ(format_dossier_code({"H29.01.05", {1999, 12, 31}, 1}).error().param, "date");
  EXPECT_EQ(format_dossier_code({"H29.01.05", {2025, 2, 30}, 1}).error().param, "date");
  EXPECT_TRUE(validate_agency_code("000.00.12.H29").ok());
  EXPECT_FALSE(validate_agency_code("000.00.12.H29.").ok());
}

}  // namespace
}  // namespace motcua::dossier
