#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "http/access_log.hpp"

namespace motcua::http {
namespace {

AccessLogEntry sample() {
  AccessLogEntry e;
  e.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1751328000123));
  e.method = "GET";
  e.path = "/api/v1/units/\"x\"\n";
  e.route = "/api/v1/units/{code}";
  e.status = 200;
  e.bytes = 1234;
  e.duration = std::chrono::microseconds(1500);
  e.remote = "127.0.0.1";
  e.request_id = "abc-1";
  return e;
}

std::string read_all(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  return out;
}

TEST(HttpAccessLog, OneJsonObjectPerLineWithTheFields) {
  std::string line;
  format_access_log_line(sample(), line);
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // the newline in the path is escaped
  const auto o = boost::json::parse(line).as_object();
  // 2025-07-01T00:00:00.123Z is 07:00 in Vietnam.
  EXPECT_EQ(o.at("time").as_string(), "2025-07-01T07:00:00.123+07:00");
  EXPECT_EQ(o.at("method").as_string(), "GET");
  EXPECT_EQ(o.at("path").as_string(), "/api/v1/units/\"x\"\n");
  EXPECT_EQ(o.at("route").as_string(), "/api/v1/units/{code}");
  EXPECT_EQ(o.at("status").as_int64(), 200);
  EXPECT_EQ(o.at("bytes").as_int64(), 1234);
  EXPECT_DOUBLE_EQ(o.at("duration_ms").as_double(), 1.5);
  EXPECT_EQ(o.at("remote").as_string(), "127.0.0.1");
  EXPECT_EQ(o.at("request_id").as_string(), "abc-1");
}

TEST(HttpAccessLog, APathThatIsNotUtf8StaysJson) {
  // GET /api/v1/units/%FF is refused, and logged: the line was not UTF-8.
  AccessLogEntry e = sample();
  e.path = "/api/v1/units/\xff";
  std::string line;
  format_access_log_line(e, line);
  const auto o = boost::json::parse(line).as_object();  // parse refuses bytes that are not UTF-8
  EXPECT_EQ(o.at("path").as_string(), "/api/v1/units/\uFFFD");
}

TEST(HttpAccessLog, WritesEveryLineFromManyThreadsByFlush) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    AccessLog log(f);
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t)
      threads.emplace_back([&] {
        for (int i = 0; i < 500; ++i) log.write(sample());
      });
    for (auto& t : threads) t.join();
    log.flush();
    const std::string text = read_all(f);
    std::size_t lines = 0;
    for (char c : text) lines += c == '\n';
    EXPECT_EQ(lines, 1500u);
    EXPECT_EQ(log.dropped().load(), 0u);
    std::fseek(f, 0, SEEK_END);
  }
  std::fclose(f);
}

TEST(HttpAccessLog, DestructorFlushes) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    AccessLog log(f);
    log.write(sample());
  }
  EXPECT_NE(read_all(f).find("\"request_id\":\"abc-1\""), std::string::npos);
  std::fclose(f);
}

TEST(HttpAccessLog, DropsAndCountsInsteadOfGrowingWithoutBound) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  {
    AccessLog log(f, /*max_buffered=*/8 * 300);  // about one line per shard
    for (int i = 0; i < 2000; ++i) log.write(sample());
    log.flush();
    EXPECT_GT(log.dropped().load(), 0u);
  }
  std::fclose(f);
}

}  // namespace
}  // namespace motcua::http
