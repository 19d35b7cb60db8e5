// The accounts area's contract on SQLite and, when MOTCUA_TEST_PG_URL names a
// server, on PostgreSQL: users, sessions by token hash, revocation, the
// personal-data view log and the account-change log come back as written,
// uniqueness is enforced, and a change and its record are written together.
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
  ASSERT_OK(a.set_password(u.id, "new-hash", 1751500000, std::nullopt));
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

AccountChange change(const char* action, std::int64_t actor_id, std::int64_t subject_id,
                     std::int64_t at_ms) {
  AccountChange ch;
  ch.changed_at_ms = at_ms;
  ch.actor_id = actor_id;
  ch.actor_username = actor_id ? "admin.one" : "";
  ch.subject_id = subject_id;
  ch.subject_username = "leader.one";
  ch.action = action;
  ch.request_id = std::string("req-") + action;
  ch.remote = "10.0.0.2";
  return ch;
}

void add_session(AccountsStore& a, const char* hash, std::int64_t user_id) {
  SessionRecord s;
  s.token_hash = hash;
  s.user_id = user_id;
  s.kind = "bearer";
  s.csrf_token = "csrf";
  s.created_at = 100;
  s.expires_at = 200;
  s.remote = "127.0.0.1";
  ASSERT_OK(a.create_session(s));
}

TEST_P(AccountsStoreTest, AccountChangesAreKeptWithTheChangeNewestFirstAndFiltered) {
  auto store = open_migrated();
  ASSERT_TRUE(store);
  auto& a = store->accounts();
  auto created = change("create", 0, 0, 1751328000000);  // the command line; id from the store
  created.detail = "kind: staff; roles: leader,specialist; unit: 00004";
  auto id = a.create_user(staff("leader.one", "00004"), &created);
  ASSERT_OK(id);
  auto u = a.find_user(*id);
  ASSERT_OK(u);
  UserRecord changed = **u;
  changed.roles = "specialist";
  auto updated = change("update", 5, *id, 1751328001000);
  updated.detail = "roles: leader,specialist → specialist";
  ASSERT_OK(a.update_user(changed, &updated));
  auto reset = change("password_reset", 5, *id, 1751328002000);
  ASSERT_OK(a.set_password(*id, "new-hash", 1751328002, "", &reset));
  add_session(a, "aa", *id);
  add_session(a, "bb", *id);
  auto revoked = change("sessions_revoked", 5, *id, 1751328003000);
  auto n = a.revoke_user_sessions(*id, 150, "", &revoked);
  ASSERT_OK(n);
  EXPECT_EQ(*n, 2);
  ASSERT_OK(a.update_user(changed));  // no record given: none written

  ChangeQuery q;
  auto all = a.list_changes(q);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0].action, "sessions_revoked");
  EXPECT_EQ((*all)[0].detail, "sessions ended: 2");
  EXPECT_EQ((*all)[1].action, "password_reset");
  EXPECT_EQ((*all)[2].detail, "roles: leader,specialist → specialist");
  const auto& first = (*all)[3];
  EXPECT_EQ(first.action, "create");
  EXPECT_EQ(first.subject_id, *id);  // filled in by the store
  EXPECT_EQ(first.subject_username, "leader.one");
  EXPECT_EQ(first.actor_id, 0);
  EXPECT_EQ(first.changed_at_ms, 1751328000000);
  EXPECT_EQ(first.request_id, "req-create");
  EXPECT_EQ(first.remote, "10.0.0.2");
  q.actor_id = 0;
  auto by_cli = a.list_changes(q);
  ASSERT_OK(by_cli);
  ASSERT_EQ(by_cli->size(), 1u);
  q = ChangeQuery{};
  q.actor_id = 5;
  auto by_admin = a.list_changes(q);
  ASSERT_OK(by_admin);
  EXPECT_EQ(by_admin->size(), 3u);
  q = ChangeQuery{};
  q.subject_id = *id + 1;
  auto other = a.list_changes(q);
  ASSERT_OK(other);
  EXPECT_TRUE(other->empty());
  q = ChangeQuery{};
  q.from_ms = 1751328001000;
  q.to_ms = 1751328003000;
  auto window = a.list_changes(q);
  ASSERT_OK(window);
  ASSERT_EQ(window->size(), 2u);
  EXPECT_EQ((*window)[0].action, "password_reset");
  q = ChangeQuery{};
  q.limit = 3;
  auto page1 = a.list_changes(q);
  ASSERT_OK(page1);
  ASSERT_EQ(page1->size(), 3u);
  q.before_id = page1->back().id;
  auto page2 = a.list_changes(q);
  ASSERT_OK(page2);
  ASSERT_EQ(page2->size(), 1u);
  EXPECT_EQ((*page2)[0].action, "create");
}

// A change that fails leaves no record; a record that cannot be written
// (here: an action the table refuses) leaves no change.
TEST_P(AccountsStoreTest, AChangeAndItsRecordAreWrittenTogetherOrNotAtAll) {
  auto store = open_migrated();
  ASSERT_TRUE(store);
  auto& a = store->accounts();
  auto id = a.create_user(staff("leader.one", "00004"));
  ASSERT_OK(id);
  auto created = change("create", 5, 0, 1751328000000);
  auto dup = a.create_user(staff("leader.one", "00008"), &created);
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().kind, ErrorKind::kConflict);
  UserRecord ghost = staff("ghost", "00004");
  ghost.id = *id + 100;
  auto updated = change("update", 5, ghost.id, 1751328000000);
  auto gone = a.update_user(ghost, &updated);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().kind, ErrorKind::kNotFound);
  auto none = a.list_changes(ChangeQuery{});
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());

  auto bad = change("bogus", 5, *id, 1751328000000);
  EXPECT_FALSE(a.create_user(staff("clerk.two", "00004"), &bad).ok());
  auto clerk = a.find_user_by_username("clerk.two");
  ASSERT_OK(clerk);
  EXPECT_FALSE(clerk->has_value());
  add_session(a, "aa", *id);
  UserRecord changed = staff("leader.one", "00004");
  changed.id = *id;
  changed.roles = "specialist";
  changed.active = false;  // would end the session too
  EXPECT_FALSE(a.update_user(changed, &bad).ok());
  EXPECT_FALSE(a.set_password(*id, "new-hash", 1751328002, "", &bad).ok());
  auto kept = a.find_user(*id);
  ASSERT_OK(kept);
  EXPECT_EQ((*kept)->roles, "leader,specialist");
  EXPECT_TRUE((*kept)->active);
  EXPECT_EQ((*kept)->password_hash, staff("", "").password_hash);
  EXPECT_FALSE(a.revoke_user_sessions(*id, 150, "", &bad).ok());
  auto live = a.find_session("aa");
  ASSERT_OK(live);
  EXPECT_EQ((*live)->revoked_at, 0);
  auto still_none = a.list_changes(ChangeQuery{});
  ASSERT_OK(still_none);
  EXPECT_TRUE(still_none->empty());
}

// A new password or a disabled account ends the sessions in the same
// transaction as the change and its record, which counts them.
TEST_P(AccountsStoreTest, ANewPasswordOrADisablingEndsSessionsWithTheChange) {
  auto store = open_migrated();
  ASSERT_TRUE(store);
  auto& a = store->accounts();
  auto id = a.create_user(staff("leader.one", "00004"));
  ASSERT_OK(id);
  auto revoked = [&](const char* hash) {
    auto s = a.find_session(hash);
    return s.ok() && s->has_value() && (*s)->revoked_at != 0;
  };
  add_session(a, "aa", *id);
  add_session(a, "bb", *id);
  ASSERT_OK(a.set_password(*id, "rehash", 1751328001, std::nullopt));  // same password
  EXPECT_FALSE(revoked("aa"));
  EXPECT_FALSE(revoked("bb"));
  auto own = change("password_change", *id, *id, 1751328002000);
  own.detail = "password: replaced";
  ASSERT_OK(a.set_password(*id, "own-hash", 1751328002, "bb", &own));
  EXPECT_TRUE(revoked("aa"));
  EXPECT_FALSE(revoked("bb"));  // the session that changed it
  add_session(a, "cc", *id);
  auto reset = change("password_reset", 5, *id, 1751328003000);
  reset.detail = "password: replaced";
  ASSERT_OK(a.set_password(*id, "reset-hash", 1751328003, "", &reset));
  EXPECT_TRUE(revoked("bb"));
  EXPECT_TRUE(revoked("cc"));
  add_session(a, "dd", *id);
  auto u = a.find_user(*id);
  ASSERT_OK(u);
  UserRecord off = **u;
  off.active = false;
  off.updated_at = 1751328004;
  auto disabled = change("update", 5, *id, 1751328004000);
  disabled.detail = "active: true → false";
  ASSERT_OK(a.update_user(off, &disabled));
  EXPECT_TRUE(revoked("dd"));
  auto log = a.list_changes(ChangeQuery{});
  ASSERT_OK(log);
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].detail, "active: true → false; sessions ended: 1");
  EXPECT_EQ((*log)[1].detail, "password: replaced; sessions ended: 2");
  EXPECT_EQ((*log)[2].detail, "password: replaced; sessions ended: 1");
}

INSTANTIATE_TEST_SUITE_P(Backends, AccountsStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace motcua::store
