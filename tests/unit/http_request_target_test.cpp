#include <gtest/gtest.h>

#include "http/request_target.hpp"

namespace motcua::http {
namespace {

Request parsed(std::string_view target) {
  Request r;
  auto result = parse_target(target, r);
  EXPECT_TRUE(result.ok()) << target;
  return r;
}

TEST(HttpRequestTarget, DecodesPathAndQuery) {
  const Request r =
      parsed("/api/v1/units/search?q=ph%C6%B0%E1%BB%9Dng+B%E1%BA%BFn+Ngh%C3%A9&page=2");
  EXPECT_EQ(r.path, "/api/v1/units/search");
  EXPECT_EQ(r.query.at("q"), "phường Bến Nghé");
  EXPECT_EQ(r.query.at("page"), "2");
}

TEST(HttpRequestTarget, PlusIsASpaceInQueryButNotInPath) {
  const Request r = parsed("/a+b%20c?x=1+2%2B3&y=%26");
  EXPECT_EQ(r.path, "/a+b c");
  EXPECT_EQ(r.query.at("x"), "1 2+3");
  EXPECT_EQ(r.query.at("y"), "&");
}

TEST(HttpRequestTarget, BareKeysAreEmptyAndEmptySegmentsNameNothing) {
  const Request r = parsed("/?a=1&&flag&=v&");
  EXPECT_EQ(r.query.at("a"), "1");
  EXPECT_EQ(r.query.at("flag"), "");
  EXPECT_EQ(r.query.at(""), "v");
  EXPECT_EQ(r.query.size(), 3u);
}

TEST(HttpRequestTarget, RefusesARepeatedParameterNamingIt) {
  // ?scope=own&scope=all took "own" wherever it was read, whatever the client meant.
  for (const char* target :
       {"/api/x?scope=own&scope=all", "/api/x?scope=own&scope=own", "/api/x?a=1&flag&flag",
        "/api/x?scope=own&b=2&scope=", "/api/x?sc%6Fpe=own&scope=all"}) {
    Request r;
    const auto result = parse_target(target, r);
    ASSERT_FALSE(result.ok()) << target;
    EXPECT_EQ(result.error().kind, ErrorKind::kBadRequest) << target;
    const std::string name =
        std::string_view(target).find("flag") != std::string_view::npos ? "flag" : "scope";
    EXPECT_EQ(result.error().param, name) << target;
    EXPECT_NE(result.error().message_vi.find("'" + name + "'"), std::string::npos) << target;
    EXPECT_NE(result.error().message_en.find("'" + name + "'"), std::string::npos) << target;
  }
}

TEST(HttpRequestTarget, APageOfTheWebApplicationIsServedWithARepeatedParameter) {
  // Its query is read in the browser; a link carrying a key twice still opens the page.
  Request r;
  ASSERT_TRUE(parse_target("/ops?unit=01&unit=02", r).ok());
  EXPECT_EQ(r.path, "/ops");
  EXPECT_EQ(r.query.at("unit"), "01");
}

TEST(HttpRequestTarget, PathIsDecodedUtf8) {
  EXPECT_EQ(parsed("/t%E1%BB%89nh/H%C3%A0%20N%E1%BB%99i").path, "/tỉnh/Hà Nội");
}

TEST(HttpRequestTarget, AbsoluteFormKeepsThePath) {
  const Request r = parsed("http://example.vn/api/v1/x?k=v");
  EXPECT_EQ(r.path, "/api/v1/x");
  EXPECT_EQ(r.query.at("k"), "v");
}

TEST(HttpRequestTarget, RejectsBadTargets) {
  for (const char* target : {"/a%00b", "/a%zz", "/a%", "/%C3%28", "/%ED%A0%80", "/%E0%80%AF", "*",
                             "/a b", "example.vn:443"}) {
    Request r;
    const auto result = parse_target(target, r);
    ASSERT_FALSE(result.ok()) << target;
    EXPECT_EQ(result.error().kind, ErrorKind::kBadRequest);
    EXPECT_FALSE(result.error().message_vi.empty());
    EXPECT_FALSE(result.error().message_en.empty());
  }
}

TEST(HttpRequestTarget, RefusesControlCharactersInPathAndParameters) {
  // The stores get these values; PostgreSQL would cut one at its NUL.
  for (const char* target : {"/a%01b", "/a%7F", "/x?procedure=a%00b", "/x?q=%1B", "/x?k%00=v"}) {
    Request r;
    const auto result = parse_target(target, r);
    ASSERT_FALSE(result.ok()) << target;
    EXPECT_EQ(result.error().kind, ErrorKind::kBadRequest) << target;
  }
  Request r;
  const auto result = parse_target("/x?limit=5&procedure=a%00b", r);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().param, "procedure");
  EXPECT_EQ(result.error().message_en,
            "Parameter 'procedure' holds the control character U+0000: remove it.");
  // Tab and line breaks are text (a search may hold them).
  Request ok;
  ASSERT_TRUE(parse_target("/x?q=a%09b%0Ac", ok).ok());
  EXPECT_EQ(ok.query.at("q"), "a\tb\nc");
}

TEST(HttpRequestTarget, RefusesParametersThatAreNotUtf8) {
  // PostgreSQL refuses such bytes: GET /api/v1/users?unit=%FF was a 500 there.
  for (const char* target :
       {"/x?unit=%FF", "/x?q=ba%ED%A0%80dinh", "/x?q=%E0%80%AF", "/x?%C3%28=1"}) {
    Request r;
    const auto result = parse_target(target, r);
    ASSERT_FALSE(result.ok()) << target;
    EXPECT_EQ(result.error().kind, ErrorKind::kBadRequest) << target;
  }
  Request r;
  auto result = parse_target("/x?limit=5&unit=%FF", r);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().param, "unit");
  EXPECT_EQ(result.error().message_en, "Parameter 'unit' is not valid UTF-8 text.");
  // A key that is not UTF-8 is not repeated in the answer.
  result = parse_target("/x?%FF=1", r);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().param, "?");
  Request ok;
  ASSERT_TRUE(parse_target("/x?q=Ba%20%C4%90%C3%ACnh", ok).ok());
  EXPECT_EQ(ok.query.at("q"), "Ba Đình");
}

}  // namespace
}  // namespace motcua::http
