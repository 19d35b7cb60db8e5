// The resolver's rules for reading an address, on the real data: the last part
// is the province, diacritics tell names apart, type words belong to their name.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "domain/units/resolver.hpp"
#include "real_registry.hpp"

namespace motcua::units {
namespace {

const Resolver& resolver() {
  static const Resolver r(real_registry());
  return r;
}

// The codes of the best-scored candidates, sorted (several when they tie).
std::vector<std::string> best(std::string_view text, const char* at = "2026-07-01") {
  const auto r = resolver().resolve(text, at);
  std::vector<std::string> out;
  for (const auto& c : r.candidates) {
    if (c.score == r.candidates.front().score) out.push_back(c.code);
  }
  std::sort(out.begin(), out.end());
  return out;
}

using Codes = std::vector<std::string>;

TEST(UnitsResolverRules, TheLastPartIsTheProvinceNotItsOldCapital) {
  EXPECT_EQ(best("Xã Vĩnh Quang, Huyện Bảo Lâm, Cao Bằng"), Codes{"01294"});
  EXPECT_EQ(best("X. Vĩnh Quang, H. Bảo Lâm, Cao Bằng"), Codes{"01294"});
  EXPECT_EQ(best("Phường 1, Thành phố Đông Hà, Quảng Trị"), Codes{"19333"});
  EXPECT_EQ(best("Huyện Đồng Văn, Hà Giang").size(), 6u);
  // Its type word makes it the city; alone it may still be either.
  EXPECT_EQ(best("Xã Vĩnh Quang, Thành phố Cao Bằng"), Codes{"01279"});
  EXPECT_EQ(best("Thành phố Cao Bằng"), (Codes{"01273", "01279", "01288"}));
}

TEST(UnitsResolverRules, DiacriticsWrittenTellNamesApart) {
  EXPECT_EQ(best("Xã Minh Quán, Huyện Trấn Yên, Tỉnh Yên Bái"), Codes{"04498"});
  EXPECT_EQ(best("Xã Minh Quân, Huyện Trấn Yên, Tỉnh Yên Bái"), Codes{"04543"});
  EXPECT_EQ(best("Xã Minh Quân, Huyện Trấn Yên, Tỉnh Yên Bái", "2025-06-30"), Codes{"04567"});
  EXPECT_FALSE(resolver().resolve("Xã Minh Quán, Huyện Trấn Yên, Yên Bái", "").split);
  // "Kiên Giang" is the province, not Thị trấn Kiến Giang (Quảng Bình).
  EXPECT_EQ(best("Huyện Kiên Hải, Kiên Giang"), Codes{"31108"});
  // Either tone-mark placement is the same spelling; none written, both stay.
  EXPECT_EQ(best("Xã Hoằng Đồng, Huyện Hoằng Hoá", "2025-06-30"), Codes{"15952"});
  EXPECT_EQ(best("xa minh quan, tran yen"), (Codes{"04498", "04543"}));
}

TEST(UnitsResolverRules, ATypeWordBelongsToTheNameAfterIt) {
  EXPECT_EQ(best("Phường Đúc, Quận Thuận Hóa, Thành phố Huế"), Codes{"19789"});
  EXPECT_EQ(best("Phường Phường Đúc, Thuận Hóa, Huế"), Codes{"19789"});
  EXPECT_EQ(best("Thị trấn Lâm"), Codes{"13795"});
  EXPECT_EQ(best("Quận Thuận Hóa, Thành phố Huế").size(),
            best("Quận Thuận Hóa").size());  // not Phường Phố Huế nor Xã Thanh
}

TEST(UnitsResolverRules, YAndIAfterAConsonantAreOneSpelling) {
  EXPECT_EQ(best("Huyện Phú Quý, Bình Thuận"), Codes{"23272"});  // the old list: "Phú Quí"
  EXPECT_EQ(best("Huyện Phú Quí, Bình Thuận"), Codes{"23272"});
}

}  // namespace
}  // namespace motcua::units
