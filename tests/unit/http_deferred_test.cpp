// Deferred handlers over real sockets: the reply comes later from another
// thread (the store's committer), and the connection waits for it without
// holding its io thread.
#include <gtest/gtest.h>

#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "http/error_table.hpp"
#include "http_test_support.hpp"

namespace motcua::http {
namespace {

using namespace std::chrono_literals;
using testing::Client;
using testing::get;
using testing::roundtrip;
using testing::TestServer;

// Replies handed over by handlers, waiting for a "committer" to answer them.
class Pending {
 public:
  struct Item {
    std::string id;  // the request's {id}
    Reply reply;
  };

  void push(std::string id, Reply reply) {
    std::lock_guard lock(mu_);
    items_.push_back({std::move(id), std::move(reply)});
    cv_.notify_all();
  }
  // Waits until at least n are pending; false after `limit`.
  bool wait_for(std::size_t n, std::chrono::milliseconds limit = 5s) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, limit, [&] { return items_.size() >= n; });
  }
  std::vector<Item> take() {
    std::lock_guard lock(mu_);
    return std::exchange(items_, {});
  }
  // Answers everything pending, from the calling thread: "done <id>".
  std::size_t answer_all() {
    auto items = take();
    for (auto& item : items) item.reply(json_response(200, "done " + item.id));
    return items.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Item> items_;
};

ServerOptions options(unsigned threads) {
  ServerOptions o = TestServer::defaults();
  o.threads = threads;
  return o;
}

// GET /deferred/{id} parks its reply in `pending`; GET /plain answers at once.
Router routes(Pending& pending) {
  Router r;
  r.add_deferred("GET", "/deferred/{id}", "public", [&pending](const Request& req, Reply reply) {
    pending.push(std::string(req.param("id")), std::move(reply));
  });
  r.add("GET", "/plain", "public", [](const Request&) { return json_response(200, "plain"); });
  return r;
}

TEST(HttpDeferred, AReplyFromAnotherThreadAfterADelayIsReceived) {
  Pending pending;
  TestServer s(routes(pending));
  std::thread committer([&] {
    ASSERT_TRUE(pending.wait_for(1));
    std::this_thread::sleep_for(150ms);
    pending.answer_all();
  });
  const auto t0 = std::chrono::steady_clock::now();
  auto r = roundtrip(s.port(), get("/deferred/a1"));
  committer.join();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "done a1");
  EXPECT_EQ(r->header("content-type"), "application/json");
  EXPECT_FALSE(r->header("x-request-id").empty());
  EXPECT_GE(std::chrono::steady_clock::now() - t0, 150ms);
}

TEST(HttpDeferred, OtherConnectionsAreServedWhileOneWaits) {
  Pending pending;
  TestServer s(routes(pending), options(1));  // one io thread for everything
  Client waiting(s.port());
  ASSERT_TRUE(waiting.send(get("/deferred/first")));
  ASSERT_TRUE(pending.wait_for(1));

  auto plain = roundtrip(s.port(), get("/plain"));
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->body, "plain");
  Client second(s.port());
  ASSERT_TRUE(second.send(get("/deferred/second")));
  ASSERT_TRUE(pending.wait_for(2));  // its handler ran too

  EXPECT_EQ(pending.answer_all(), 2u);
  EXPECT_EQ(waiting.read_reply()->body, "done first");
  EXPECT_EQ(second.read_reply()->body, "done second");
}

TEST(HttpDeferred, SixtyFourRequestsCommittedInOneBatchAreAllAnswered) {
  constexpr std::size_t kClients = 64;
  Pending pending;
  TestServer s(routes(pending), options(1));
  std::vector<std::unique_ptr<Client>> clients;
  for (std::size_t i = 0; i < kClients; ++i) {
    clients.push_back(std::make_unique<Client>(s.port()));
    ASSERT_TRUE(clients.back()->send(get("/deferred/" + std::to_string(i))));
  }
  std::size_t batch = 0;
  std::thread committer([&] {
    if (pending.wait_for(kClients)) batch = pending.answer_all();
  });
  committer.join();
  EXPECT_EQ(batch, kClients);  // all 64 waited at once on a single io thread
  for (std::size_t i = 0; i < kClients; ++i) {
    auto r = clients[i]->read_reply();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "done " + std::to_string(i));
  }
}

TEST(HttpDeferred, KeepAliveAndPipeliningKeepTheirOrder) {
  Pending pending;
  TestServer s(routes(pending));
  std::atomic<bool> run{true};
  std::thread committer([&] {
    while (run) {
      pending.answer_all();
      std::this_thread::sleep_for(1ms);
    }
  });
  Client c(s.port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send(get("/deferred/k" + std::to_string(i))));
    auto r = c.read_reply();
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body, "done k" + std::to_string(i));
    EXPECT_TRUE(r->header("connection").empty());
  }
  // Pipelined: the plain answer waits behind the deferred one.
  ASSERT_TRUE(c.send(get("/deferred/p1") + get("/plain") + get("/deferred/p2")));
  EXPECT_EQ(c.read_reply()->body, "done p1");
  EXPECT_EQ(c.read_reply()->body, "plain");
  EXPECT_EQ(c.read_reply()->body, "done p2");
  run = false;
  committer.join();
}

TEST(HttpDeferred, AThrowBeforeReplyingIs500AndTheConnectionGoesOn) {
  Router r;
  r.add_deferred("GET", "/throws", "public",
                 [](const Request&, Reply) { throw std::runtime_error("secret detail"); });
  r.add_deferred("GET", "/throws-after-replying", "public", [](const Request&, Reply reply) {
    reply(json_response(200, "too early"));
    throw std::runtime_error("secret detail");
  });
  r.add_deferred("GET", "/inline", "public", [](const Request&, Reply reply) {
    reply(json_response(201, "first"));
    reply(json_response(200, "second"));  // ignored
  });
  TestServer s(std::move(r));
  Client c(s.port());
  for (const char* target : {"/throws", "/throws-after-replying"}) {
    ASSERT_TRUE(c.send(get(target)));
    auto resp = c.read_reply();
    ASSERT_TRUE(resp) << target;
    EXPECT_EQ(resp->status, 500) << target;
    EXPECT_EQ(resp->header("content-type"), "application/problem+json");
    EXPECT_EQ(resp->body.find("secret detail"), std::string::npos);
  }
  ASSERT_TRUE(c.send(get("/inline")));
  auto resp = c.read_reply();
  ASSERT_TRUE(resp);
  EXPECT_EQ(resp->status, 201);
  EXPECT_EQ(resp->body, "first");
}

TEST(HttpDeferred, TheGuardRunsFirstAnd404And405AreAsForPlainRoutes) {
  Pending pending;
  Router r = routes(pending);
  r.set_guard([](Request& req, const std::string&) -> std::optional<Response> {
    if (req.header("authorization")) return std::nullopt;
    return json_response(401, "no");
  });
  TestServer s(std::move(r));
  auto refused = roundtrip(s.port(), get("/deferred/x"));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_FALSE(pending.wait_for(1, 50ms));  // the handler never ran
  EXPECT_EQ(roundtrip(s.port(), get("/deferred/x/y", "Authorization: a\r\n"))->status, 404);
  auto r405 =
      roundtrip(s.port(), "DELETE /deferred/x HTTP/1.1\r\nHost: t\r\nAuthorization: a\r\n\r\n");
  EXPECT_EQ(r405->status, 405);
  EXPECT_EQ(r405->header("allow"), "GET, HEAD");
}

TEST(HttpDeferred, RouterDispatchWaitsForTheReplyWithoutAServer) {
  Router r;
  r.add_deferred("POST", "/later", "public", [](const Request& req, Reply reply) {
    std::thread([body = req.body, reply] {
      std::this_thread::sleep_for(20ms);
      reply(json_response(202, body));
    }).detach();
  });
  Request req;
  req.method = "POST";
  req.path = "/later";
  req.body = "payload";
  std::size_t index = Router::kNoRoute;
  const Response resp = r.dispatch(req, index);
  EXPECT_EQ(resp.status, 202);
  EXPECT_EQ(resp.body, "payload");
  EXPECT_EQ(index, 0u);
}

TEST(HttpDeferred, StopWaitsForADeferredReplyWithinTheShutdownTimeout) {
  Pending pending;
  ServerOptions o = options(1);
  o.shutdown_timeout = 5s;
  TestServer s(routes(pending), o);
  Client c(s.port());
  ASSERT_TRUE(c.send(get("/deferred/late")));
  ASSERT_TRUE(pending.wait_for(1));
  std::thread stopper([&] { s.stop(); });
  std::this_thread::sleep_for(200ms);
  EXPECT_FALSE(s.wait_for_exit(0ms));  // still waiting for the reply
  pending.answer_all();
  auto r = c.read_reply();
  stopper.join();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "done late");
  EXPECT_EQ(r->header("connection"), "close");
}

TEST(HttpDeferred, StopGivesUpOnAReplyThatNeverComes) {
  Pending pending;
  ServerOptions o = options(1);
  o.shutdown_timeout = 200ms;
  auto s = std::make_unique<TestServer>(routes(pending), o);
  Client c(s->port());
  ASSERT_TRUE(c.send(get("/deferred/never")));
  ASSERT_TRUE(pending.wait_for(1));
  const auto t0 = std::chrono::steady_clock::now();
  s->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 3s);
  EXPECT_FALSE(c.read_reply());  // closed without an answer
  s.reset();
  EXPECT_EQ(pending.answer_all(), 1u);  // after the server is gone: nothing happens
}

TEST(HttpDeferred, AReplyAfterTheConnectionClosedIsHarmless) {
  Pending pending;
  ServerOptions o = options(1);
  o.read_timeout = 300ms;
  TestServer s(routes(pending), o);
  {
    Client c(s.port());
    ASSERT_TRUE(c.send(get("/deferred/slow")));
    auto r = c.read_reply();  // the server stops waiting after the read timeout
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 504);  // the write's outcome unknown, not refused
    EXPECT_EQ(r->header("connection"), "close");
    EXPECT_TRUE(c.closed_by_peer());
  }
  {
    Client c(s.port());
    ASSERT_TRUE(c.send(get("/deferred/gone")));
    ASSERT_TRUE(pending.wait_for(2));
  }                                    // the client leaves before the reply
  std::this_thread::sleep_for(400ms);  // both waits are over
  EXPECT_EQ(pending.answer_all(), 2u);
  auto r = roundtrip(s.port(), get("/plain"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "plain");
}

TEST(HttpDeferred, RequestsAreCountedPerRoute) {
  Pending pending;
  Router r = routes(pending);
  Server* server = nullptr;
  r.add("GET", "/metrics", "public",
        [&server](const Request&) { return json_response(200, server->metrics().render()); });
  TestServer s(std::move(r));
  server = &s.server();
  std::thread committer([&] {
    if (pending.wait_for(1)) pending.answer_all();
  });
  EXPECT_EQ(roundtrip(s.port(), get("/deferred/m"))->status, 200);
  committer.join();
  const std::string line =
      R"(motcua_http_requests_total{route="/deferred/{id}",method="GET",status="200"} 1)";
  std::string body;
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  do {  // recorded once written, which the client may see first
    body = roundtrip(s.port(), get("/metrics"))->body;
  } while (body.find(line) == std::string::npos && std::chrono::steady_clock::now() < deadline);
  EXPECT_NE(body.find(line), std::string::npos) << body;
}

}  // namespace
}  // namespace motcua::http
