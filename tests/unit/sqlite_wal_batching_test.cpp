// The VFS that gathers a SQLite log's writes (store/sqlite/wal_batching_vfs):
// a commit's frames reach the file in a few writes, not two per page; another
// connection sees every commit as soon as it returns; a transaction larger
// than the gathering limit, pages rewritten in place after the cache spilled,
// and a rolled-back transaction leave the database whole; a writer killed
// mid-stream loses no commit it had been told was done; and a bulk load's
// commit leaves its own sync, and only that one, to its caller.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <utility>

#include "sqlite_file_test.hpp"
#include "store/sqlite/connection.hpp"
#include "store/sqlite/wal_batching_vfs.hpp"

namespace motcua::store::sqlite {
namespace {

using WalBatchingTest = SqliteFileTest;

TEST_F(WalBatchingTest, ACommitsFramesReachTheFileInAFewWrites) {
  ASSERT_NE(wal_batching_vfs(), nullptr) << "the batching VFS is not in use";
  const auto before = wal_batching_counts();
  insert(*writer_, 1, 200, 4000);  // about 100 pages: 200 writes asked
  const auto after = wal_batching_counts();
  const auto asked = after.asked - before.asked;
  const auto issued = after.issued - before.issued;
  EXPECT_GE(asked, 200);
  EXPECT_LE(issued * 20, asked) << "asked " << asked << ", issued " << issued;
  auto reader = open();
  EXPECT_EQ(scalar(*reader, "SELECT count(*) FROM t"), 200);
}

TEST_F(WalBatchingTest, AnotherConnectionSeesEachCommitAsSoonAsItReturns) {
  auto reader = open();
  for (int i = 1; i <= 300; ++i) {
    insert(*writer_, i, 1, 100 + static_cast<std::size_t>(i));
    ASSERT_EQ(scalar(*reader, "SELECT count(*) FROM t"), i);
    ASSERT_EQ(scalar(*reader, "SELECT length(pad) FROM t WHERE n = (SELECT max(n) FROM t)"),
              100 + i);
  }
}

TEST_F(WalBatchingTest, LargeSpilledRewrittenAndRolledBackTransactionsLeaveItWhole) {
  // A tiny cache spills pages to the log mid-transaction; updating them again
  // rewrites their frames in place, out of order with what was gathered.
  ASSERT_TRUE(writer_->exec("PRAGMA cache_size=16"));
  insert(*writer_, 1, 2000, 3000);  // about 6 MB: more than is gathered at once
  {
    auto txn = Transaction::begin(*writer_, true);
    ASSERT_TRUE(txn);
    ASSERT_TRUE(writer_->exec("UPDATE t SET pad = pad || 'y' WHERE n % 2 = 0"));
    ASSERT_TRUE(writer_->exec("UPDATE t SET pad = pad || 'z' WHERE n % 3 = 0"));
    ASSERT_TRUE(writer_->exec("UPDATE t SET pad = 'w' || pad WHERE n % 2 = 0"));
    ASSERT_TRUE(txn->commit());
  }
  insert(*writer_, 5000, 1500, 3000, false);  // spilled, then rolled back
  insert(*writer_, 9000, 10, 50);

  const auto check = [&](Connection& c) {
    EXPECT_EQ(scalar(c, "SELECT count(*) FROM t"), 2010);
    EXPECT_EQ(scalar(c, "SELECT count(*) FROM t WHERE n >= 5000 AND n < 9000"), 0);
    EXPECT_EQ(scalar(c, "SELECT sum(length(pad)) FROM t"), 2000 * 3000 + 1000 * 2 + 666 + 10 * 50);
    EXPECT_EQ(scalar(c, "SELECT count(*) FROM t WHERE n % 6 = 0 AND pad LIKE 'wx%yz'"), 333);
    EXPECT_EQ(text(c, "PRAGMA integrity_check"), "ok");
  };
  auto reader = open();
  check(*reader);
  reader.reset();
  writer_.reset();  // the last connection checkpoints and removes the log
  auto again = open();
  check(*again);
}

TEST_F(WalBatchingTest, AnArmedCommitLeavesOnlyItsOwnSyncToTheCaller) {
  auto reader = open();
  // Syncs of the log done, and left to the caller, since `a`.
  using Syncs = std::pair<std::int64_t, std::int64_t>;
  auto delta = [](const WalBatchingCounts& a) {
    const auto b = wal_batching_counts();
    return Syncs{b.synced - a.synced, b.left_out - a.left_out};
  };

  // Armed: the frames are in the file and published, the sync left out.
  auto before = wal_batching_counts();
  ASSERT_TRUE(writer_->skip_next_commit_sync(true));
  insert(*writer_, 1, 50, 1000);
  EXPECT_EQ(delta(before), Syncs(0, 1));
  EXPECT_GT(wal_batching_counts().left_out_from, 32) << "frames after the table's";
  EXPECT_EQ(scalar(*reader, "SELECT count(*) FROM t"), 50);
  const int fd = writer_->log_sync_descriptor();
  ASSERT_GE(fd, 0);
  EXPECT_EQ(::fdatasync(fd), 0);  // what the caller does apart
  ::close(fd);

  // Once only; and disarmed, a commit syncs itself.
  before = wal_batching_counts();
  insert(*writer_, 51, 10, 1000);
  ASSERT_TRUE(writer_->skip_next_commit_sync(true));
  ASSERT_TRUE(writer_->skip_next_commit_sync(false));
  insert(*writer_, 61, 10, 1000);
  EXPECT_EQ(delta(before), Syncs(2, 0));

  // A log started again from its beginning: its new header is synced even
  // for an armed commit (the old header must not outlive it on disk), and
  // only the commit's own sync is left out.
  // Not busy: copied whole.
  ASSERT_EQ(text(*writer_, "PRAGMA wal_checkpoint(RESTART)"), "0");
  before = wal_batching_counts();
  ASSERT_TRUE(writer_->skip_next_commit_sync(true));
  insert(*writer_, 71, 10, 1000);
  EXPECT_EQ(delta(before), Syncs(1, 1));
  EXPECT_EQ(wal_batching_counts().left_out_from, 32) << "the first frame's, after the header";
  EXPECT_EQ(scalar(*reader, "SELECT count(*) FROM t"), 80);

  // A database without a log cannot leave a sync to anyone.
  auto memory = Connection::open(":memory:");
  ASSERT_TRUE(memory);
  EXPECT_FALSE((*memory)->skip_next_commit_sync(true));
  EXPECT_EQ((*memory)->log_sync_descriptor(), -1);

  reader.reset();
  writer_.reset();
  auto again = open();
  EXPECT_EQ(scalar(*again, "SELECT count(*) FROM t"), 80);
  EXPECT_EQ(text(*again, "PRAGMA integrity_check"), "ok");
}

TEST_F(WalBatchingTest, AWriterKilledMidStreamLosesNoAcknowledgedCommit) {
  writer_.reset();
  int acks[2];
  ASSERT_EQ(::pipe(acks), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(acks[0]);
    auto c = Connection::open(path_);
    if (!c) ::_exit(2);
    for (int i = 1;; ++i) {
      auto txn = Transaction::begin(**c, true);
      auto stmt = (*c)->cached("INSERT INTO t (n, pad) VALUES (?1, ?2)");
      if (!txn || !stmt) ::_exit(3);
      {
        const std::string pad(static_cast<std::size_t>(1000 + i % 9000), 'k');
        StatementUse use(**stmt);
        use->bind(1, std::int64_t{i});
        use->bind(2, pad);  // bound without a copy: must outlive the step
        if (use->step() != SQLITE_DONE) ::_exit(4);
      }
      if (!txn->commit()) ::_exit(5);
      if (::write(acks[1], &i, sizeof i) != sizeof i) ::_exit(6);  // told it is done
    }
  }
  ::close(acks[1]);
  int acknowledged = 0;
  while (acknowledged < 400) {
    ASSERT_EQ(::read(acks[0], &acknowledged, sizeof acknowledged),
              static_cast<ssize_t>(sizeof acknowledged));
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped by itself: " << status;
  int n = 0;
  while (::read(acks[0], &n, sizeof n) == static_cast<ssize_t>(sizeof n)) acknowledged = n;
  ::close(acks[0]);

  auto after = open();
  EXPECT_GE(scalar(*after, "SELECT count(*) FROM t"), acknowledged);
  const std::string sql = "SELECT count(*) FROM t WHERE n <= " + std::to_string(acknowledged) +
                          " AND length(pad) = 1000 + n % 9000";
  EXPECT_EQ(scalar(*after, sql.c_str()), acknowledged);
  EXPECT_EQ(text(*after, "PRAGMA integrity_check"), "ok");
}

}  // namespace
}  // namespace motcua::store::sqlite
