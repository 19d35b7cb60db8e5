// The accounts area on SQLite.
#pragma once

#include "store/accounts_store.hpp"
#include "store/sqlite/database.hpp"

namespace motcua::store::sqlite {

class SqliteAccountsStore final : public AccountsStore {
 public:
  explicit SqliteAccountsStore(Database& db) : db_(db) {}

  Result<std::int64_t> create_user(const UserRecord& user,
                                   const AccountChange* change = nullptr) override;
  Result<std::optional<UserRecord>> find_user(std::int64_t id) override;
  Result<std::optional<UserRecord>> find_user_by_username(std::string_view username) override;
  Result<std::vector<UserRecord>> list_users(const UserQuery& query) override;
  Result<void> update_user(const UserRecord& user, const AccountChange* change = nullptr) override;
  Result<void> set_password(std::int64_t user_id, const std::string& hash, std::int64_t now,
                            std::optional<std::string_view> keep_session,
                            const AccountChange* change = nullptr) override;
  Result<std::int64_t> count_users() override;

  Result<void> create_session(const SessionRecord& session) override;
  Result<std::optional<SessionRecord>> find_session(std::string_view token_hash) override;
  Result<void> revoke_session(std::string_view token_hash, std::int64_t now) override;
  Result<int> revoke_user_sessions(std::int64_t user_id, std::int64_t now,
                                   std::string_view except_hash,
                                   const AccountChange* change = nullptr) override;
  Result<int> purge_sessions(std::int64_t before) override;

  Result<void> record_views(const std::vector<PersonalDataView>& views) override;
  Result<std::vector<PersonalDataView>> list_views(const ViewQuery& query) override;
  Result<std::vector<AccountChange>> list_changes(const ChangeQuery& query) override;

 private:
  Database& db_;
};

}  // namespace motcua::store::sqlite
