// Folding Vietnamese text into search keys, and NFC for storage.
#include <gtest/gtest.h>

#include "text/fold.hpp"

namespace motcua::text {
namespace {

TEST(TextFold, RemovesDiacriticsAndCase) {
  EXPECT_EQ(fold("Phường Trúc Bạch"), "phuong truc bach");
  EXPECT_EQ(fold("THÀNH PHỐ HỒ CHÍ MINH"), "thanh pho ho chi minh");
  EXPECT_EQ(fold("Ấp Ổ Ưng Ỹ"), "ap o ung y");
}

TEST(TextFold, DStrokeBecomesD) {
  EXPECT_EQ(fold("Đồng Nai"), "dong nai");
  EXPECT_EQ(fold("đắk lắk"), "dak lak");
  EXPECT_EQ(fold("ĐĐ đđ"), "dd dd");
}

TEST(TextFold, BothToneMarkPlacementsGiveOneKey) {
  EXPECT_EQ(fold("Hoà"), fold("Hòa"));
  EXPECT_EQ(fold("Thuỷ"), fold("Thủy"));
  EXPECT_EQ(fold("Khánh Hoà"), "khanh hoa");
  EXPECT_NE(fold("Hoà"), fold("Hoa Hà"));
}

// "kí"/"ký", "lí"/"lý", "mĩ"/"mỹ", "quí"/"quý": both spellings are in use.
TEST(TextFold, AFinalIAfterAConsonantIsOneKeyInEitherSpelling) {
  EXPECT_EQ(fold("đăng ký khai sinh"), "dang ki khai sinh");
  EXPECT_EQ(fold("Đăng kí khai sinh"), fold("đăng ký khai sinh"));
  EXPECT_EQ(fold("Mỹ Đình"), fold("Mĩ Đình"));
  EXPECT_EQ(fold("QUÝ"), "qui");
  EXPECT_EQ(fold("lý lịch tư pháp"), "li lich tu phap");
  EXPECT_EQ(fold("Nghị định, kỳ họp"), "nghi dinh ki hop");
  // A y after a vowel, and the word y, are other sounds.
  EXPECT_EQ(fold("tay thủy uy y tế Ỹ"), "tay thuy uy y te y");
  EXPECT_NE(fold("tay"), fold("tai"));
  // Decomposed input, and a token begun in what the buffer held.
  EXPECT_EQ(fold("ky\xCC\x81"), "ki");
  std::string out = "k";
  fold_append("ý", out);
  EXPECT_EQ(out, "ki");
}

TEST(TextFold, DecomposedInputGivesTheSameKey) {
  // "Phường" as NFD: u + horn, o + horn + grave.
  const std::string nfd = "Phu\xCC\x9Bo\xCC\x9B\xCC\x80ng";
  EXPECT_EQ(fold(nfd), "phuong");
  EXPECT_EQ(fold(nfd), fold("Phường"));
  // "hòa" with the grave on the o, decomposed, against the other placement.
  EXPECT_EQ(fold("ho\xCC\x80"
                 "a"),
            fold("hoà"));
}

TEST(TextFold, PunctuationAndWhitespace) {
  EXPECT_EQ(fold("  P.Trúc Bạch,\tQ.Ba Đình -- HN!  "), "p truc bach q ba dinh hn");
  EXPECT_EQ(fold("Bà Rịa - Vũng Tàu"), "ba ria vung tau");
  EXPECT_EQ(fold("Số 5/12, ngõ 10"), "so 5 12 ngo 10");
  EXPECT_EQ(fold("Ea H’đing"), "ea h ding");
  EXPECT_EQ(fold(""), "");
  EXPECT_EQ(fold(" ,.; "), "");
}

TEST(TextFold, InvalidUtf8NeverCrashesAndSeparatesWords) {
  EXPECT_EQ(fold("Ha\xFFNoi"), "ha noi");
  EXPECT_EQ(fold("\xC3"), "");        // truncated sequence
  EXPECT_EQ(fold("a\xE1\xBA"), "a");  // truncated 3-byte sequence
  EXPECT_EQ(fold("\xC0\xAF"
                 "b"),
            "b");                            // overlong encoding
  EXPECT_EQ(fold("x\xED\xA0\x80y"), "x y");  // a surrogate
  EXPECT_FALSE(valid_utf8("Ha\xFFNoi"));
  EXPECT_TRUE(valid_utf8("Hà Nội"));
  EXPECT_TRUE(valid_utf8("\xF0\x9F\x98\x80"));   // U+1F600, four bytes
  EXPECT_FALSE(valid_utf8("\xC0\xAF"));          // overlong '/', two bytes
  EXPECT_FALSE(valid_utf8("\xE0\x80\xAF"));      // overlong '/', three bytes
  EXPECT_FALSE(valid_utf8("\xF0\x80\x80\xAF"));  // overlong '/', four bytes
  EXPECT_FALSE(valid_utf8("\xED\xA0\x80"));      // U+D800, a surrogate
  EXPECT_FALSE(valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(valid_utf8("\xE1\xBB"));          // cut short
}

TEST(TextFold, OtherScriptsAreLowerCasedNotLost) {
  EXPECT_EQ(fold("ÀÉÎ Straße"), "aei strasse");
  EXPECT_EQ(fold("ΑΒΓ"), "αβγ");
  EXPECT_EQ(fold("北京"), "北京");
}

TEST(TextFold, AppendReusesBufferWithoutLeadingSpace) {
  std::string out = "x";
  fold_append("  Hà Nội", out);
  EXPECT_EQ(out, "xha noi");
}

TEST(TextFold, Tokens) {
  const std::string f = fold("Phường  Trúc Bạch");
  const auto t = tokens(f);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0], "phuong");
  EXPECT_EQ(t[2], "bach");
  EXPECT_TRUE(tokens("").empty());
  EXPECT_EQ(tokens("  a  b ").size(), 2u);
}

TEST(TextNfc, ComposesDecomposedInput) {
  const std::string nfd = "Phu\xCC\x9Bo\xCC\x9B\xCC\x80ng";
  EXPECT_EQ(nfc(nfd), "Phường");
  EXPECT_EQ(nfc("Hà Nội"), "Hà Nội");
  // NFC keeps the tone-mark placement as written: it is a spelling, not a form.
  EXPECT_EQ(nfc("Hoà"), "Hoà");
}

TEST(TextNfc, ReplacesInvalidBytes) {
  EXPECT_EQ(nfc("a\xFF"
                "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_TRUE(valid_utf8(nfc("\xC3\x28\xE2\x82")));
}

TEST(TextWellFormed, KeepsUtf8AndReplacesOnlyBadBytes) {
  EXPECT_EQ(well_formed("Ba \u0110\u00ecnh"), "Ba \u0110\u00ecnh");
  // Decomposed text stays decomposed: only nfc() composes.
  EXPECT_EQ(well_formed("a\xCC\x81"), "a\xCC\x81");
  EXPECT_EQ(well_formed("/x/\xFF\xFE"), "/x/\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_TRUE(valid_utf8(well_formed("\xC3\x28\xED\xA0\x80\xE2\x82")));
}

TEST(TextUtf8Prefix, CutsBetweenCharacters) {
  EXPECT_EQ(utf8_prefix("Hà Nội", 100), "Hà Nội");  // short enough: all of it
  EXPECT_EQ(utf8_prefix("Hà Nội", 2), "H");         // 'à' is two bytes: not half of it
  EXPECT_EQ(utf8_prefix("Hà Nội", 3), "Hà");
  EXPECT_EQ(utf8_prefix("aờ", 3), "a");  // 'ờ' is three bytes
  EXPECT_EQ(utf8_prefix("aờ", 4), "aờ");
  EXPECT_EQ(utf8_prefix("\xF0\x9F\x98\x80x", 3), "");  // a four-byte character
  EXPECT_EQ(utf8_prefix("abc", 0), "");
  std::string long_name = "a";
  for (int i = 0; i < 100; ++i) long_name += "ờ";
  const auto cut = utf8_prefix(long_name, 255);
  EXPECT_EQ(cut.size(), 253u);
  EXPECT_TRUE(valid_utf8(cut));
}

TEST(TextFold, NumbersCompareByValue) {
  EXPECT_EQ(number_by_value("01"), "1");
  EXPECT_EQ(number_by_value("003"), "3");
  EXPECT_EQ(number_by_value("00"), "0");
  EXPECT_EQ(number_by_value("0"), "0");
  EXPECT_EQ(number_by_value("10"), "10");
  EXPECT_EQ(number_by_value("0a"), "0a");
  EXPECT_EQ(number_by_value("phuong"), "phuong");
}

// The diacritics fold() drops, token by token: "Minh Quán" and "Minh Quân"
// fold alike and differ here; both tone-mark placements and NFD do not.
TEST(TextFold, TokenMarksTellApartWhatFoldingMerges) {
  using V = std::vector<std::string>;
  EXPECT_EQ(token_marks("Xã Minh Quán"), (V{"x", "", "s"}));
  EXPECT_NE(token_marks("Minh Quán"), token_marks("Minh Quân"));
  EXPECT_EQ(token_marks("Hoà"), token_marks("Hòa"));
  EXPECT_EQ(token_marks("Thuỷ"), token_marks("Thủy"));
  EXPECT_EQ(token_marks("Ho\u0300a"), token_marks("Hòa"));  // decomposed
  EXPECT_EQ(token_marks("Đông"), (V{"ad"}));
  EXPECT_NE(token_marks("Đông"), token_marks("Dông"));
  // One entry per token of fold(), punctuation included.
  for (const char* s : {"P.Trúc Bạch, Q.1", "  Bà Rịa - Vũng Tàu ", "", "x\xff y"}) {
    EXPECT_EQ(token_marks(s).size(), tokens(fold(s)).size()) << s;
  }
  std::string out = "k";
  token_marks_append("Sa Pả", out);
  EXPECT_EQ(out, "k r ");
}

}  // namespace
}  // namespace motcua::text
