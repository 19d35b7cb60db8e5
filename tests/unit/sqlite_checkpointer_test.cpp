// The background checkpoint of a SQLite file: once the writer's log crosses
// the wake threshold, pages reach the database file without the writer
// checkpointing; under a long stream of commits the log stays bounded; under a
// stream of small ones it rests between rounds instead of a pass per commit;
// every committed row is there afterwards; and a checkpointer that is gone
// gives the writer back SQLite's own automatic checkpoint.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "sqlite_file_test.hpp"
#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/connection.hpp"

namespace motcua::store::sqlite {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr std::int64_t kPage = 8192;
constexpr std::int64_t kWalHeader = 32;    // SQLite's WAL format
constexpr std::int64_t kFrameHeader = 24;  // before each page in the log

class CheckpointerTest : public SqliteFileTest {
 protected:
  // `rows` rows of about 4 KB in one transaction, numbered from `first`.
  void insert(int first, int rows) { SqliteFileTest::insert(*writer_, first, rows, 4000); }

  std::int64_t file_size(const std::string& suffix = "") {
    std::error_code ec;
    const auto n = fs::file_size(path_ + suffix, ec);
    return ec ? 0 : static_cast<std::int64_t>(n);
  }

  // Frames the log file has room for: its size is the longest the log has been.
  std::int64_t log_frames() { return (file_size("-wal") - kWalHeader) / (kPage + kFrameHeader); }
};

TEST_F(CheckpointerTest, PagesReachTheFileWithoutTheWriterCheckpointing) {
  Checkpointer checkpointer(*writer_, open());
  const auto before = file_size();
  // About 2,500 pages in one commit: past the wake threshold, short of inline.
  insert(1, 5000);
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while ((file_size() < before + 2000 * kPage || checkpointer.background_runs() == 0) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_GE(file_size(), before + 2000 * kPage) << "the rows never reached the database file";
  EXPECT_GE(checkpointer.background_runs(), 1);
  EXPECT_EQ(checkpointer.inline_runs(), 0);
  EXPECT_EQ(count(), 5000);
}

TEST_F(CheckpointerTest, TheLogStaysBoundedUnderAStreamOfCommits) {
  Checkpointer checkpointer(*writer_, open());
  insert(1, 1000);
  const auto one_commit = log_frames();  // about 500 pages, and the table's first page
  // 100 commits: 400 MB of log if nothing were copied back.
  for (int i = 1; i < 100; ++i) insert(i * 1000 + 1, 1000);
  EXPECT_EQ(count(), 100'000);
  // The background thread rarely catches up with a commit every few
  // milliseconds, so the writer checkpoints inline. The log then ends with the
  // commit that crossed kInlineFrames: the inline pass must neither be refused
  // because the thread is mid-pass (the log would grow by another commit each
  // time) nor keep the next commit from starting the log over.
  EXPECT_LT(log_frames(), Checkpointer::kInlineFrames + one_commit);
  EXPECT_GE(checkpointer.background_runs() + checkpointer.inline_runs(), 1);
}

TEST_F(CheckpointerTest, UnderAStreamOfSmallCommitsItRestsBetweenRounds) {
  Checkpointer checkpointer(*writer_, open());
  insert(1, 2200);  // past kWakeFrames: from here on every commit wakes the thread
  // Commits as fast as they go. Each would wake a pass, with its two syncs,
  // were the thread not resting kMinGap after each round.
  const auto runs_before = checkpointer.background_runs();
  const auto started = std::chrono::steady_clock::now();
  int commits = 0;
  while (std::chrono::steady_clock::now() - started < 500ms) {
    SqliteFileTest::insert(*writer_, 10'000 + commits * 2, 2, 100);
    ++commits;
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  const auto runs = checkpointer.background_runs() - runs_before;
  // A round is one pass, or two when a commit made during the first still
  // left kWakeFrames behind (none of these can).
  const auto rounds_allowed = elapsed / Checkpointer::kMinGap + 1;
  // Without the rest nearly every commit made a pass (1,310 passes for 1,350
  // commits here), so the bound below tells the two apart once commits
  // outnumber rounds three to one (thirteen to one here). A disk so slow
  // that they do not cannot tell; that is no failure of the thread.
  if (commits <= 3 * rounds_allowed) {
    GTEST_SKIP() << commits << " commits against " << rounds_allowed << " rounds: too slow to tell";
  }
  EXPECT_LE(runs, 2 * rounds_allowed) << commits << " commits";
  EXPECT_GE(runs, 1);
  EXPECT_EQ(count(), 2200 + 2 * commits);
}

// The thread yields to the ones that answer requests: its niceness is raised.
TEST_F(CheckpointerTest, ItsThreadRunsAtALowerPriority) {
  Checkpointer checkpointer(*writer_, open());
  int nice = -100;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  // Until the thread has named itself and set its priority (or the deadline).
  while (nice != Checkpointer::kNice && std::chrono::steady_clock::now() < deadline) {
    for (const auto& task : fs::directory_iterator("/proc/self/task")) {
      std::ifstream comm(task.path() / "comm");
      std::string name;
      std::getline(comm, name);
      if (name != "checkpoint") continue;
      // stat: "pid (comm) state ..." with nice the 19th field.
      std::ifstream stat(task.path() / "stat");
      std::string line;
      std::getline(stat, line);
      std::istringstream rest(line.substr(line.rfind(')') + 2));
      std::string field;
      for (int i = 3; i <= 19 && rest >> field; ++i) {
        if (i == 19) nice = std::stoi(field);
      }
    }
    if (nice != Checkpointer::kNice) std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(nice, Checkpointer::kNice);
}

TEST_F(CheckpointerTest, WithoutItTheWriterCheckpointsAsSqliteDoes) {
  { Checkpointer checkpointer(*writer_, open()); }
  const auto before = file_size();
  insert(1, 5000);
  // SQLite's automatic checkpoint ran inside the commit: the pages are already in the file.
  EXPECT_GE(file_size(), before + 2000 * kPage);
  EXPECT_EQ(count(), 5000);
}

}  // namespace
}  // namespace motcua::store::sqlite
