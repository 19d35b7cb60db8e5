// The completeness check names exactly what is missing: nothing provided, an
// original needed, too few copies, and components the procedure does not list.
#include <gtest/gtest.h>

#include "domain/dossier/completeness.hpp"

namespace motcua::dossier {
namespace {

// Registering a birth: the declaration (original), the birth certificate from
// the hospital (original), the parents' marriage certificate (2 copies), and
// the power of attorney when someone files on the parents' behalf.
std::vector<RequiredComponent> birth_registration() {
  return {
      {"to_khai", "Tờ khai đăng ký khai sinh", Requirement::kMandatory, RequiredForm::kOriginal, 1},
      {"giay_chung_sinh", "Giấy chứng sinh", Requirement::kMandatory, RequiredForm::kOriginal, 1},
      {"ket_hon", "Giấy chứng nhận kết hôn", Requirement::kMandatory, RequiredForm::kCopy, 2},
      {"uy_quyen", "Văn bản ủy quyền", Requirement::kConditional, RequiredForm::kOriginal, 1},
  };
}

ComponentProvided item(const char* id, ProvidedForm form, int quantity = 1) {
  return ComponentProvided{id, form, "", quantity};
}

TEST(CompletenessTest, CompleteWhenEveryMandatoryItemIsThereInItsForm) {
  const auto report = check_completeness(
      birth_registration(),
      {item("to_khai", ProvidedForm::kElectronicOriginal),
       item("giay_chung_sinh", ProvidedForm::kPaperOriginal),
       item("ket_hon", ProvidedForm::kUploadedFile), item("ket_hon", ProvidedForm::kPaperCopy)});
  EXPECT_TRUE(report.complete());
  EXPECT_TRUE(describe_missing_en(report).empty());
}

TEST(CompletenessTest, NamesEveryMissingItemInTheProceduresOrder) {
  const auto report =
      check_completeness(birth_registration(),
                         {item("to_khai", ProvidedForm::kUploadedFile),  // a scan, not the original
                          item("ket_hon", ProvidedForm::kPaperCopy)},    // one copy of two
                         {"uy_quyen"});
  ASSERT_EQ(report.missing.size(), 4u);
  EXPECT_FALSE(report.complete());
  EXPECT_EQ(report.missing[0].id, "to_khai");
  EXPECT_EQ(report.missing[0].reason, MissingReason::kOriginalRequired);
  EXPECT_EQ(report.missing[1].id, "giay_chung_sinh");
  EXPECT_EQ(report.missing[1].reason, MissingReason::kNotProvided);
  EXPECT_EQ(report.missing[2].id, "ket_hon");
  EXPECT_EQ(report.missing[2].reason, MissingReason::kTooFew);
  EXPECT_EQ(report.missing[2].required, 2);
  EXPECT_EQ(report.missing[2].provided, 1);
  EXPECT_EQ(report.missing[3].id, "uy_quyen");
  EXPECT_EQ(describe_missing_vi(report),
            (std::vector<std::string>{
                "Tờ khai đăng ký khai sinh: cần bản chính", "Giấy chứng sinh: chưa nộp",
                "Giấy chứng nhận kết hôn: cần 2 bản, mới có 1", "Văn bản ủy quyền: chưa nộp"}));
  EXPECT_EQ(
      describe_missing_en(report),
      (std::vector<std::string>{
          "Tờ khai đăng ký khai sinh: the original is required", "Giấy chứng sinh: not provided",
          "Giấy chứng nhận kết hôn: 2 required, 1 provided", "Văn bản ủy quyền: not provided"}));
}

TEST(CompletenessTest, ConditionalItemsOnlyWhenTheirConditionApplies) {
  const std::vector<ComponentProvided> base = {
      item("to_khai", ProvidedForm::kPaperOriginal),
      item("giay_chung_sinh", ProvidedForm::kPaperOriginal),
      item("ket_hon", ProvidedForm::kPaperCopy, 2)};
  EXPECT_TRUE(check_completeness(birth_registration(), base).complete());
  const auto applies = check_completeness(birth_registration(), base, {"uy_quyen"});
  ASSERT_EQ(applies.missing.size(), 1u);
  EXPECT_EQ(applies.missing[0].id, "uy_quyen");
  auto with = base;
  with.push_back(item("uy_quyen", ProvidedForm::kPaperCopy));
  const auto copy_only = check_completeness(birth_registration(), with, {"uy_quyen"});
  ASSERT_EQ(copy_only.missing.size(), 1u);
  EXPECT_EQ(copy_only.missing[0].reason, MissingReason::kOriginalRequired);
  with.back().form = ProvidedForm::kPaperOriginal;
  EXPECT_TRUE(check_completeness(birth_registration(), with, {"uy_quyen"}).complete());
}

TEST(CompletenessTest, OriginalsCountTowardsCopiesButNotTheOtherWayRound) {
  const std::vector<RequiredComponent> req = {
      {"cccd", "Căn cước", Requirement::kMandatory, RequiredForm::kCopy, 1}};
  EXPECT_TRUE(check_completeness(req, {item("cccd", ProvidedForm::kPaperOriginal)}).complete());
  // Only acceptable forms count towards the quantity of an original.
  const std::vector<RequiredComponent> two = {
      {"ban_ve", "Bản vẽ", Requirement::kMandatory, RequiredForm::kOriginal, 2}};
  const auto r = check_completeness(two, {item("ban_ve", ProvidedForm::kPaperOriginal),
                                          item("ban_ve", ProvidedForm::kPaperCopy)});
  ASSERT_EQ(r.missing.size(), 1u);
  EXPECT_EQ(r.missing[0].reason, MissingReason::kTooFew);
  EXPECT_EQ(r.missing[0].provided, 1);
}

TEST(CompletenessTest, ReportsComponentsTheProcedureDoesNotList) {
  const auto r = check_completeness(
      birth_registration(),
      {item("to_khai", ProvidedForm::kPaperOriginal),
       item("giay_chung_sinh", ProvidedForm::kPaperOriginal),
       item("ket_hon", ProvidedForm::kPaperCopy, 2), item("so_ho_khau", ProvidedForm::kPaperCopy),
       item("so_ho_khau", ProvidedForm::kUploadedFile)});
  EXPECT_TRUE(r.missing.empty());
  EXPECT_FALSE(r.complete());
  EXPECT_EQ(r.unknown, std::vector<std::string>{"so_ho_khau"});
  EXPECT_EQ(describe_missing_en(r),
            std::vector<std::string>{"\"so_ho_khau\": not a component of the procedure"});
}

}  // namespace
}  // namespace motcua::dossier
