// What every store test file shares: an error described for a failure
// message, ASSERT_OK for a Result, and each test's own database.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <sstream>
#include <string>

#include "common/error.hpp"
#include "common/result.hpp"

namespace motcua::store::test_support {

inline std::string describe(const Error& e) {
  return std::string(error_kind_name(e.kind)) + ": " + e.message_en + " | " + e.message_vi +
         (e.param.empty() ? "" : " [" + e.param + "]");
}

template <class T>
std::string describe(const Result<T>& r) {
  return r.ok() ? "ok" : describe(r.error());
}

inline constexpr const char* kNoPostgres =
    "PostgreSQL tests skipped: set MOTCUA_TEST_PG_URL "
    "(export MOTCUA_TEST_PG_URL=$(scripts/pg-test-cluster start build/pg))";

// One test's own database: a new SQLite file in a new temporary folder, or a
// new schema on the PostgreSQL server MOTCUA_TEST_PG_URL names (the URL sets
// search_path to it). Unique per test and process, so ctest -j may run test
// files side by side; removed again with this object.
class TestDatabase {
 public:
  TestDatabase() = default;
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;
  ~TestDatabase() { drop(); }

  // backend: "sqlite" or "postgresql"; prefix names this file's tests. False
  // when PostgreSQL is asked for and MOTCUA_TEST_PG_URL is not set (skip), or
  // its schema could not be made (reported as a failure).
  bool make(const std::string& backend, const std::string& prefix) {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::ostringstream tag;
    tag << prefix << "_" << std::hex << std::hash<std::string>{}(std::string(info->name())) << "_"
        << std::dec << getpid();
    tag_ = tag.str();
    if (backend == "sqlite") {
      dir_ = std::filesystem::path(::testing::TempDir()) / ("motcua_" + tag_);
      std::filesystem::remove_all(dir_);
      std::filesystem::create_directories(dir_);
      url_ = "sqlite:" + sqlite_file().string();
      return true;
    }
    const char* base = std::getenv("MOTCUA_TEST_PG_URL");
    if (base == nullptr || *base == '\0') return false;
    pg_base_ = base;
    if (!pg("DROP SCHEMA IF EXISTS " + tag_ + " CASCADE; CREATE SCHEMA " + tag_, false)) {
      pg_base_.clear();
      return false;
    }
    const char sep = pg_base_.find('?') == std::string::npos ? '?' : '&';
    url_ = pg_base_ + sep + "options=-csearch_path%3D" + tag_ + "&application_name=" + tag_;
    return true;
  }

  const std::string& url() const { return url_; }
  const std::string& tag() const { return tag_; }
  bool postgres() const { return !pg_base_.empty(); }
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path sqlite_file() const { return dir_ / "motcua.db"; }

  // Runs `sql` on PostgreSQL on a connection of its own (in this test's
  // schema unless told otherwise); the first value of the answer ("" when it
  // has none), or nothing after reporting the failure.
  std::optional<std::string> pg(const std::string& sql, bool in_schema = true) const {
    PGconn* conn = PQconnectdb(pg_base_.c_str());
    std::optional<std::string> value;
    if (PQstatus(conn) != CONNECTION_OK) {
      ADD_FAILURE() << "cannot connect to " << pg_base_ << ": " << PQerrorMessage(conn);
    } else {
      PQsetNoticeProcessor(
          conn, [](void*, const char*) {}, nullptr);
      const std::string text = in_schema ? "SET search_path TO " + tag_ + "; " + sql : sql;
      PGresult* r = PQexec(conn, text.c_str());
      const auto status = PQresultStatus(r);
      if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        ADD_FAILURE() << sql.substr(0, 300) << ": " << PQresultErrorMessage(r);
      } else {
        value = (status == PGRES_TUPLES_OK && PQntuples(r) > 0) ? PQgetvalue(r, 0, 0) : "";
      }
      PQclear(r);
    }
    PQfinish(conn);
    return value;
  }

 private:
  void drop() {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!pg_base_.empty()) pg("DROP SCHEMA IF EXISTS " + tag_ + " CASCADE", false);
  }

  std::string tag_, url_, pg_base_;
  std::filesystem::path dir_;
};

}  // namespace motcua::store::test_support

#define ASSERT_OK(expr)                                                                     \
  do {                                                                                      \
    const auto& r_ = (expr);                                                                \
    ASSERT_TRUE(r_.ok()) << #expr << " -> " << ::motcua::store::test_support::describe(r_); \
  } while (0)
