#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "http/static_files.hpp"

namespace motcua::http {
namespace {

namespace fs = std::filesystem;

class HttpStaticFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("motcua_static_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    root_ = base_ / "web";
    fs::create_directories(root_ / "assets");
    write(root_ / "index.html", "<html>app</html>");
    write(root_ / "assets" / "app.js", "console.log(1)");
    write(root_ / "assets" / "style.css", "body{}");
    write(base_ / "secret.txt", "do not serve");
  }
  void TearDown() override { fs::remove_all(base_); }

  static void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

  static Request get(std::string path) {
    Request r;
    r.method = "GET";
    r.path = std::move(path);
    return r;
  }

  static std::string header(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers)
      if (k == name) return v;
    return {};
  }

  fs::path base_, root_;
};

TEST_F(HttpStaticFiles, ServesFilesWithTheirContentType) {
  StaticFiles files(root_);
  auto js = files.serve(get("/assets/app.js"));
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->body, "console.log(1)");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  auto css = files.serve(get("/assets/style.css"));
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("x.svg"), std::string("image/svg+xml"));
  EXPECT_EQ(content_type_for("x.unknown"), std::string("application/octet-stream"));
}

TEST_F(HttpStaticFiles, RootAndAppRoutesGetIndexHtmlButMissingAssetsAre404) {
  StaticFiles files(root_);
  auto root = files.serve(get("/"));
  ASSERT_TRUE(root);
  EXPECT_EQ(root->body, "<html>app</html>");
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(header(*root, "Cache-Control"), "no-cache");
  auto spa = files.serve(get("/ho-so/H29-250701-0001"));
  ASSERT_TRUE(spa);
  EXPECT_EQ(spa->status, 200);
  EXPECT_EQ(spa->body, "<html>app</html>");
  // Codes with dots are routes too: only an asset's extension means a file.
  for (const char* route : {"/procedures/1.001193", "/track/H01.000.04-251122-0001"}) {
    auto r = files.serve(get(route));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->body, "<html>app</html>") << route;
  }
  auto missing = files.serve(get("/assets/missing.js"));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->content_type, "application/problem+json");
}

TEST_F(HttpStaticFiles, RefusesTraversal) {
  StaticFiles files(root_);
  for (const char* path : {"/../secret.txt", "/assets/../../secret.txt", "/./index.html",
                           "/assets/..", "/..\\secret.txt"}) {
    auto r = files.serve(get(path));
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 400) << path;
    EXPECT_EQ(r->body.find("do not serve"), std::string::npos);
  }
}

TEST_F(HttpStaticFiles, ADoubleSlashDoesNotLeaveTheRoot) {
  // "//<absolute path>" must not name a file outside the root: were it looked
  // up there, an existing file (404 after the root check) and a missing one
  // (the app's index.html) would answer differently, telling which exist.
  // Names without an extension, as /etc/passwd: a missing one is an app route.
  write(base_ / "secret", "do not serve");
  StaticFiles files(root_);
  auto existing = files.serve(get("/" + (base_ / "secret").string()));
  auto missing = files.serve(get("/" + (base_ / "no-such-file").string()));
  ASSERT_TRUE(existing && missing);
  EXPECT_EQ(existing->status, 200);
  EXPECT_EQ(missing->status, 200);
  EXPECT_EQ(existing->body, "<html>app</html>");
  EXPECT_EQ(missing->body, "<html>app</html>");
  // Inside the root, the same path with an extra slash is the same file.
  auto js = files.serve(get("//assets/app.js"));
  ASSERT_TRUE(js);
  EXPECT_EQ(js->body, "console.log(1)");
}

TEST_F(HttpStaticFiles, SymlinkOutOfTheRootIsNotFollowed) {
  fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
  StaticFiles files(root_);
  auto r = files.serve(get("/leak.txt"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(r->body.find("do not serve"), std::string::npos);
}

TEST_F(HttpStaticFiles, ETagAndIfNoneMatchGive304) {
  StaticFiles files(root_);
  auto first = files.serve(get("/assets/app.js"));
  const std::string etag = header(*first, "ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');
  Request again = get("/assets/app.js");
  again.headers.emplace_back("if-none-match", etag);
  auto cached = files.serve(again);
  EXPECT_EQ(cached->status, 304);
  EXPECT_TRUE(cached->body.empty());
  EXPECT_EQ(header(*cached, "ETag"), etag);
  Request stale = get("/assets/app.js");
  stale.headers.emplace_back("if-none-match", "\"other\"");
  EXPECT_EQ(files.serve(stale)->status, 200);
  // A changed file gets a new tag.
  write(root_ / "assets" / "app.js", "console.log(2); // longer");
  EXPECT_NE(header(*files.serve(get("/assets/app.js")), "ETag"), etag);
}

// A client that takes gzip gets the file's gzip twin (scripts/build-web makes
// them) with Content-Encoding, any other the file itself; both are told the
// answer varies by Accept-Encoding, and the two have different tags.
TEST_F(HttpStaticFiles, TheGzipTwinGoesToClientsThatTakeIt) {
  write(root_ / "assets" / "app.js.gz", "GZIPPED BYTES");
  StaticFiles files(root_);
  auto with = [&](const char* accept) {
    Request r = get("/assets/app.js");
    if (accept) r.headers.emplace_back("accept-encoding", accept);
    return *files.serve(r);
  };
  for (const char* yes : {"gzip", "gzip, deflate, br, zstd", "br;q=1.0, GZIP;q=0.5", "*"}) {
    const Response r = with(yes);
    EXPECT_EQ(r.body, "GZIPPED BYTES") << yes;
    EXPECT_EQ(header(r, "Content-Encoding"), "gzip") << yes;
    EXPECT_EQ(r.content_type, "text/javascript; charset=utf-8") << yes;
    EXPECT_EQ(header(r, "Vary"), "Accept-Encoding") << yes;
  }
  for (const char* no :
       {static_cast<const char*>(nullptr), "br", "gzip;q=0", "deflate, gzip; q=0.000", "gzipx"}) {
    const Response r = with(no);
    EXPECT_EQ(r.body, "console.log(1)") << (no ? no : "(none)");
    EXPECT_EQ(header(r, "Content-Encoding"), "") << (no ? no : "(none)");
    EXPECT_EQ(header(r, "Vary"), "Accept-Encoding") << (no ? no : "(none)");
  }
  EXPECT_NE(header(with("gzip"), "ETag"), header(with(nullptr), "ETag"));
  // No twin: no Vary, the file as it is.
  Request css = get("/assets/style.css");
  css.headers.emplace_back("accept-encoding", "gzip");
  const Response plain = *files.serve(css);
  EXPECT_EQ(plain.body, "body{}");
  EXPECT_EQ(header(plain, "Content-Encoding"), "");
  EXPECT_EQ(header(plain, "Vary"), "");
  // A hashed asset is kept a year; index.html is asked again every time.
  EXPECT_EQ(header(plain, "Cache-Control"), "public, max-age=31536000, immutable");
}

TEST_F(HttpStaticFiles, LeavesApiAndOtherMethodsAlone) {
  StaticFiles files(root_);
  EXPECT_FALSE(files.serve(get("/api/v1/nothing")));
  EXPECT_FALSE(files.serve(get("/api")));
  Request post = get("/index.html");
  post.method = "POST";
  EXPECT_FALSE(files.serve(post));
}

}  // namespace
}  // namespace motcua::http
