#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "http/metrics.hpp"

namespace motcua::http {
namespace {

using namespace std::chrono_literals;

const std::vector<std::pair<std::string, std::string>> kRoutes = {{"GET", "/api/v1/units/{code}"},
                                                                  {"POST", "/api/v1/dossiers"}};

bool contains(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(HttpMetrics, CountsByRouteMethodAndStatus) {
  Metrics m(kRoutes);
  m.record(0, 200, 300us);
  m.record(0, 200, 2ms);
  m.record(0, 404, 1ms);
  m.record(1, 201, 7s);
  const std::string text = m.render();
  EXPECT_TRUE(contains(text, "# TYPE motcua_http_requests_total counter"));
  EXPECT_TRUE(contains(
      text,
      R"(motcua_http_requests_total{route="/api/v1/units/{code}",method="GET",status="200"} 2)"));
  EXPECT_TRUE(contains(
      text,
      R"(motcua_http_requests_total{route="/api/v1/units/{code}",method="GET",status="404"} 1)"));
  EXPECT_TRUE(contains(
      text,
      R"(motcua_http_requests_total{route="/api/v1/dossiers",method="POST",status="201"} 1)"));
}

TEST(HttpMetrics, HistogramBucketsAreCumulativeWithSumAndCount) {
  Metrics m(kRoutes);
  m.record(0, 200, 300us);  // <= 0.0005
  m.record(0, 200, 2ms);    // <= 0.0025
  m.record(0, 404, 1ms);    // <= 0.001
  m.record(0, 200, 7s);     // +Inf only
  const std::string text = m.render();
  const std::string p =
      R"(motcua_http_request_duration_seconds_bucket{route="/api/v1/units/{code}",method="GET",le=")";
  EXPECT_TRUE(contains(text, p + R"(0.0005"} 1)"));
  EXPECT_TRUE(contains(text, p + R"(0.001"} 2)"));
  EXPECT_TRUE(contains(text, p + R"(0.0025"} 3)"));
  EXPECT_TRUE(contains(text, p + R"(5"} 3)"));
  EXPECT_TRUE(contains(text, p + R"(+Inf"} 4)"));
  EXPECT_TRUE(contains(
      text,
      R"(motcua_http_request_duration_seconds_sum{route="/api/v1/units/{code}",method="GET"} 7.0033)"));
  EXPECT_TRUE(contains(
      text,
      R"(motcua_http_request_duration_seconds_count{route="/api/v1/units/{code}",method="GET"} 4)"));
  EXPECT_TRUE(contains(text, "# TYPE motcua_http_request_duration_seconds histogram"));
}

TEST(HttpMetrics, UnusedRoutesShowEmptyHistogramsButUnusedSpecialSlotsAreHidden) {
  Metrics m(kRoutes);
  const std::string text = m.render();
  EXPECT_TRUE(contains(
      text,
      R"(motcua_http_request_duration_seconds_count{route="/api/v1/dossiers",method="POST"} 0)"));
  EXPECT_EQ(text.find("unmatched"), std::string::npos);
  m.record(m.unmatched_slot("BREW"), 404, 1ms);
  m.record(m.static_slot("GET"), 200, 1ms);
  const std::string after = m.render();
  EXPECT_TRUE(contains(
      after, R"(motcua_http_requests_total{route="unmatched",method="OTHER",status="404"} 1)"));
  EXPECT_TRUE(
      contains(after, R"(motcua_http_requests_total{route="static",method="GET",status="200"} 1)"));
}

TEST(HttpMetrics, ManyStatusesOnOneRouteAreAllCounted) {
  Metrics m(kRoutes);
  std::uint64_t total = 0;
  for (int status = 200; status < 230; ++status) {  // more than the table holds
    m.record(0, status, 1ms);
    ++total;
  }
  const std::string text = m.render();
  EXPECT_TRUE(contains(
      text,
      R"(motcua_http_request_duration_seconds_count{route="/api/v1/units/{code}",method="GET"} 30)"));
  EXPECT_NE(text.find(R"(status="other"})"), std::string::npos);
}

TEST(HttpMetrics, RecordingFromManyThreadsLosesNothing) {
  Metrics m(kRoutes);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&m, t] {
      for (int i = 0; i < 10000; ++i) m.record(0, i % 2 ? 200 : 500 + t, 1ms);
    });
  for (auto& t : threads) t.join();
  const std::string text = m.render();
  EXPECT_TRUE(contains(
      text,
      R"(motcua_http_requests_total{route="/api/v1/units/{code}",method="GET",status="200"} 20000)"));
  for (int t = 0; t < 4; ++t)
    EXPECT_TRUE(contains(
        text, R"(motcua_http_requests_total{route="/api/v1/units/{code}",method="GET",status=")" +
                  std::to_string(500 + t) + R"("} 5000)"));
}

TEST(HttpMetrics, ConnectionGaugeAndLabelEscaping) {
  Metrics m(std::vector<std::pair<std::string, std::string>>{{"GET", "/a\"b\\c"}});
  m.connection_opened();
  m.connection_opened();
  m.connection_closed();
  m.record(0, 200, 1ms);
  const std::string text = m.render();
  EXPECT_TRUE(contains(text, "motcua_http_open_connections 1"));
  EXPECT_NE(text.find(R"(route="/a\"b\\c")"), std::string::npos);
}

}  // namespace
}  // namespace motcua::http
