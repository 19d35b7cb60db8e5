// Text that says nothing: a required name or reason made of it is missing.
#include <gtest/gtest.h>

#include "text/blank.hpp"

namespace motcua::text {
namespace {

TEST(TextBlank, NothingVisibleIsBlank) {
  EXPECT_TRUE(blank(""));
  EXPECT_TRUE(blank(" "));
  EXPECT_TRUE(blank(" \t\r\n "));
  EXPECT_TRUE(blank("\xC2\xA0"));                   // U+00A0 no-break space
  EXPECT_TRUE(blank("\xE3\x80\x80"));               // U+3000 ideographic space
  EXPECT_TRUE(blank("\xE2\x80\xA8"));               // U+2028 line separator
  EXPECT_TRUE(blank("\xE2\x80\x8B"));               // U+200B zero width space
  EXPECT_TRUE(blank("\xE2\x80\xAE"));               // U+202E right-to-left override
  EXPECT_TRUE(blank("\xEF\xBB\xBF \xE2\x80\x8E"));  // U+FEFF, U+200E
}

TEST(TextBlank, AnythingVisibleIsNot) {
  EXPECT_FALSE(blank("a"));
  EXPECT_FALSE(blank("  Dân  "));
  EXPECT_FALSE(
      blank("\xE2\x80\xAE"
            "abc"));
  EXPECT_FALSE(blank("."));
  EXPECT_FALSE(blank("\xCC\x81"));  // a combining mark alone is still a mark
  EXPECT_FALSE(blank("\xFF"));      // not UTF-8: something, not nothing
}

}  // namespace
}  // namespace motcua::text
