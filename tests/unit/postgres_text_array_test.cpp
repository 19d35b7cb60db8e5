// A text[] parameter in PostgreSQL's binary form, as a group commit sends
// its new dossiers' columns: one dimension, no nulls, element type text,
// then each item as its length and its bytes, all in network order. Bytes
// that would need escaping in the text form go as they are.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "store/postgres/connection.hpp"

namespace motcua::store::postgres {
namespace {

std::string be32(unsigned v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

TEST(PostgresTextArray, HeaderThenEachItemsLengthAndBytes) {
  const std::string quoted = "a\"b\\c\t\n";
  const std::string vietnamese = "Hồ sơ";
  const std::vector<std::string_view> items = {quoted, "", vietnamese};
  const std::string expected = be32(1) + be32(0) + be32(25) + be32(3) + be32(1) + be32(7) + quoted +
                               be32(0) + be32(8) + vietnamese;
  EXPECT_EQ(vietnamese.size(), 8u);
  EXPECT_EQ(text_array_binary(items), expected);
}

TEST(PostgresTextArray, LongItemsKeepTheirLength) {
  const std::string big(70'000, 'x');
  const std::string got = text_array_binary({big});
  ASSERT_EQ(got.size(), 20u + 4u + big.size());
  EXPECT_EQ(got.substr(20, 4), be32(70'000));
  EXPECT_EQ(got.substr(24), big);
}

}  // namespace
}  // namespace motcua::store::postgres
