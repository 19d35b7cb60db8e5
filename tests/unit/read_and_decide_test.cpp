// ReadAndDecide: pages handed over as they are read are decided on two
// threads, every row exactly once whatever the sizes of pages and chunks; the
// first error is the answer; a reading that fails (no finish) neither waits
// for nor decides what is left.
#include "services/read_and_decide.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>

namespace motcua::services {
namespace {

using Page = std::vector<int>;
using Lines = std::vector<int>;

// Keeps the even rows, as their values.
Result<void> keep_even(const Page& page, std::size_t begin, std::size_t end, Lines& out) {
  for (std::size_t i = begin; i < end; ++i) {
    if (page[i] % 2 == 0) out.push_back(page[i]);
  }
  return ok();
}

TEST(ReadAndDecide, EveryRowIsDecidedOnceWhateverThePagesAndChunks) {
  std::mt19937 rng(7);
  for (std::size_t chunk : {1, 3, 128, 1000}) {
    ReadAndDecide<int, int> work(keep_even, chunk);
    int next = 0;
    std::vector<int> want;
    for (int page = 0; page < 40; ++page) {
      Page p(std::uniform_int_distribution<int>(0, 300)(rng));  // empty pages too
      for (auto& v : p) {
        v = next++;
        if (v % 2 == 0) want.push_back(v);
      }
      work.add(std::move(p));
    }
    auto got = work.finish();
    ASSERT_TRUE(got);
    std::sort(got->begin(), got->end());
    EXPECT_EQ(*got, want) << "chunk " << chunk;
  }
}

TEST(ReadAndDecide, TheHelperDecidesWhileTheReaderStillReads) {
  // The reader adds one page (three chunks: work to share), then waits until
  // that page is decided before it adds the next and finishes: only the
  // helper can have decided it.
  std::atomic<int> decided{0};
  const auto reader = std::this_thread::get_id();
  std::atomic<bool> by_helper{false};
  ReadAndDecide<int, int> work(
      [&](const Page& p, std::size_t b, std::size_t e, Lines& out) {
        if (std::this_thread::get_id() != reader) by_helper = true;
        decided += static_cast<int>(e - b);
        return keep_even(p, b, e, out);
      },
      1);
  work.add(Page{2, 4, 5});
  for (int i = 0; i < 5000 && decided.load() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(decided.load(), 3);
  EXPECT_TRUE(by_helper.load());
  work.add(Page{6});
  auto got = work.finish();
  ASSERT_TRUE(got);
  std::sort(got->begin(), got->end());
  EXPECT_EQ(*got, (Lines{2, 4, 6}));
}

TEST(ReadAndDecide, AChunkOrLessIsDecidedByTheReaderAlone) {
  const auto reader = std::this_thread::get_id();
  std::atomic<bool> elsewhere{false};
  ReadAndDecide<int, int> work(
      [&](const Page& p, std::size_t b, std::size_t e, Lines& out) {
        if (std::this_thread::get_id() != reader) elsewhere = true;
        return keep_even(p, b, e, out);
      },
      100);
  work.add(Page(60, 2));
  work.add(Page(40, 4));
  // Time enough for a helper, had one been started, to take the chunks.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto got = work.finish();
  ASSERT_TRUE(got);
  EXPECT_EQ(got->size(), 100u);
  EXPECT_FALSE(elsewhere.load());
}

TEST(ReadAndDecide, TheFirstErrorIsTheAnswerAndStopsTheRest) {
  std::atomic<int> calls{0};
  ReadAndDecide<int, int> work(
      [&](const Page& p, std::size_t b, std::size_t e, Lines& out) -> Result<void> {
        ++calls;
        for (std::size_t i = b; i < e; ++i) {
          if (p[i] == 13) {
            return make_error(ErrorKind::kInternal, "hỏng ở 13", "corrupt at 13", "row");
          }
        }
        return keep_even(p, b, e, out);
      },
      1);
  Page first(20);
  for (int i = 0; i < 20; ++i) first[static_cast<std::size_t>(i)] = i;
  work.add(std::move(first));
  // Pages added after the failure are dropped, not decided.
  for (int i = 0; i < 200; ++i) work.add(Page(50, 2));
  auto got = work.finish();
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().message_en, "corrupt at 13");
  EXPECT_EQ(got.error().param, "row");
  EXPECT_LT(calls.load(), 220);
}

TEST(ReadAndDecide, AThrowingDecisionIsAnErrorOnEitherThread) {
  // One chunk a page, many pages: the helper takes some of them.
  ReadAndDecide<int, int> work(
      [](const Page& p, std::size_t b, std::size_t e, Lines& out) -> Result<void> {
        if (p[b] == 7) throw std::runtime_error("no memory left");
        return keep_even(p, b, e, out);
      },
      1);
  for (int i = 0; i < 100; ++i) work.add(Page{i % 10 == 7 ? 7 : 2});
  auto got = work.finish();
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().kind, ErrorKind::kInternal);
  EXPECT_NE(got.error().message_en.find("no memory left"), std::string::npos);
}

TEST(ReadAndDecide, AReadingThatFailsDropsWhatIsQueued) {
  std::atomic<int> calls{0};
  {
    ReadAndDecide<int, int> work(
        [&](const Page& p, std::size_t b, std::size_t e, Lines& out) {
          ++calls;
          std::this_thread::sleep_for(std::chrono::milliseconds(2));
          return keep_even(p, b, e, out);
        },
        1);
    work.add(Page(500, 2));
    // No finish(): the destructor stops the helper after its chunk at hand.
  }
  EXPECT_LT(calls.load(), 500);
}

TEST(ReadAndDecide, NothingReadIsNothingListed) {
  ReadAndDecide<int, int> work(keep_even);
  work.add(Page{});
  auto got = work.finish();
  ASSERT_TRUE(got);
  EXPECT_TRUE(got->empty());
}

}  // namespace
}  // namespace motcua::services
