// Control characters the API refuses in text a person sends.
#include <gtest/gtest.h>

#include "services/request_text.hpp"
#include "text/control_chars.hpp"

namespace motcua::text {
namespace {

constexpr auto npos = std::string_view::npos;

TEST(TextControlChars, PlainTextHasNone) {
  EXPECT_EQ(first_control_char(""), npos);
  EXPECT_EQ(first_control_char("Nguyễn Văn Dân, số 12 ngõ 3"), npos);
  // Tab, line feed and carriage return are text people write.
  EXPECT_EQ(first_control_char("Thiếu:\r\n\t- tờ khai\n"), npos);
  // U+0080-U+009F are two bytes in UTF-8, neither below 0x20 nor 0x7F.
  EXPECT_EQ(first_control_char("\xC2\x80\xC2\x9F"), npos);
}

TEST(TextControlChars, FindsDirectionOverrides) {
  EXPECT_EQ(first_direction_override("Nguyễn Văn Dân"), npos);
  EXPECT_EQ(first_direction_override("ab\u202Ecd"), 2u);      // right-to-left override
  EXPECT_EQ(first_direction_override("x\u202A"), 1u);         // left-to-right embedding
  EXPECT_EQ(first_direction_override("\u2066x\u2069"), 0u);   // isolates
  EXPECT_EQ(first_direction_override("\u200E\u200F"), npos);  // marks only mark
  EXPECT_EQ(first_direction_override("\u2028\u2030"), npos);  // neighbours of the range
  EXPECT_EQ(first_direction_override("\xE2\x80"), npos);      // cut short
  EXPECT_EQ(direction_override_name("ab\u202Ecd", 2), "U+202E");
  EXPECT_EQ(direction_override_name("\u2069", 0), "U+2069");
}

TEST(TextControlChars, FindsTheFirstRefusedOne) {
  using namespace std::string_literals;
  EXPECT_EQ(first_control_char("ab\0cd"s), 2u);
  EXPECT_EQ(first_control_char("\x01"), 0u);
  EXPECT_EQ(first_control_char("tờ\x1f\x7f"), 4u);
  EXPECT_EQ(first_control_char("x\x0b"), 1u);  // vertical tab
  EXPECT_EQ(first_control_char("x\x0c"), 1u);  // form feed
  EXPECT_EQ(first_control_char("end\x7f"), 3u);
}

TEST(TextControlChars, CleaningMakesASpaceOnlyWhereNoneStands) {
  using namespace std::string_literals;
  EXPECT_EQ(without_control_chars("Thông tư \0"
                                  "226/2016"s),
            "Thông tư 226/2016");
  EXPECT_EQ(without_control_chars("-\0Xác nhận"s), "- Xác nhận");
  EXPECT_EQ(without_control_chars("trực tuyến).\n\0+ Nếu"s), "trực tuyến).\n+ Nếu");
  EXPECT_EQ(without_control_chars("-\0\nBản sao"s), "-\nBản sao");
  EXPECT_EQ(without_control_chars("a\0\x01"
                                  "b"s),
            "a b");
  EXPECT_EQ(without_control_chars("\0a\x7f"s), "a");
  EXPECT_EQ(without_control_chars("giữ\tnguyên\r\n"), "giữ\tnguyên\r\n");
}

TEST(TextControlChars, NamesTheCharacter) {
  EXPECT_EQ(code_point_name('\0'), "U+0000");
  EXPECT_EQ(code_point_name('\x1f'), "U+001F");
  EXPECT_EQ(code_point_name('\x7f'), "U+007F");
}

TEST(TextControlChars, RequestTextNamesFieldCharacterAndByte) {
  using namespace std::string_literals;
  EXPECT_TRUE(services::plain_text("Hà Nội\n", "note"));
  auto r = services::plain_text("ab\0c"s, "missing[1]");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::kBadRequest);
  EXPECT_EQ(r.error().param, "missing[1]");
  EXPECT_EQ(r.error().message_en,
            "Field 'missing[1]' holds the control character U+0000 at byte 2: remove it.");
  EXPECT_NE(r.error().message_vi.find("U+0000"), std::string::npos);
}

}  // namespace
}  // namespace motcua::text
