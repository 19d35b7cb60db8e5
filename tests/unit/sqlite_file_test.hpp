// A fixture for tests of a real SQLite file: a folder of its own per test, a
// writing connection opened as the store opens it, and a table t (n, pad) to
// fill with rows of a chosen size.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/sqlite/connection.hpp"

namespace motcua::store::sqlite {

class SqliteFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("motcua-sqlite-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "t.db").string();
    writer_ = open();
    ASSERT_TRUE(writer_->exec("CREATE TABLE t (n INTEGER PRIMARY KEY, pad TEXT NOT NULL)"));
  }
  void TearDown() override {
    writer_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::unique_ptr<Connection> open() {
    auto c = Connection::open(path_);
    EXPECT_TRUE(c) << (c ? "" : c.error().message_en);
    return c ? std::move(*c) : nullptr;
  }

  // Rows first..first+rows-1 of `size` bytes of padding, in one transaction
  // on `c`, committed or (commit false) rolled back.
  static void insert(Connection& c, int first, int rows, std::size_t size, bool commit = true) {
    auto txn = Transaction::begin(c, true);
    ASSERT_TRUE(txn);
    auto stmt = c.cached("INSERT INTO t (n, pad) VALUES (?1, ?2)");
    ASSERT_TRUE(stmt);
    const std::string pad(size, 'x');  // bound without a copy: outlives each step
    for (int i = first; i < first + rows; ++i) {
      StatementUse use(**stmt);
      use->bind(1, std::int64_t{i});
      use->bind(2, pad);
      ASSERT_EQ(use->step(), SQLITE_DONE);
    }
    if (commit) {
      ASSERT_TRUE(txn->commit());
    }
  }

  static std::int64_t scalar(Connection& c, const char* sql) {
    auto stmt = c.cached(sql);
    EXPECT_TRUE(stmt);
    StatementUse use(**stmt);
    EXPECT_EQ(use->step(), SQLITE_ROW);
    return use->column_int(0);
  }
  static std::string text(Connection& c, const char* sql) {
    auto stmt = c.cached(sql);
    EXPECT_TRUE(stmt);
    StatementUse use(**stmt);
    EXPECT_EQ(use->step(), SQLITE_ROW);
    return use->column_text(0);
  }

  // Rows in t, read on a connection of its own.
  std::int64_t count() { return scalar(*open(), "SELECT count(*) FROM t"); }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<Connection> writer_;
};

}  // namespace motcua::store::sqlite
