// The operations centre's CSV downloads: a text cell a spreadsheet would take
// for a formula is written as text, and numbers are written exactly, never
// rounded or in exponent form.
#include <gtest/gtest.h>

#include "api/table_export.hpp"

namespace motcua::api {
namespace {

// The CSV's lines after the byte-order mark and the header line.
std::vector<std::string> body_lines(const Table& t) {
  const std::string csv = to_csv(t);
  std::vector<std::string> out;
  std::size_t at = csv.find("\r\n") + 2;
  for (std::size_t end; (end = csv.find("\r\n", at)) != std::string::npos; at = end + 2) {
    out.push_back(csv.substr(at, end - at));
  }
  return out;
}

TEST(TableExportCsv, FormulaLikeTextIsNeutralised) {
  Table t{"t", {"a"}, {}};
  for (const char* s :
       {"=HYPERLINK(\"http://x\",\"y\")", "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"}) {
    t.rows.push_back({std::string(s)});
  }
  t.rows.push_back({std::string("Cấp giấy khai sinh")});
  t.rows.push_back({std::string("2026-01-05T09:00:00+07:00")});
  const auto lines = body_lines(t);
  ASSERT_EQ(lines.size(), 8u);
  EXPECT_EQ(lines[0], "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(lines[1], "\"'+1\"");
  EXPECT_EQ(lines[2], "\"'-2+3\"");
  EXPECT_EQ(lines[3], "\"'@SUM(A1)\"");
  EXPECT_EQ(lines[4], "\"'\t=1\"");
  EXPECT_EQ(lines[5], "\"'\r=1\"");
  // Other text as before: quoted only when it must be.
  EXPECT_EQ(lines[6], "Cấp giấy khai sinh");
  EXPECT_EQ(lines[7], "2026-01-05T09:00:00+07:00");
}

TEST(TableExportCsv, NumbersAreExactAndNeverInExponentForm) {
  Table t{"t", {"a", "b", "c", "d", "e", "f"}, {}};
  t.rows.push_back({1508.5, 12345.0, -3.0, 0.1, 1234567.25, static_cast<long long>(9876543210)});
  t.rows.push_back({0.0001, 100000000.0, 0.0, std::monostate{}, 66.7, -42LL});
  const auto lines = body_lines(t);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "1508.5,12345,-3,0.1,1234567.25,9876543210");
  EXPECT_EQ(lines[1], "0.0001,100000000,0,,66.7,-42");
}

}  // namespace
}  // namespace motcua::api
