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

// A read that holds its session until release(); the session it got.
class LongRead {
 public:
  explicit LongRead(ReaderPool<FakeSession>& pool) : released_(release_.get_future().share()) {
    std::promise<int> holding;
    auto held = holding.get_future();
    thread_ = std::thread([&pool, &holding, this] {
      pool.with([&](FakeSession& s) {
        holding.set_value(s.number);
        released_.wait();
        return 0;
      });
    });
    session_ = held.get();
  }
  ~LongRead() {
    release();
    thread_.join();
  }
  void release() {
    if (!released_now_) release_.set_value();
    released_now_ = true;
  }
  int session() const { return session_; }

 private:
  std::promise<void> release_;
  std::shared_future<void> released_;
  bool released_now_ = false;
  std::thread thread_;
  int session_ = -1;
};

// Another read, started now; its future gives the session it got.
std::future<int> other_read(ReaderPool<FakeSession>& pool) {
  return std::async(std::launch::async,
                    [&pool] { return pool.with([](FakeSession& s) { return s.number; }); });
}

// While a long read holds the first session, another read waits; once it is
// released, that read gets the first session.
void expect_a_reader_waits_for_the_long_read(ReaderPool<FakeSession>& pool) {
  LongRead long_read(pool);
  auto waiting = other_read(pool);
  EXPECT_EQ(waiting.wait_for(200ms), std::future_status::timeout);
  long_read.release();
  ASSERT_EQ(waiting.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(waiting.get(), 0);
}

TEST(ReaderPool, ALongReadDoesNotHoldUpAnother) {
  Opener opener;
  ReaderPool<FakeSession> pool(std::make_unique<FakeSession>(), opener.fn(), 4);
  {
    LongRead long_read(pool);
    EXPECT_EQ(long_read.session(), 0);  // the first session, opened by the caller
    auto other = other_read(pool);
    ASSERT_EQ(other.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(other.get(), 1);  // a second session, opened for it
  }
  // Both idle now: reads reuse them, nothing more is opened.
  for (int i = 0; i < 5; ++i) pool.with([](FakeSession&) { return 0; });
  EXPECT_EQ(opener.opened, 1);
}

TEST(ReaderPool, AtTheBoundAReaderWaitsForASessionToComeBack) {
  Opener opener;
  ReaderPool<FakeSession> pool(std::make_unique<FakeSession>(), opener.fn(), 1);
  expect_a_reader_waits_for_the_long_read(pool);
  EXPECT_EQ(opener.opened, 0);
}

TEST(ReaderPool, ARefusedOpenWaitsForABusySession) {
  Opener opener;
  opener.refuse = true;
  ReaderPool<FakeSession> pool(std::make_unique<FakeSession>(), opener.fn(), 4);
  expect_a_reader_waits_for_the_long_read(pool);
}

TEST(ReaderPool, WithoutASessionItIsEmpty) {
  Opener opener;
  ReaderPool<FakeSession> pool(nullptr, opener.fn(), 4);
  EXPECT_TRUE(pool.empty());
}

}  // namespace
}  // namespace motcua::store
