#include "services/recent_dossiers.hpp"

#include <gtest/gtest.h>

namespace motcua::services {
namespace {

store::DossierRecord row(const std::string& id, std::int64_t version, const std::string& code = "") {
  store::DossierRecord r;
  r.id = id;
  r.code = code;
  r.version = version;
  r.body = "{\"v\":" + std::to_string(version) + "}";
  return r;
}

TEST(RecentDossiers, AnswersOnlyAtTheVersionItHolds) {
  RecentDossiers recent(8);
  recent.put(row("HS1", 2));
  auto hit = recent.at("HS1", 2);
  ASSERT_TRUE(hit);
  EXPECT_EQ(hit->body, "{\"v\":2}");
  EXPECT_FALSE(recent.at("HS1", 1));
  EXPECT_FALSE(recent.at("HS1", 3));
  EXPECT_FALSE(recent.at("HS2", 2));
}

TEST(RecentDossiers, FindsAReceivedDossierByItsCodeToo) {
  RecentDossiers recent(8);
  recent.put(row("HS1", 1));
  EXPECT_FALSE(recent.at("H01.000.04-261203-0001", 1));
  recent.put(row("HS1", 2, "H01.000.04-261203-0001"));
  auto by_code = recent.at("H01.000.04-261203-0001", 2);
  ASSERT_TRUE(by_code);
  EXPECT_EQ(by_code->id, "HS1");
  EXPECT_TRUE(recent.at("HS1", 2));
}

// Bounded by bytes too: a megabyte of form data a dossier filled 4,096
// entries with 8 GB.
TEST(RecentDossiers, KeepsNoMoreBytesThanItsBudget) {
  RecentDossiers recent(4096, 1000);
  auto big = [](const std::string& id) {
    store::DossierRecord r = row(id, 1);
    r.body.assign(60, 'x');
    return r;
  };
  for (int i = 0; i < 100; ++i) recent.put(big("HS" + std::to_string(i)));
  EXPECT_LE(recent.bytes(), 1000u);
  EXPECT_EQ(recent.size(), 16u);  // the newest 16 of 60 bytes
  EXPECT_TRUE(recent.at("HS99", 1));
  EXPECT_FALSE(recent.at("HS0", 1));
  // One body over a sixteenth of the budget is not kept at all.
  store::DossierRecord huge = row("HSX", 1);
  huge.body.assign(100, 'y');
  recent.put(huge);
  EXPECT_FALSE(recent.at("HSX", 1));
  EXPECT_TRUE(recent.at("HS99", 1));
}

TEST(RecentDossiers, AnOlderVersionNeverReplacesANewerOne) {
  RecentDossiers recent(8);
  recent.put(row("HS1", 3));
  recent.put(row("HS1", 2));  // an answer that arrived late
  EXPECT_TRUE(recent.at("HS1", 3));
  EXPECT_FALSE(recent.at("HS1", 2));
  recent.put(row("HS1", 4));
  EXPECT_TRUE(recent.at("HS1", 4));
  EXPECT_EQ(recent.size(), 1u);
}

TEST(RecentDossiers, KeepsAtMostItsCapacityDroppingTheLongestCachedFirst) {
  RecentDossiers recent(3);
  recent.put(row("HS1", 1, "C1"));
  recent.put(row("HS2", 1));
  recent.put(row("HS3", 1));
  recent.put(row("HS1", 2, "C1"));  // HS1 is now the latest put
  recent.put(row("HS4", 1));        // HS2 goes
  EXPECT_EQ(recent.size(), 3u);
  EXPECT_FALSE(recent.at("HS2", 1));
  EXPECT_TRUE(recent.at("C1", 2));
  EXPECT_TRUE(recent.at("HS3", 1));
  EXPECT_TRUE(recent.at("HS4", 1));
  // Many versions of one dossier do not push the others out.
  for (int i = 0; i < 100; ++i) recent.put(row("HS1", 3 + i, "C1"));
  EXPECT_EQ(recent.size(), 3u);
  EXPECT_TRUE(recent.at("C1", 102));
  EXPECT_TRUE(recent.at("HS3", 1));
  EXPECT_TRUE(recent.at("HS4", 1));
  recent.put(row("HS5", 1));
  recent.put(row("HS6", 1));
  EXPECT_FALSE(recent.at("HS3", 1));
  EXPECT_FALSE(recent.at("HS4", 1));
  EXPECT_TRUE(recent.at("C1", 102));
  recent.put(row("HS7", 1));
  EXPECT_FALSE(recent.at("C1", 102));  // evicted: its code goes with it
  EXPECT_FALSE(recent.at("HS1", 102));
  EXPECT_EQ(recent.size(), 3u);
}

TEST(RecentDossiers, ZeroCapacityKeepsNothing) {
  RecentDossiers recent(0);
  recent.put(row("HS1", 1));
  EXPECT_FALSE(recent.at("HS1", 1));
}

}  // namespace
}  // namespace motcua::services
