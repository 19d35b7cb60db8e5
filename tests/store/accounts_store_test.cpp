// The accounts area's contract on SQLite and, when MOTCUA_TEST_PG_URL names a
// server, on PostgreSQL: users, sessions by token hash, revocation and the
// personal-data view log come back as written, and uniqueness is enforced.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "store/store.hpp"
#include "store_test_support.hpp"

namespace motcua::store {
namespace {

using test_support::describe;

class AccountsStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!db_.make(GetParam(), "a")) GTEST_SKIP() << test_support::kNoPostgres;
  }

  std::unique_ptr<Store> open_migrated() {
    auto store = open_store(db_.url());
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : describe(store.error()));
    if (!store.ok()) return nullptr;
    auto migrated = (*store)->migrate();
    EXPECT_TRUE(migrated.ok()) << (migrated.ok() ? "" : describe(migrated.error()));
    return migrated.ok() ? std::move(store).value() : nullptr;
  }

  test_support::TestDatabase db_;
};

UserRecord staff(std::string username, std::string unit) {
  UserRecord u;
  u.username = std::move(username);
  u.display_name = "Cán bộ " + u.username;
  u.kind = "staff";
  u.roles = "leader,specialist";
  u.unit_code = std::move(unit);
  u.province_code = "01";
  u.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$placeholder";
  u.created_at = 1751328000;
  return u;
}

TEST_P(AccountsStoreTest, UsersComeBackAsWrittenAndNamesAreUnique) {
  auto store = open_migrated();
  ASSERT_TRUE(store);
  auto& a = store->accounts();
  auto id = a.create_user(staff("leader.one", "00004"));
  ASSERT_OK(id);
  UserRecord citizen;
  citizen.username = citizen.id_number = "001090000001";
  citizen.display_name = "Nguyễn Văn A";
  citizen.kind = "citizen";
  citizen.roles = "citizen";
  citizen.phone = "0912345678";
  citizen.email = "a@example.vn";
  citizen.password_hash = "h";
  citizen.created_at = 1751328001;
  auto cid = a.create_user(citizen);
  ASSERT_OK(cid);

  auto found = a.find_user_by_username("leader.one");
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  const auto& u = **found;
  EXPECT_EQ(u.id, *id);
  EXPECT_EQ(u.display_name, "Cán bộ leader.one");
  EXPECT_EQ(u.roles, "leader,specialist");
  EXPECT_EQ(u.unit_code, "00004");
  EXPECT_EQ(u.province_code, "01");
  EXPECT_TRUE(u.active);
  EXPECT_EQ(u.created_at, 1751328000);
  EXPECT_EQ(u.password_changed_at, 1751328000);
  auto c = a.find_user(*cid);
  ASSERT_OK(c);
  ASSERT_TRUE(c->has_value());
  EXPECT_EQ((*c)->id_number, "001090000001");
  EXPECT_EQ((*c)->email, "a@example.vn");
  auto missing = a.find_user(*cid + 100);
  ASSERT_OK(missing);
  EXPECT_FALSE(missing->has_value());

  auto dup = a.create_user(staff("leader.one", "00008"));
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
  UserRecord same_id = citizen;
  same_id.username = "someone.else";
  auto dup2 = a.create_user(same_id);
  ASSERT_FALSE(dup2.ok());
  EXPECT_EQ(dup2.error().kind, ErrorKind::kConflict);

  ASSERT_OK(a.create_user(staff("clerk.two", "00008")));
  UserQuery q;
  q.unit_code = "00004";
  auto in_unit = a.list_users(q);
  ASSERT_OK(in_unit);
  ASSERT_EQ(in_unit->size(), 1u);
  q = UserQuery{};
  q.kind = "citizen";
  auto citizens = a.list_users(q);
  ASSERT_OK(citizens);
  ASSERT_EQ(citizens->size(), 1u);
  q = UserQuery{};
  q.after_id = *id;
  q.limit = 1;
  auto page = a.list_users(q);
  ASSERT_OK(page);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_GT((*page)[0].id, *id);
  auto n = a.count_users();
  ASSERT_OK(n);
  EXPECT_EQ(*n, 3);

  UserRecord changed = u;
  changed.roles = "unit_admin";
  changed.active = false;
  changed.updated_at = 1751400000;
  ASSERT_OK(a.update_user(changed));
  ASSERT_OK(a.set_password(u.id, "new-hash", 1751500000));
  auto after = a.find_user(u.id);
  ASSERT_OK(after);
  EXPECT_EQ((*after)->roles, "unit_admin");
  EXPECT_FALSE((*after)->active);
  EXPECT_EQ((*after)->password_hash, "new-hash");
  EXPECT_EQ((*after)->password_changed_at, 1751500000);
  changed.id = 999999;
  auto gone = a.update_user(changed);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().kind, ErrorKind::kNotFound);
}

TEST_P(AccountsStoreTest, SessionsAreFoundByHashAndRevoked) {
  auto store = open_migrated();
  ASSERT_TRUE(store);
  auto& a = store->accounts();
  auto id = a.create_user(staff("leader.one", "00004"));
  ASSERT_OK(id);
  for (const char* h : {"aa", "bb", "cc"}) {
    SessionRecord s;
    s.token_hash = h;
    s.user_id = *id;
    s.kind = "bearer";
    s.csrf_token = std::string("csrf-") + h;
    s.created_at = 100;
    s.expires_at = 200;
    s.remote = "127.0.0.1";
    ASSERT_OK(a.create_session(s));
  }
  auto s = a.find_session("bb");
  ASSERT_OK(s);
  ASSERT_TRUE(s->has_value());
  EXPECT_EQ((*s)->user_id, *id);
  EXPECT_EQ((*s)->csrf_token, "csrf-bb");
  EXPECT_EQ((*s)->expires_at, 200);
  EXPECT_EQ((*s)->revoked_at, 0);
  ASSERT_OK(a.revoke_session("aa", 150));
  auto revoked = a.find_session("aa");
  ASSERT_OK(revoked);
  EXPECT_EQ((*revoked)->revoked_at, 150);
  auto n = a.revoke_user_sessions(*id, 160, "cc");
  ASSERT_OK(n);
  EXPECT_EQ(*n, 1);  // bb; aa was already revoked, cc is kept
  auto kept = a.find_session("cc");
  ASSERT_OK(kept);
  EXPECT_EQ((*kept)->revoked_at, 0);
  auto purged = a.purge_sessions(155);
  ASSERT_OK(purged);
  EXPECT_EQ(*purged, 1);  // aa
  auto none = a.find_session("aa");
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
}

TEST_P(AccountsStoreTest, PersonalDataViewsAreKeptNewestFirstAndFiltered) {
  auto store = open_migrated();
  ASSERT_TRUE(store);
  auto& a = store->accounts();
  // The first three in one write (a page of views), then one by one.
  std::vector<PersonalDataView> page;
  for (int i = 0; i < 5; ++i) {
    PersonalDataView v;
    v.viewed_at_ms = 1751328000000 + i * 1000;
    v.viewer_id = i % 2 ? 7 : 8;
    v.viewer_username = i % 2 ? "seven" : "eight";
    v.viewer_roles = "system_admin";
    v.subject_kind = "citizen";
    v.subject_id = i < 3 ? "001090000001" : "001090000002";
    v.action = "read";
    v.route = "GET /api/v1/users/{id}";
    v.request_id = "req-" + std::to_string(i);
    v.remote = "10.0.0.1";
    page.push_back(v);
    if (i >= 2) {
      ASSERT_OK(a.record_views(page));
      page.clear();
    }
  }
  ASSERT_OK(a.record_views({}));  // nothing to write: nothing written
  ViewQuery q;
  auto all = a.list_views(q);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 5u);
  EXPECT_EQ((*all)[0].request_id, "req-4");
  EXPECT_EQ((*all)[0].viewed_at_ms, 1751328004000);
  EXPECT_EQ((*all)[4].route, "GET /api/v1/users/{id}");
  q.subject_id = "001090000001";
  auto one = a.list_views(q);
  ASSERT_OK(one);
  EXPECT_EQ(one->size(), 3u);
  q = ViewQuery{};
  q.viewer_id = 7;
  auto seven = a.list_views(q);
  ASSERT_OK(seven);
  EXPECT_EQ(seven->size(), 2u);
  q = ViewQuery{};
  q.from_ms = 1751328001000;
  q.to_ms = 1751328003000;
  auto window = a.list_views(q);
  ASSERT_OK(window);
  EXPECT_EQ(window->size(), 2u);
  q = ViewQuery{};
  q.limit = 2;
  auto page1 = a.list_views(q);
  ASSERT_OK(page1);
  q.before_id = page1->back().id;
  auto page2 = a.list_views(q);
  ASSERT_OK(page2);
  ASSERT_EQ(page2->size(), 2u);
  EXPECT_EQ((*page2)[0].request_id, "req-2");
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace motcua::store
