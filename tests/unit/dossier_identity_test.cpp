// Personal ID numbers, tax codes, mobile numbers and e-mail addresses, checked
// by their structure, with errors that name the field in both languages.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "domain/dossier/identity.hpp"

namespace motcua::dossier {
namespace {

constexpr int kYear = 2025;

TEST(IdNumberTest, AcceptsNumbersOfTheCircularStructure) {
  auto a = validate_id_number("001099012345", kYear);
  ASSERT_TRUE(a.ok()) << a.error().message_en;
  EXPECT_EQ(a->province_code, "001");
  EXPECT_EQ(a->province_name, "Hà Nội");
  EXPECT_EQ(a->gender, Gender::kMale);
  EXPECT_EQ(a->birth_year, 1999);

  auto b = validate_id_number("079305000123", kYear);  // Hồ Chí Minh, woman born 2005
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->province_name, "Hồ Chí Minh");
  EXPECT_EQ(b->gender, Gender::kFemale);
  EXPECT_EQ(b->birth_year, 2005);

  auto c = validate_id_number("096160123456", kYear);  // Cà Mau, woman born 1960
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->gender, Gender::kFemale);
  EXPECT_EQ(c->birth_year, 1960);

  // Born this year: valid; the year is checked against the caller's year.
  EXPECT_TRUE(validate_id_number("048225000001", 2025).ok());
  EXPECT_FALSE(validate_id_number("048225000001", 2024).ok());
}

TEST(IdNumberTest, EveryCodeOfTheAnnexAndNoOther) {
  const char* codes[] = {
      "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
      "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
      "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
      "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
      "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096"};
  EXPECT_EQ(std::size(codes), 63u);
  int known = 0;
  for (int i = 0; i <= 999; ++i) {
    char code[4];
    std::snprintf(code, sizeof code, "%03d", i);
    const bool listed = std::find_if(std::begin(codes), std::end(codes), [&](const char* c) {
                          return std::string_view(c) == code;
                        }) != std::end(codes);
    EXPECT_EQ(birth_province_name(code).has_value(), listed) << code;
    EXPECT_EQ(validate_id_number(std::string(code) + "090123456", kYear).ok(), listed) << code;
    known += listed ? 1 : 0;
  }
  EXPECT_EQ(known, 63);
}

TEST(IdNumberTest, RejectsMalformedNumbersNamingTheField) {
  for (const char* bad : {"", "00109901234", "0010990123456", "00109901234a", "001 99012345",
                          "003099012345",  // 003: a gap in the list
                          "097099012345",  // beyond the last code
                          "000099012345",
                          "001226012345",     // 2026 > 2025
                          "001426012345",     // 22nd century
                          "001900012345"}) {  // 2300
    auto r = validate_id_number(bad, kYear, "applicant.id_number");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().kind, ErrorKind::kBadRequest);
    EXPECT_EQ(r.error().param, "applicant.id_number");
    EXPECT_FALSE(r.error().message_vi.empty());
    EXPECT_FALSE(r.error().message_en.empty());
  }
  auto future = validate_id_number("001226012345", kYear);
  EXPECT_EQ(future.error().message_en,
            "Invalid personal identification number: the year of birth 2026 (century digit 2) "
            "is after the current year.");
  auto gap = validate_id_number("003099012345", kYear);
  EXPECT_NE(gap.error().message_vi.find("\"003\""), std::string::npos);
}

TEST(TaxCodeTest, AcceptsRealCodesAndBranches) {
  for (const char* good :
       {"0100109106", "0101248141", "0300588569", "0100109106-001", "0300588569-999"}) {
    auto r = validate_tax_code(good);
    ASSERT_TRUE(r.ok()) << good << ": " << r.error().message_en;
    EXPECT_EQ(*r, good);
  }
}

TEST(TaxCodeTest, RejectsWrongCheckDigitsAndShapes) {
  for (const char* bad : {"0100109107", "0100109100", "0101248140", "0000000000", "010010910",
                          "01001091060", "0100109106001", "0100109106-01", "0100109106-000",
                          "0100109106_001", "010010910A", "0100109107-001"}) {
    auto r = validate_tax_code(bad, "applicant.tax_code");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().param, "applicant.tax_code");
    EXPECT_EQ(r.error().kind, ErrorKind::kBadRequest);
  }
  EXPECT_EQ(validate_tax_code("0100109107").error().message_en,
            "The tax code \"0100109107\" is invalid: its check digit does not match.");
}

TEST(PhoneTest, NormalisesVietnameseMobileNumbers) {
  const std::pair<const char*, const char*> cases[] = {
      {"0912345678", "0912345678"},      {"091 234 5678", "0912345678"},
      {"+84 912 345 678", "0912345678"}, {"84912345678", "0912345678"},
      {"0987.654.321", "0987654321"},    {"0338-123-456", "0338123456"},
      {"0589123456", "0589123456"},      {"0879123456", "0879123456"},
  };
  for (const auto& [in, out] : cases) {
    auto r = normalize_phone(in);
    ASSERT_TRUE(r.ok()) << in << ": " << r.error().message_en;
    EXPECT_EQ(*r, out);
  }
}

TEST(PhoneTest, RejectsLandlinesOldPrefixesAndForeignNumbers) {
  for (const char* bad :
       {"", "091234567", "09123456789", "0312345678", "0243826888", "01234567890", "0123456789",
        "+1 212 555 0100", "09l2345678", "0912/345678", "1912345678", "0802345678"}) {
    auto r = normalize_phone(bad, "applicant.phone");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().param, "applicant.phone");
  }
  EXPECT_EQ(normalize_phone("0312345678").error().message_en,
            "The prefix \"031\" is not a Vietnamese mobile prefix.");
}

TEST(EmailTest, AcceptsOrdinaryAddresses) {
  for (const char* good :
       {"nguyen.van.a@gmail.com", "a+ho.so@hanoi.gov.vn", "x_y-z@sub.mail.vn", "A1@EXAMPLE.ORG"}) {
    EXPECT_TRUE(validate_email(good).ok()) << good;
  }
}

TEST(EmailTest, RejectsMalformedAddresses) {
  for (const char* bad : {"", "a", "a@", "@x.vn", "a@b", "a@@x.vn", "a@x@y.vn", "a..b@x.vn",
                          ".a@x.vn", "a.@x.vn", "a b@x.vn", "a@-x.vn", "a@x-.vn", "a@x..vn",
                          "a@x.v", "a@x.123", "nguyễn@x.vn", "a@x_y.vn"}) {
    auto r = validate_email(bad, "applicant.email");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().param, "applicant.email");
  }
  EXPECT_FALSE(validate_email(std::string(65, 'a') + "@x.vn").ok());
}

TEST(ApplicantTest, NamesTheFieldAtFault) {
  Applicant person{ApplicantKind::kPerson, "Nguyễn Văn A", "001099012345",   "",
                   "0912345678",           "a@gmail.com",  "Số 1 Tràng Tiền"};
  EXPECT_TRUE(validate_applicant(person, kYear).ok());

  Applicant p = person;
  p.name.clear();
  EXPECT_EQ(validate_applicant(p, kYear).error().param, "applicant.name");
  p = person;
  p.id_number.clear();
  EXPECT_EQ(validate_applicant(p, kYear).error().param, "applicant.id_number");
  p = person;
  p.id_number = "001099O12345";
  EXPECT_EQ(validate_applicant(p, kYear).error().param, "applicant.id_number");
  p = person;
  p.phone = "0243826888";
  EXPECT_EQ(validate_applicant(p, kYear).error().param, "applicant.phone");
  p = person;
  p.email = "a@b";
  EXPECT_EQ(validate_applicant(p, kYear).error().param, "applicant.email");
  p = person;
  p.phone.clear();
  p.email.clear();
  EXPECT_TRUE(validate_applicant(p, kYear).ok());

  Applicant business{ApplicantKind::kBusiness, "Công ty cổ phần A", "", "0300588569", "", "", ""};
  EXPECT_TRUE(validate_applicant(business, kYear).ok());
  business.tax_code.clear();
  EXPECT_EQ(validate_applicant(business, kYear).error().param, "applicant.tax_code");
  business.tax_code = "0300588568";
  EXPECT_EQ(validate_applicant(business, kYear).error().param, "applicant.tax_code");
}

// Counted in characters: 200 Vietnamese letters are 200, not the 400-600 bytes they take.
TEST(ApplicantTest, NameAndAddressHaveALimitInCharacters) {
  Applicant p{ApplicantKind::kPerson, "", "001099012345", "", "", "", ""};
  std::string name;
  for (int i = 0; i < 200; ++i) name += "ễ";
  p.name = name;
  p.address = std::string(500, 'a');
  EXPECT_TRUE(check_applicant_lengths(p).ok());
  p.name += "a";
  EXPECT_TRUE(validate_applicant(p, kYear).ok());  // a dossier taken before stays workable
  auto r = check_applicant_lengths(p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().param, "applicant.name");
  EXPECT_NE(r.error().message_en.find("201 characters long; at most 200"), std::string::npos)
      << r.error().message_en;
  EXPECT_NE(r.error().message_vi.find("201 ký tự; tối đa 200"), std::string::npos);
  p.name = name;
  p.address += "ạ";
  EXPECT_EQ(check_applicant_lengths(p).error().param, "applicant.address");
}

}  // namespace
}  // namespace motcua::dossier
