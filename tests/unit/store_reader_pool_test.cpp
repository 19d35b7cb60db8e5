// The reading sessions' pool: a read that holds a session does not hold up
// another (a second session opens), sessions are reused rather than opened
// again, the bound holds (a third reader waits for a session to come back),
// and a session that cannot be opened leaves the reader waiting for a busy one.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "store/reader_pool.hpp"

namespace motcua::store {
namespace {

struct FakeSession {
  int number = 0;
};

struct Opener {
  std::atomic<int> opened{0};
  bool refuse = false;
  ReaderPool<FakeSession>::Open fn() {
    return [this]() -> Result<std::unique_ptr<FakeSession>> {
      if (refuse) return make_error(ErrorKind::kUnavailable, "từ chối", "refused");
      auto s = std::make_unique<FakeSession>();
      s->number = ++opened;
      return s;
    };
  }
};

using namespace std::chrono_literals;

TEST(ReaderPool, ALongReadDoesNotHoldUpAnother) {
  Opener opener;
  ReaderPool<FakeSession> pool(std::make_unique<FakeSession>(), opener.fn(), 4);
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<int> holding;
  std::thread long_read([&] {
    pool.with([&](FakeSession& s) {
      holding.set_value(s.number);
      released.wait();
      return 0;
    });
  });
  EXPECT_EQ(holding.get_future().get(), 0);  // the first session, opened by the caller
  auto other = std::async(std::launch::async,
                          [&] { return pool.with([](FakeSession& s) { return s.number; }); });
  ASSERT_EQ(other.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(other.get(), 1);  // a second session, opened for it
  release.set_value();
  long_read.join();
  // Both idle now: reads reuse them, nothing more is opened.
  for (int i = 0; i < 5; ++i) pool.with([](FakeSession&) { return 0; });
  EXPECT_EQ(opener.opened, 1);
}

TEST(ReaderPool, AtTheBoundAReaderWaitsForASessionToComeBack) {
  Opener opener;
  ReaderPool<FakeSession> pool(std::make_unique<FakeSession>(), opener.fn(), 1);
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<void> holding;
  std::thread long_read([&] {
    pool.with([&](FakeSession&) {
      holding.set_value();
      released.wait();
      return 0;
    });
  });
  holding.get_future().wait();
  auto waiting = std::async(std::launch::async,
                            [&] { return pool.with([](FakeSession& s) { return s.number; }); });
  EXPECT_EQ(waiting.wait_for(200ms), std::future_status::timeout);
  release.set_value();
  ASSERT_EQ(waiting.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(waiting.get(), 0);
  long_read.join();
  EXPECT_EQ(opener.opened, 0);
}

TEST(ReaderPool, ARefusedOpenWaitsForABusySession) {
  Opener opener;
  opener.refuse = true;
  ReaderPool<FakeSession> pool(std::make_unique<FakeSession>(), opener.fn(), 4);
  std::promise<void> release;
  auto released = release.get_future().share();
  std::promise<void> holding;
  std::thread long_read([&] {
    pool.with([&](FakeSession&) {
      holding.set_value();
      released.wait();
      return 0;
    });
  });
  holding.get_future().wait();
  auto waiting = std::async(std::launch::async,
                            [&] { return pool.with([](FakeSession& s) { return s.number; }); });
  EXPECT_EQ(waiting.wait_for(200ms), std::future_status::timeout);
  release.set_value();
  ASSERT_EQ(waiting.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(waiting.get(), 0);
  long_read.join();
}

TEST(ReaderPool, WithoutASessionItIsEmpty) {
  Opener opener;
  ReaderPool<FakeSession> pool(nullptr, opener.fn(), 4);
  EXPECT_TRUE(pool.empty());
}

}  // namespace
}  // namespace motcua::store
