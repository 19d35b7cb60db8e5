// The server over real sockets: framing, limits, keep-alive, shutdown,
// metrics and static files, as a client sees them.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/json/parse.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "http/error_table.hpp"
#include "http_test_support.hpp"

namespace motcua::http {
namespace {

using namespace std::chrono_literals;
using testing::Client;
using testing::get;
using testing::roundtrip;
using testing::TestServer;

Handler text(std::string body) {
  return [body](const Request&) { return json_response(200, body); };
}

Router basic_routes() {
  Router r;
  r.add("GET", "/api/v1/units/{code}", "public", [](const Request& req) {
    return json_response(200, "{\"code\":\"" + std::string(req.param("code")) + "\"}");
  });
  r.add("GET", "/api/v1/units/resolve", "public", text("{\"resolve\":true}"));
  r.add("GET", "/api/v1/echo", "public", [](const Request& req) {
    std::string out;
    for (const auto& [k, v] : req.query) out += k + "=" + v + ";";
    out += "path=" + req.path + ";remote=" + req.remote;
    if (auto h = req.header("x-custom")) out += ";x-custom=" + std::string(*h);
    return json_response(200, out);
  });
  r.add("POST", "/api/v1/echo", "public", [](const Request& req) { return json_response(201, req.body); });
  r.add("GET", "/api/v1/throws", "public",
        [](const Request&) -> Response { throw std::runtime_error("secret detail"); });
  r.add("GET", "/api/v1/headers", "public", [](const Request&) {
    Response resp = json_response(200, "{}");
    resp.headers.emplace_back("ETag", "\"v1\"");
    resp.headers.emplace_back("X-Evil", "a\r\nSet-Cookie: x=1");
    resp.headers.emplace_back("Content-Length", "99");
    return resp;
  });
  return r;
}

TEST(HttpServer, EveryResponseCarriesTheStandardHeaders) {
  TestServer s(basic_routes());
  auto r = roundtrip(s.port(), get("/api/v1/units/00004"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"code":"00004"})");
  EXPECT_EQ(r->header("content-type"), "application/json");
  EXPECT_EQ(r->header("content-length"), "16");
  EXPECT_EQ(r->header("server"), "motcua");
  EXPECT_FALSE(r->header("x-request-id").empty());
  EXPECT_FALSE(r->header("date").empty());

  auto missing = roundtrip(s.port(), get("/api/v1/nothing"));
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(missing->header("content-type"), "application/problem+json");
  EXPECT_EQ(missing->header("server"), "motcua");
  EXPECT_FALSE(missing->header("x-request-id").empty());
}

TEST(HttpServer, RoutesOverTheWire) {
  TestServer s(basic_routes());
  EXPECT_EQ(roundtrip(s.port(), get("/api/v1/units/resolve"))->body, R"({"resolve":true})");
  auto r405 = roundtrip(s.port(), "DELETE /api/v1/units/1 HTTP/1.1\r\nHost: t\r\n\r\n");
  EXPECT_EQ(r405->status, 405);
  EXPECT_EQ(r405->header("allow"), "GET, HEAD");
  const auto problem = boost::json::parse(r405->body).as_object();
  EXPECT_EQ(problem.at("status").as_int64(), 405);
  EXPECT_EQ(problem.at("instance").as_string(), "/api/v1/units/1");
}

TEST(HttpServer, DecodesQueryPathAndHeaders) {
  TestServer s(basic_routes());
  auto r =
      roundtrip(s.port(), get("/api/v1/echo?q=H%C3%A0+N%E1%BB%99i&n=1%2B1", "X-Custom: Value\r\n"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "n=1+1;q=Hà Nội;path=/api/v1/echo;remote=127.0.0.1;x-custom=Value");
  auto encoded_path = roundtrip(s.port(), get("/api/v1/units/H%C3%A0"));
  EXPECT_EQ(encoded_path->body, R"({"code":"Hà"})");
}

TEST(HttpServer, RejectsBadPathEncodingWith400) {
  TestServer s(basic_routes());
  for (const char* target : {"/api/v1/units/a%00b", "/api/v1/units/%zz", "/api/v1/units/%FF"}) {
    auto r = roundtrip(s.port(), get(target));
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 400) << target;
    EXPECT_EQ(r->header("content-type"), "application/problem+json");
  }
}

TEST(HttpServer, KeepAliveServesTwoRequestsOnOneConnection) {
  TestServer s(basic_routes());
  Client c(s.port());
  ASSERT_TRUE(c.send(get("/api/v1/units/1")));
  auto first = c.read_reply();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, R"({"code":"1"})");
  EXPECT_TRUE(first->header("connection").empty());
  ASSERT_TRUE(c.send(get("/api/v1/units/2")));
  auto second = c.read_reply();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, R"({"code":"2"})");
  EXPECT_NE(first->header("x-request-id"), second->header("x-request-id"));
}

TEST(HttpServer, PipelinedRequestsAreAnsweredInOrder) {
  TestServer s(basic_routes());
  Client c(s.port());
  std::string batch;
  for (int i = 0; i < 20; ++i) batch += get("/api/v1/units/" + std::to_string(i));
  batch += "POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello";
  batch += get("/api/v1/units/last", "Connection: close\r\n");
  ASSERT_TRUE(c.send(batch));
  for (int i = 0; i < 20; ++i) {
    auto r = c.read_reply();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "{\"code\":\"" + std::to_string(i) + "\"}");
  }
  auto posted = c.read_reply();
  ASSERT_TRUE(posted);
  EXPECT_EQ(posted->status, 201);
  EXPECT_EQ(posted->body, "hello");
  auto last = c.read_reply();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->header("connection"), "close");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST(HttpServer, AnAnswerLargerThanTheSocketTakesArrivesWholeToASlowReader) {
  // The answer's write is tried at once; what the socket does not take then
  // must follow without blocking the server's one thread, which meanwhile
  // answers another connection.
  std::string big(8 << 20, 'x');
  for (std::size_t i = 0; i < big.size(); i += 4096)
    big[i] = static_cast<char>('a' + i / 4096 % 26);
  Router r = basic_routes();
  r.add("GET", "/api/v1/big", "public", [&big](const Request&) { return json_response(200, big); });
  ServerOptions one_thread = TestServer::defaults();
  one_thread.threads = 1;
  TestServer s(std::move(r), one_thread);
  Client slow(s.port());
  ASSERT_TRUE(slow.send(get("/api/v1/big")));
  std::this_thread::sleep_for(300ms);  // its answer waits, mostly unsent
  auto other = roundtrip(s.port(), get("/api/v1/units/7", "Connection: close\r\n"));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->body, R"({"code":"7"})");
  auto reply = slow.read_reply();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_TRUE(reply->body == big) << "got " << reply->body.size() << " bytes";
  ASSERT_TRUE(slow.send(get("/api/v1/units/8")));  // and the connection goes on
  auto next = slow.read_reply();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, R"({"code":"8"})");
}

TEST(HttpServer, ChunkedBodyIsDecoded) {
  TestServer s(basic_routes());
  auto r = roundtrip(s.port(),
                     "POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                     "5\r\nđồ\r\n3\r\nng!\r\n0\r\n\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, "đồng!");
}

TEST(HttpServer, BodyOverTheLimitGets413AndTheConnectionCloses) {
  auto options = TestServer::defaults();
  options.body_limit = 1000;
  TestServer s(basic_routes(), options);
  {  // announced by Content-Length: answered before the body is read
    Client c(s.port());
    ASSERT_TRUE(c.send("POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" +
                       std::string(5000, 'x')));
    auto r = c.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_EQ(r->header("content-type"), "application/problem+json");
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_EQ(boost::json::parse(r->body).at("type").as_string(),
              "https://motcua.vn/problems/payload-too-large");
    EXPECT_TRUE(c.closed_by_peer());
  }
  {  // chunked: found out while reading
    Client c(s.port());
    std::string req = "POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (int i = 0; i < 3; ++i) req += "1f4\r\n" + std::string(500, 'y') + "\r\n";
    ASSERT_TRUE(c.send(req));
    auto r = c.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 413);
    EXPECT_TRUE(c.closed_by_peer());
  }
  // A body at the limit is fine.
  auto ok =
      roundtrip(s.port(), "POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1000\r\n\r\n" +
                              std::string(1000, 'z'));
  EXPECT_EQ(ok->status, 201);
}

TEST(HttpServer, ARouteWithItsOwnBodyLimitTakesLargerBodiesAndOnlyThatRoute) {
  auto options = TestServer::defaults();
  options.body_limit = 1000;
  Router routes = basic_routes();
  routes.add("POST", "/api/v1/upload/{name}", "public",
             [](const Request& req) { return json_response(201, std::to_string(req.body.size())); });
  routes.set_body_limit("POST", "/api/v1/upload/{name}", 20000);
  EXPECT_THROW(routes.set_body_limit("POST", "/api/v1/nowhere", 5), std::logic_error);
  TestServer s(std::move(routes), options);
  // The header and the start of the body arrive in one piece.
  auto big = roundtrip(s.port(),
                       "POST /api/v1/upload/a?x=1 HTTP/1.1\r\nHost: t\r\nContent-Length: 15000\r\n\r\n" +
                           std::string(15000, 'u'));
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 201);
  EXPECT_EQ(big->body, "15000");
  Client c(s.port());
  ASSERT_TRUE(c.send("POST /api/v1/upload/a HTTP/1.1\r\nHost: t\r\nContent-Length: 25000\r\n\r\n" +
                     std::string(25000, 'u')));
  auto over = c.read_reply();
  ASSERT_TRUE(over);
  EXPECT_EQ(over->status, 413);
  EXPECT_NE(boost::json::parse(over->body).at("detail").as_string().find("20000"),
            boost::json::string::npos);
  // Other routes keep the server's limit.
  Client d(s.port());
  ASSERT_TRUE(d.send("POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n" +
                     std::string(5000, 'x')));
  auto other = d.read_reply();
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 413);
}

TEST(HttpServer, GarbageGets400AndTheConnectionCloses) {
  TestServer s(basic_routes());
  for (const char* garbage :
       {"HELLO THERE\r\n\r\n", "GET /x HTTP/9.9\r\n\r\n", "GET /x HTTP/1.1\r\nBad Header\r\n\r\n",
        "POST /api/v1/echo HTTP/1.1\r\nContent-Length: abc\r\n\r\n"}) {
    Client c(s.port());
    ASSERT_TRUE(c.send(garbage));
    auto r = c.read_reply();
    ASSERT_TRUE(r) << garbage;
    EXPECT_EQ(r->status, 400) << garbage;
    EXPECT_EQ(r->header("content-type"), "application/problem+json");
    EXPECT_EQ(boost::json::parse(r->body).at("status").as_int64(), 400);
    EXPECT_TRUE(c.closed_by_peer());
  }
}

TEST(HttpServer, OversizedHeadersGet431) {
  auto options = TestServer::defaults();
  options.header_limit = 2048;
  TestServer s(basic_routes(), options);
  Client c(s.port());
  ASSERT_TRUE(c.send(get("/api/v1/units/1", "X-Big: " + std::string(4096, 'h') + "\r\n")));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_TRUE(c.closed_by_peer());
}

TEST(HttpServer, HandlerExceptionBecomesA500WithoutDetailsAndTheServerGoesOn) {
  TestServer s(basic_routes());
  auto r = roundtrip(s.port(), get("/api/v1/throws"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->header("content-type"), "application/problem+json");
  EXPECT_EQ(r->body.find("secret"), std::string::npos);
  EXPECT_EQ(roundtrip(s.port(), get("/api/v1/units/1"))->status, 200);
}

TEST(HttpServer, HandlersCannotBreakFramingWithTheirHeaders) {
  TestServer s(basic_routes());
  Client c(s.port());
  ASSERT_TRUE(c.send(get("/api/v1/headers") + get("/api/v1/units/1")));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("etag"), "\"v1\"");
  EXPECT_EQ(r->header("content-length"), "2");
  EXPECT_TRUE(r->header("x-evil").empty());
  EXPECT_TRUE(r->header("set-cookie").empty());
  EXPECT_EQ(c.read_reply()->body, R"({"code":"1"})");
}

TEST(HttpServer, HeadHasTheLengthButNoBody) {
  TestServer s(basic_routes());
  Client c(s.port());
  ASSERT_TRUE(c.send("HEAD /api/v1/units/12 HTTP/1.1\r\nHost: t\r\n\r\n" + get("/api/v1/units/3")));
  auto head = c.read_reply(/*head_only=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("content-length"), "13");  // {"code":"12"}
  // Had a body been sent, this would read it instead of the next response.
  auto next = c.read_reply();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, R"({"code":"3"})");
}

TEST(HttpServer, RequestIdIsTheServersOwnWithASafeClientIdAfterIt) {
  TestServer s(basic_routes());
  const std::regex own("[0-9a-f]{8}-[0-9a-f]{12}");
  auto id_for = [&](const std::string& sent) {
    return roundtrip(s.port(), get("/api/v1/units/1", "X-Request-Id: " + sent + "\r\n"))
        ->header("x-request-id");
  };
  const std::string plain = roundtrip(s.port(), get("/api/v1/units/1"))->header("x-request-id");
  EXPECT_TRUE(std::regex_match(plain, own)) << plain;
  const std::string kept = id_for("abc-123:trace.7");
  ASSERT_GT(kept.size(), 21u);
  EXPECT_TRUE(std::regex_match(kept.substr(0, 21), own)) << kept;
  EXPECT_EQ(kept.substr(21), ":abc-123:trace.7");
  // Another request's id sent back names this request, not that one.
  const std::string forged = id_for(plain);
  EXPECT_NE(forged, plain);
  EXPECT_EQ(forged.substr(21), ":" + plain);
  for (const std::string bad :
       {std::string("a b\""), std::string(65, 'a'), std::string("h\xe1\xbb\x93-s\xc6\xa1"),
        std::string("a\tb")}) {
    const std::string id = id_for(bad);
    EXPECT_TRUE(std::regex_match(id, own)) << id;
  }
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i)
    ids.insert(roundtrip(s.port(), get("/api/v1/units/1"))->header("x-request-id"));
  EXPECT_EQ(ids.size(), 50u);
}

TEST(HttpServer, TheClientBehindATrustedProxyIsTheRemote) {
  auto echo = [](ServerOptions o) {
    TestServer s(basic_routes(), std::move(o));
    return roundtrip(s.port(), get("/api/v1/echo", "X-Forwarded-For: 203.0.113.9, 10.1.2.3\r\n"))
        ->body;
  };
  ServerOptions trusting = TestServer::defaults();
  ASSERT_TRUE(trusting.trusted_proxies.add("127.0.0.1"));
  ASSERT_TRUE(trusting.trusted_proxies.add("10.0.0.0/8"));
  EXPECT_EQ(echo(trusting), "path=/api/v1/echo;remote=203.0.113.9");
  // The header from a peer no one trusts, or with no proxy trusted, is ignored.
  ServerOptions other = TestServer::defaults();
  ASSERT_TRUE(other.trusted_proxies.add("192.0.2.1"));
  EXPECT_EQ(echo(other), "path=/api/v1/echo;remote=127.0.0.1");
  EXPECT_EQ(echo(TestServer::defaults()), "path=/api/v1/echo;remote=127.0.0.1");
}

// X-Forwarded-Proto (HSTS here, Secure cookies in the API tests) is believed
// from a trusted proxy only, once any is named; with none, from any peer.
TEST(HttpServer, ForwardedProtoIsBelievedFromATrustedProxyOnly) {
  auto hsts = [](ServerOptions o) {
    o.hsts = "max-age=60";
    TestServer s(basic_routes(), std::move(o));
    return roundtrip(s.port(), get("/api/v1/units/1", "X-Forwarded-Proto: https\r\n"))
        ->header("strict-transport-security");
  };
  ServerOptions trusting = TestServer::defaults();
  ASSERT_TRUE(trusting.trusted_proxies.add("127.0.0.1"));
  EXPECT_EQ(hsts(trusting), "max-age=60");
  ServerOptions other = TestServer::defaults();
  ASSERT_TRUE(other.trusted_proxies.add("192.0.2.1"));
  EXPECT_EQ(hsts(other), "");
  EXPECT_EQ(hsts(TestServer::defaults()), "max-age=60");
}

TEST(HttpServer, Expect100ContinueIsHonoured) {
  TestServer s(basic_routes());
  Client c(s.port());
  ASSERT_TRUE(
      c.send("POST /api/v1/echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: "
             "100-continue\r\n\r\n"));
  auto interim = c.read_reply(/*head_only=*/true);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.send("abc"));
  auto r = c.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 201);
  EXPECT_EQ(r->body, "abc");
}

TEST(HttpServer, Http10ClosesUnlessAskedToKeepAlive) {
  TestServer s(basic_routes());
  {
    Client c(s.port());
    ASSERT_TRUE(c.send("GET /api/v1/units/1 HTTP/1.0\r\n\r\n"));
    EXPECT_EQ(c.read_reply()->status, 200);
    EXPECT_TRUE(c.closed_by_peer());
  }
  Client c(s.port());
  ASSERT_TRUE(c.send("GET /api/v1/units/1 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  auto r = c.read_reply();
  EXPECT_EQ(r->header("connection"), "keep-alive");
  ASSERT_TRUE(c.send("GET /api/v1/units/2 HTTP/1.0\r\n\r\n"));
  EXPECT_EQ(c.read_reply()->body, R"({"code":"2"})");
}

TEST(HttpServer, IdleAndSlowConnectionsTimeOut) {
  auto options = TestServer::defaults();
  options.idle_timeout = 200ms;
  options.header_timeout = 300ms;
  options.read_timeout = 400ms;
  TestServer s(basic_routes(), options);
  {  // idle after a request
    Client c(s.port());
    ASSERT_TRUE(c.send(get("/api/v1/units/1")));
    ASSERT_TRUE(c.read_reply());
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(c.closed_by_peer());
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  }
  {  // a header that never finishes arriving
    Client c(s.port());
    ASSERT_TRUE(c.send("GET /api/v1/units/1 HTTP/1.1\r\nHost:"));
    EXPECT_TRUE(c.closed_by_peer());
  }
  {  // a later request's header that never finishes arriving
    Client c(s.port());
    ASSERT_TRUE(c.send(get("/api/v1/units/1")));
    ASSERT_TRUE(c.read_reply());
    ASSERT_TRUE(c.send("GET /api/v1/units/2 HTTP/1.1\r\nHost:"));
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(c.closed_by_peer());
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  }
  {  // a body that never finishes arriving
    Client c(s.port());
    ASSERT_TRUE(c.send("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12"));
    EXPECT_TRUE(c.closed_by_peer());
  }
  {  // a connection that never sends anything
    Client c(s.port());
    EXPECT_TRUE(c.closed_by_peer());
  }
}

TEST(HttpServer, StartFailsCleanlyWhenThePortIsTaken) {
  TestServer first(basic_routes());
  Router router = basic_routes();
  auto options = TestServer::defaults();
  options.port = first.port();
  Server second(options, router);
  auto result = second.start();
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().kind, ErrorKind::kUnavailable);
  EXPECT_NE(result.error().message_en.find(std::to_string(first.port())), std::string::npos);
  EXPECT_FALSE(result.error().message_vi.empty());
}

TEST(HttpServer, GracefulStopAnswersTheRequestInFlightAndClosesIdleConnections) {
  std::promise<void> entered;
  auto entered_future = entered.get_future();
  std::atomic<bool> finished{false};
  Router router = basic_routes();
  router.add("GET", "/api/v1/slow", "public", [&](const Request&) {
    entered.set_value();
    std::this_thread::sleep_for(500ms);
    finished = true;
    return json_response(200, R"({"slow":true})");
  });
  TestServer s(std::move(router));

  Client idle(s.port());  // keep-alive, between requests
  ASSERT_TRUE(idle.send(get("/api/v1/units/1")));
  ASSERT_TRUE(idle.read_reply());

  Client busy(s.port());
  ASSERT_TRUE(busy.send(get("/api/v1/slow")));
  ASSERT_EQ(entered_future.wait_for(5s), std::future_status::ready);

  const auto t0 = std::chrono::steady_clock::now();
  s.stop();  // returns once run() has returned
  EXPECT_TRUE(finished);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);

  auto r = busy.read_reply();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"slow":true})");
  EXPECT_EQ(r->header("connection"), "close");
  EXPECT_TRUE(idle.closed_by_peer());
  // Nobody listens any more.
  EXPECT_THROW(Client(s.port()), std::runtime_error);
}

TEST(HttpServer, SigtermStopsTheServerGracefully) {
  auto options = TestServer::defaults();
  options.handle_signals = true;
  TestServer s(basic_routes(), options);
  Client idle(s.port());
  ASSERT_TRUE(idle.send(get("/api/v1/units/1")));
  ASSERT_TRUE(idle.read_reply());  // run() is serving, so the handler is installed
  std::raise(SIGTERM);
  EXPECT_TRUE(s.wait_for_exit(5s));
  EXPECT_TRUE(idle.closed_by_peer());
}

TEST(HttpServer, StopGivesUpOnStuckClientsAfterTheShutdownTimeout) {
  auto options = TestServer::defaults();
  options.shutdown_timeout = 300ms;
  TestServer s(basic_routes(), options);
  Client stuck(s.port());
  ASSERT_TRUE(stuck.send("POST /api/v1/echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"));
  std::this_thread::sleep_for(100ms);  // let the server start reading the body
  const auto t0 = std::chrono::steady_clock::now();
  s.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_TRUE(stuck.closed_by_peer());
}

TEST(HttpServer, MetricsCountRequestsPerRoute) {
  Router router = basic_routes();
  Server* server = nullptr;
  router.add("GET", "/metrics", "public", [&server](const Request&) {
    Response r;
    r.content_type = kMetricsContentType;
    r.body = server->metrics().render();
    return r;
  });
  TestServer s(std::move(router));
  server = &s.server();
  for (int i = 0; i < 3; ++i) roundtrip(s.port(), get("/api/v1/units/" + std::to_string(i)));
  roundtrip(s.port(), get("/api/v1/nowhere"));
  // Requests are recorded once their response is written, which the client
  // may see first: poll for a moment.
  const std::vector<std::string> expected = {
      R"(motcua_http_requests_total{route="/api/v1/units/{code}",method="GET",status="200"} 3)",
      R"(motcua_http_requests_total{route="unmatched",method="GET",status="404"} 1)",
      R"(motcua_http_request_duration_seconds_count{route="/api/v1/units/{code}",method="GET"} 3)",
      "motcua_http_open_connections 1\n"};
  std::optional<testing::Reply> r;
  auto all_there = [&] {
    for (const auto& line : expected)
      if (r->body.find(line) == std::string::npos) return false;
    return true;
  };
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  do {
    std::this_thread::sleep_for(10ms);
    r = roundtrip(s.port(), get("/metrics"));
    ASSERT_TRUE(r);
  } while (!all_there() && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(r->header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_TRUE(all_there()) << r->body;
}

TEST(HttpServer, AccessLogWritesOneJsonLinePerRequestWithoutTheQuery) {
  auto options = TestServer::defaults();
  options.access_log = true;
  ::testing::internal::CaptureStdout();
  {
    TestServer s(basic_routes(), options);
    auto r = roundtrip(s.port(), get("/api/v1/units/7?cccd=001099012345"));
    ASSERT_TRUE(r);
    s.stop();  // flushes
  }
  const std::string out = ::testing::internal::GetCapturedStdout();
  EXPECT_EQ(out.find("001099012345"), std::string::npos);
  const auto line = boost::json::parse(out.substr(0, out.find('\n'))).as_object();
  EXPECT_EQ(line.at("path").as_string(), "/api/v1/units/7");
  EXPECT_EQ(line.at("route").as_string(), "/api/v1/units/{code}");
  EXPECT_EQ(line.at("status").as_int64(), 200);
  EXPECT_EQ(line.at("method").as_string(), "GET");
  EXPECT_EQ(line.at("remote").as_string(), "127.0.0.1");
  EXPECT_EQ(line.at("bytes").as_int64(), 12);  // {"code":"7"}
}

// A request refused before its body is read (an anonymous upload) is logged
// by the client a trusted proxy names too, as every other request is.
TEST(HttpServer, ARequestRefusedBeforeItsBodyIsLoggedByTheProxiedClient) {
  auto options = TestServer::defaults();
  options.access_log = true;
  ASSERT_TRUE(options.trusted_proxies.add("127.0.0.1"));
  Router routes = basic_routes();
  routes.add("POST", "/api/v1/upload/{name}", "upload",
             [](const Request&) { return json_response(201, "{}"); });
  routes.set_body_limit("POST", "/api/v1/upload/{name}", 20000);
  routes.set_guard([](Request& req, const std::string& permission) -> std::optional<Response> {
    if (permission != "upload") return std::nullopt;
    EXPECT_EQ(req.remote, "203.0.113.5");
    return json_response(401, "{}");
  });
  ::testing::internal::CaptureStdout();
  {
    TestServer s(std::move(routes), options);
    Client c(s.port());
    // A request first, so that the refused one follows another on the connection.
    ASSERT_TRUE(c.send(get("/api/v1/units/1", "X-Forwarded-For: 203.0.113.4\r\n")));
    ASSERT_TRUE(c.read_reply());
    ASSERT_TRUE(c.send("POST /api/v1/upload/a HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n"
                       "X-Forwarded-For: 203.0.113.5\r\n\r\n"));
    auto r = c.read_reply();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 401);
    s.stop();  // flushes
  }
  const std::string out = ::testing::internal::GetCapturedStdout();
  std::vector<std::string> remotes;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);)
    remotes.emplace_back(boost::json::parse(line).at("remote").as_string());
  EXPECT_EQ(remotes, (std::vector<std::string>{"203.0.113.4", "203.0.113.5"}));
}

class HttpServerStatic : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = std::filesystem::temp_directory_path() /
            ("motcua_server_static_" + std::to_string(::getpid()));
    std::filesystem::remove_all(base_);
    std::filesystem::create_directories(base_ / "web");
    std::ofstream(base_ / "web" / "index.html") << "<html>motcua</html>";
    std::ofstream(base_ / "web" / "app.js") << "let x = 1;";
    std::ofstream(base_ / "secret.txt") << "top secret";
  }
  void TearDown() override { std::filesystem::remove_all(base_); }
  std::filesystem::path base_;
};

TEST_F(HttpServerStatic, ServesFilesRejectsTraversalAndRevalidates) {
  auto options = TestServer::defaults();
  options.static_dir = (base_ / "web").string();
  TestServer s(basic_routes(), options);

  auto index = roundtrip(s.port(), get("/"));
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->body, "<html>motcua</html>");
  EXPECT_EQ(index->header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(roundtrip(s.port(), get("/dossiers/abc"))->body, "<html>motcua</html>");

  auto js = roundtrip(s.port(), get("/app.js"));
  EXPECT_EQ(js->header("content-type"), "text/javascript; charset=utf-8");
  const std::string etag = js->header("etag");
  ASSERT_FALSE(etag.empty());
  Client c(s.port());
  ASSERT_TRUE(c.send(get("/app.js", "If-None-Match: " + etag + "\r\n") + get("/api/v1/units/1")));
  auto cached = c.read_reply();
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->status, 304);
  EXPECT_TRUE(cached->header("content-length").empty());
  EXPECT_EQ(c.read_reply()->body, R"({"code":"1"})");  // no stray body after the 304

  for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/x/..%2F..%2Fsecret.txt"}) {
    auto r = roundtrip(s.port(), get(target));
    ASSERT_TRUE(r) << target;
    EXPECT_EQ(r->status, 400) << target;
    EXPECT_EQ(r->body.find("top secret"), std::string::npos);
  }
  // Routes and /api/ stay with the router.
  EXPECT_EQ(roundtrip(s.port(), get("/api/v1/nothing"))->status, 404);
  EXPECT_EQ(roundtrip(s.port(), get("/api/v1/units/5"))->body, R"({"code":"5"})");
}

}  // namespace
}  // namespace motcua::http
