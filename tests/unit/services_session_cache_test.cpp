// A sign-out that lands while another request is reading the same session
// from the store: the session read before it must not be kept in the cache
// afterwards (it was trusted for 30 s more: a signed-out token still worked).
#include <gtest/gtest.h>

#include <functional>
#include <utility>

#include "services/account_service.hpp"
#include "store/store.hpp"

namespace motcua {
namespace {

using store::AccountsStore;

// The real store, with a hook run once after a session is read: the moment
// another thread's sign-out lands, made to happen every time.
class ReadThenHook : public AccountsStore {
 public:
  explicit ReadThenHook(AccountsStore& real) : real_(real) {}
  std::function<void()> after_session_read;

  Result<std::optional<store::SessionRecord>> find_session(std::string_view hash) override {
    auto r = real_.find_session(hash);
    if (auto hook = std::exchange(after_session_read, nullptr)) hook();
    return r;
  }
  Result<std::int64_t> create_user(const store::UserRecord& u,
                                   const store::AccountChange* ch) override {
    return real_.create_user(u, ch);
  }
  Result<std::optional<store::UserRecord>> find_user(std::int64_t id) override {
    return real_.find_user(id);
  }
  Result<std::optional<store::UserRecord>> find_user_by_username(std::string_view n) override {
    return real_.find_user_by_username(n);
  }
  Result<std::vector<store::UserRecord>> list_users(const store::UserQuery& q) override {
    return real_.list_users(q);
  }
  Result<void> update_user(const store::UserRecord& u, const store::AccountChange* ch) override {
    return real_.update_user(u, ch);
  }
  Result<void> set_password(std::int64_t id, const std::string& hash, std::int64_t at,
                            std::optional<std::string_view> keep,
                            const store::AccountChange* ch) override {
    return real_.set_password(id, hash, at, keep, ch);
  }
  Result<std::int64_t> count_users() override { return real_.count_users(); }
  Result<void> create_session(const store::SessionRecord& s) override {
    return real_.create_session(s);
  }
  Result<void> revoke_session(std::string_view hash, std::int64_t now) override {
    return real_.revoke_session(hash, now);
  }
  Result<int> revoke_user_sessions(std::int64_t id, std::int64_t now, std::string_view except,
                                   const store::AccountChange* ch) override {
    return real_.revoke_user_sessions(id, now, except, ch);
  }
  Result<int> purge_sessions(std::int64_t before) override { return real_.purge_sessions(before); }
  Result<void> record_views(const std::vector<store::PersonalDataView>& v) override {
    return real_.record_views(v);
  }
  Result<std::vector<store::PersonalDataView>> list_views(const store::ViewQuery& q) override {
    return real_.list_views(q);
  }
  Result<std::vector<store::AccountChange>> list_changes(const store::ChangeQuery& q) override {
    return real_.list_changes(q);
  }

 private:
  AccountsStore& real_;
};

TEST(SessionCache, ASignOutDuringASessionReadIsNotUndoneByIt) {
  auto opened = store::open_store("sqlite::memory:");
  ASSERT_TRUE(opened.ok());
  auto db = std::move(*opened);
  ASSERT_TRUE(db->migrate().ok());
  ReadThenHook hooked(db->accounts());
  services::AccountService accounts(
      hooked, [](std::string_view) { return std::optional<std::string>("01"); });
  services::NewUser u;
  u.username = "clerk.two";
  u.display_name = "Clerk";
  u.roles = {"receiving_officer"};
  u.unit_code = "00004";
  u.password = "clerk-password-2";
  ASSERT_TRUE(accounts.create_user(nullptr, u).ok());
  long retry = 0;
  auto login = accounts.login("clerk.two", "clerk-password-2", "bearer", "127.0.0.1", retry);
  ASSERT_TRUE(login.ok());
  const std::string token = login->token;
  // A fresh service over the same store: its cache is empty, so the next
  // request reads the session, and the sign-out lands just after that read.
  services::AccountService other(hooked,
                                 [](std::string_view) { return std::optional<std::string>("01"); });
  hooked.after_session_read = [&] { ASSERT_TRUE(other.logout(*login->session).ok()); };
  EXPECT_NE(other.authenticate(token), nullptr);  // valid when its read began
  EXPECT_EQ(other.authenticate(token), nullptr);  // signed out: not trusted from the cache
}

}  // namespace
}  // namespace motcua
