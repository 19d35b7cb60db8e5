#include "store/sqlite/accounts_store.hpp"

#include <string>
#include <type_traits>

#include "store/accounts_rows.hpp"

namespace motcua::store::sqlite {
namespace {

UserRecord read_user(StatementUse& use) {
  UserRecord u;
  u.id = use->column_int(0);
  u.username = use->column_text(1);
  u.display_name = use->column_text(2);
  u.kind = use->column_text(3);
  u.roles = use->column_text(4);
  u.unit_code = use->column_text(5);
  u.province_code = use->column_text(6);
  u.id_number = use->column_text(7);
  u.phone = use->column_text(8);
  u.email = use->column_text(9);
  u.password_hash = use->column_text(10);
  u.active = use->column_int(11) != 0;
  u.created_at = use->column_int(12);
  u.updated_at = use->column_int(13);
  u.password_changed_at = use->column_int(14);
  return u;
}

SessionRecord read_session(StatementUse& use) {
  SessionRecord s;
  s.token_hash = use->column_text(0);
  s.user_id = use->column_int(1);
  s.kind = use->column_text(2);
  s.csrf_token = use->column_text(3);
  s.created_at = use->column_int(4);
  s.expires_at = use->column_int(5);
  s.revoked_at = use->column_int(6);
  s.remote = use->column_text(7);
  return s;
}

bool is_unique_violation(const Connection& c) {
  const int code = c.extended_errcode();
  return code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY;
}

Result<std::optional<UserRecord>> one_user(Connection& c, Statement& stmt) {
  StatementUse use(stmt);
  const int rc = use->step();
  if (rc == SQLITE_ROW) return std::optional<UserRecord>(read_user(use));
  if (rc == SQLITE_DONE) return std::optional<UserRecord>();
  return c.error("đọc tài khoản", "reading an account");
}

Result<void> insert_change(Connection& c, const AccountChange& ch) {
  auto stmt = c.cached(
      "INSERT INTO account_changes (changed_at_ms, actor_id, actor_username, subject_id,"
      " subject_username, action, detail, request_id, remote)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (!stmt) return stmt.error();
  StatementUse use(**stmt);
  use->bind(1, ch.changed_at_ms);
  use->bind(2, ch.actor_id);
  use->bind(3, ch.actor_username);
  use->bind(4, ch.subject_id);
  use->bind(5, ch.subject_username);
  use->bind(6, ch.action);
  use->bind(7, ch.detail);
  use->bind(8, ch.request_id);
  use->bind(9, ch.remote);
  if (use->step() != SQLITE_DONE)
    return c.error("ghi nhật ký thay đổi tài khoản", "logging an account change");
  return ok();
}

// Runs `write` in one transaction with `change`, when there is one;
// `complete` fills in what only the write knew (the new id, the count).
template <class T, class Write, class Complete>
Result<T> with_change(Connection& c, const AccountChange* change, Write&& write,
                      Complete&& complete) {
  auto tx = Transaction::begin(c, true);
  if (!tx) return tx.error();
  Result<T> done = write();
  if (!done) return done;
  if (change) {
    AccountChange row = *change;
    if constexpr (std::is_void_v<T>)
      complete(row);
    else
      complete(row, *done);
    if (auto r = insert_change(c, row); !r) return r.error();
  }
  if (auto r = tx->commit(); !r) return r.error();
  return done;
}

Result<std::int64_t> insert_user(Connection& c, const UserRecord& u) {
  auto stmt = c.cached(
      "INSERT INTO users (username, display_name, kind, roles, unit_code, province_code,"
      " id_number, phone, email, password_hash, active, created_at, updated_at,"
      " password_changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12,"
      " ?12) RETURNING id");
  if (!stmt) return stmt.error();
  StatementUse use(**stmt);
  use->bind(1, u.username);
  use->bind(2, u.display_name);
  use->bind(3, u.kind);
  use->bind(4, u.roles);
  use->bind(5, u.unit_code);
  use->bind(6, u.province_code);
  use->bind(7, u.id_number);
  use->bind(8, u.phone);
  use->bind(9, u.email);
  use->bind(10, u.password_hash);
  use->bind(11, std::int64_t{u.active ? 1 : 0});
  use->bind(12, u.created_at);
  const int rc = use->step();
  if (rc == SQLITE_ROW) return use->column_int(0);
  if (is_unique_violation(c)) return user_taken();
  return c.error("tạo tài khoản", "creating an account");
}

Result<void> write_user(Connection& c, const UserRecord& u) {
  auto stmt = c.cached(
      "UPDATE users SET display_name = ?2, roles = ?3, unit_code = ?4, province_code = ?5,"
      " phone = ?6, email = ?7, active = ?8, updated_at = ?9 WHERE id = ?1 RETURNING id");
  if (!stmt) return stmt.error();
  StatementUse use(**stmt);
  use->bind(1, u.id);
  use->bind(2, u.display_name);
  use->bind(3, u.roles);
  use->bind(4, u.unit_code);
  use->bind(5, u.province_code);
  use->bind(6, u.phone);
  use->bind(7, u.email);
  use->bind(8, std::int64_t{u.active ? 1 : 0});
  use->bind(9, u.updated_at);
  const int rc = use->step();
  if (rc == SQLITE_ROW) return ok();
  if (rc == SQLITE_DONE) return user_not_found();
  return c.error("sửa tài khoản", "updating an account");
}

Result<void> write_password(Connection& c, std::int64_t user_id, const std::string& hash,
                            std::int64_t now) {
  auto stmt = c.cached(
      "UPDATE users SET password_hash = ?2, password_changed_at = ?3, updated_at = ?3"
      " WHERE id = ?1");
  if (!stmt) return stmt.error();
  StatementUse use(**stmt);
  use->bind(1, user_id);
  use->bind(2, hash);
  use->bind(3, now);
  if (use->step() != SQLITE_DONE) return c.error("đổi mật khẩu", "changing a password");
  return ok();
}

Result<int> revoke_all(Connection& c, std::int64_t user_id, std::int64_t now,
                       std::string_view except_hash) {
  auto stmt = c.cached(
      "UPDATE sessions SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at = 0"
      " AND token_hash <> ?3 RETURNING 1");
  if (!stmt) return stmt.error();
  StatementUse use(**stmt);
  use->bind(1, user_id);
  use->bind(2, now);
  use->bind(3, except_hash);
  int n = 0, rc;
  while ((rc = use->step()) == SQLITE_ROW) ++n;
  if (rc != SQLITE_DONE) return c.error("thu hồi phiên", "revoking sessions");
  return n;
}

}  // namespace

Result<std::int64_t> SqliteAccountsStore::create_user(const UserRecord& u,
                                                      const AccountChange* change) {
  return db_.with([&](Connection& c) -> Result<std::int64_t> {
    auto complete = [](AccountChange& row, std::int64_t id) { row.subject_id = id; };
    return with_change<std::int64_t>(
        c, change, [&] { return insert_user(c, u); }, complete);
  });
}

Result<std::optional<UserRecord>> SqliteAccountsStore::find_user(std::int64_t id) {
  return db_.with([&](Connection& c) -> Result<std::optional<UserRecord>> {
    static const std::string sql =
        std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?1";
    auto stmt = c.cached(sql.c_str());
    if (!stmt) return stmt.error();
    (*stmt)->bind(1, id);
    return one_user(c, **stmt);
  });
}

Result<std::optional<UserRecord>> SqliteAccountsStore::find_user_by_username(
    std::string_view username) {
  return db_.with([&](Connection& c) -> Result<std::optional<UserRecord>> {
    static const std::string sql =
        std::string("SELECT ") + kUserColumns + " FROM users WHERE username = ?1";
    auto stmt = c.cached(sql.c_str());
    if (!stmt) return stmt.error();
    (*stmt)->bind(1, username);
    return one_user(c, **stmt);
  });
}

Result<std::vector<UserRecord>> SqliteAccountsStore::list_users(const UserQuery& q) {
  return db_.with([&](Connection& c) -> Result<std::vector<UserRecord>> {
    static const std::string sql =
        std::string("SELECT ") + kUserColumns +
        " FROM users WHERE id > ?1 AND (?2 = '' OR unit_code = ?2)"
        " AND (?3 = '' OR province_code = ?3) AND (?4 = '' OR kind = ?4) ORDER BY id LIMIT ?5";
    auto stmt = c.cached(sql.c_str());
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, q.after_id);
    use->bind(2, q.unit_code);
    use->bind(3, q.province_code);
    use->bind(4, q.kind);
    use->bind(5, static_cast<std::int64_t>(q.limit));
    std::vector<UserRecord> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) out.push_back(read_user(use));
    if (rc != SQLITE_DONE) return c.error("liệt kê tài khoản", "listing accounts");
    return out;
  });
}

Result<void> SqliteAccountsStore::update_user(const UserRecord& u, const AccountChange* change) {
  return db_.with([&](Connection& c) -> Result<void> {
    auto write = [&]() -> Result<int> {
      if (auto r = write_user(c, u); !r) return r.error();
      return u.active ? 0 : revoke_all(c, u.id, u.updated_at, "");
    };
    auto complete = [&](AccountChange& row, int n) {
      if (!u.active) row.detail = with_sessions_ended(row.detail, n);
    };
    auto done = with_change<int>(c, change, write, complete);
    if (!done) return done.error();
    return ok();
  });
}

Result<void> SqliteAccountsStore::set_password(std::int64_t user_id, const std::string& hash,
                                               std::int64_t now,
                                               std::optional<std::string_view> keep_session,
                                               const AccountChange* change) {
  return db_.with([&](Connection& c) -> Result<void> {
    auto write = [&]() -> Result<int> {
      if (auto r = write_password(c, user_id, hash, now); !r) return r.error();
      return keep_session ? revoke_all(c, user_id, now, *keep_session) : 0;
    };
    auto complete = [&](AccountChange& row, int n) {
      if (keep_session) row.detail = with_sessions_ended(row.detail, n);
    };
    auto done = with_change<int>(c, change, write, complete);
    if (!done) return done.error();
    return ok();
  });
}

Result<std::int64_t> SqliteAccountsStore::count_users() {
  return db_.with([&](Connection& c) -> Result<std::int64_t> {
    auto stmt = c.cached("SELECT count(*) FROM users");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    if (use->step() != SQLITE_ROW) return c.error("đếm tài khoản", "counting accounts");
    return use->column_int(0);
  });
}

Result<void> SqliteAccountsStore::create_session(const SessionRecord& s) {
  return db_.with([&](Connection& c) -> Result<void> {
    auto stmt = c.cached(
        "INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, expires_at,"
        " revoked_at, remote) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, s.token_hash);
    use->bind(2, s.user_id);
    use->bind(3, s.kind);
    use->bind(4, s.csrf_token);
    use->bind(5, s.created_at);
    use->bind(6, s.expires_at);
    use->bind(7, s.revoked_at);
    use->bind(8, s.remote);
    if (use->step() != SQLITE_DONE) return c.error("tạo phiên đăng nhập", "creating a session");
    return ok();
  });
}

Result<std::optional<SessionRecord>> SqliteAccountsStore::find_session(std::string_view hash) {
  return db_.with([&](Connection& c) -> Result<std::optional<SessionRecord>> {
    auto stmt = c.cached(
        "SELECT token_hash, user_id, kind, csrf_token, created_at, expires_at, revoked_at, remote"
        " FROM sessions WHERE token_hash = ?1");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, hash);
    const int rc = use->step();
    if (rc == SQLITE_ROW) return std::optional<SessionRecord>(read_session(use));
    if (rc == SQLITE_DONE) return std::optional<SessionRecord>();
    return c.error("đọc phiên đăng nhập", "reading a session");
  });
}

Result<void> SqliteAccountsStore::revoke_session(std::string_view hash, std::int64_t now) {
  return db_.with([&](Connection& c) -> Result<void> {
    auto stmt =
        c.cached("UPDATE sessions SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at = 0");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, hash);
    use->bind(2, now);
    if (use->step() != SQLITE_DONE) return c.error("thu hồi phiên", "revoking a session");
    return ok();
  });
}

Result<int> SqliteAccountsStore::revoke_user_sessions(std::int64_t user_id, std::int64_t now,
                                                      std::string_view except_hash,
                                                      const AccountChange* change) {
  return db_.with([&](Connection& c) -> Result<int> {
    auto complete = [](AccountChange& row, int n) {
      row.detail = with_sessions_ended(row.detail, n);
    };
    return with_change<int>(
        c, change, [&] { return revoke_all(c, user_id, now, except_hash); }, complete);
  });
}

Result<int> SqliteAccountsStore::purge_sessions(std::int64_t before) {
  return db_.with([&](Connection& c) -> Result<int> {
    auto stmt = c.cached(
        "DELETE FROM sessions WHERE expires_at < ?1 OR (revoked_at <> 0 AND revoked_at < ?1)"
        " RETURNING 1");
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, before);
    int n = 0, rc;
    while ((rc = use->step()) == SQLITE_ROW) ++n;
    if (rc != SQLITE_DONE) return c.error("dọn phiên cũ", "purging sessions");
    return n;
  });
}

Result<void> SqliteAccountsStore::record_views(const std::vector<PersonalDataView>& views) {
  if (views.empty()) return ok();
  // One multi-row INSERT: a page of fifty views costs one commit, not fifty.
  std::string sql =
      "INSERT INTO personal_data_views (viewed_at_ms, viewer_id, viewer_username, viewer_roles,"
      " subject_kind, subject_id, action, route, request_id, remote) VALUES ";
  for (std::size_t i = 0; i < views.size(); ++i)
    sql += i ? ",(?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?)";
  return db_.with([&](Connection& c) -> Result<void> {
    auto stmt = c.cached(sql.c_str());
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    int n = 0;
    for (const auto& v : views) {
      use->bind(++n, v.viewed_at_ms);
      use->bind(++n, v.viewer_id);
      use->bind(++n, v.viewer_username);
      use->bind(++n, v.viewer_roles);
      use->bind(++n, v.subject_kind);
      use->bind(++n, v.subject_id);
      use->bind(++n, v.action);
      use->bind(++n, v.route);
      use->bind(++n, v.request_id);
      use->bind(++n, v.remote);
    }
    if (use->step() != SQLITE_DONE)
      return c.error("ghi nhật ký xem dữ liệu cá nhân", "logging a personal-data view");
    return ok();
  });
}

Result<std::vector<PersonalDataView>> SqliteAccountsStore::list_views(const ViewQuery& q) {
  return db_.with([&](Connection& c) -> Result<std::vector<PersonalDataView>> {
    static const std::string sql =
        std::string("SELECT ") + kViewColumns +
        " FROM personal_data_views WHERE (?1 = 0 OR viewer_id = ?1)"
        " AND (?2 = '' OR subject_kind = ?2) AND (?3 = '' OR subject_id = ?3)"
        " AND (?4 = 0 OR viewed_at_ms >= ?4) AND (?5 = 0 OR viewed_at_ms < ?5)"
        " AND (?6 = 0 OR id < ?6) ORDER BY id DESC LIMIT ?7";
    auto stmt = c.cached(sql.c_str());
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, q.viewer_id);
    use->bind(2, q.subject_kind);
    use->bind(3, q.subject_id);
    use->bind(4, q.from_ms);
    use->bind(5, q.to_ms);
    use->bind(6, q.before_id);
    use->bind(7, static_cast<std::int64_t>(q.limit));
    std::vector<PersonalDataView> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) {
      PersonalDataView v;
      v.id = use->column_int(0);
      v.viewed_at_ms = use->column_int(1);
      v.viewer_id = use->column_int(2);
      v.viewer_username = use->column_text(3);
      v.viewer_roles = use->column_text(4);
      v.subject_kind = use->column_text(5);
      v.subject_id = use->column_text(6);
      v.action = use->column_text(7);
      v.route = use->column_text(8);
      v.request_id = use->column_text(9);
      v.remote = use->column_text(10);
      out.push_back(std::move(v));
    }
    if (rc != SQLITE_DONE)
      return c.error("đọc nhật ký xem dữ liệu cá nhân", "reading the personal-data view log");
    return out;
  });
}

Result<std::vector<AccountChange>> SqliteAccountsStore::list_changes(const ChangeQuery& q) {
  return db_.with([&](Connection& c) -> Result<std::vector<AccountChange>> {
    static const std::string sql =
        std::string("SELECT ") + kChangeColumns +
        " FROM account_changes WHERE (?1 = 0 OR subject_id = ?1) AND (?2 < 0 OR actor_id = ?2)"
        " AND (?3 = 0 OR changed_at_ms >= ?3) AND (?4 = 0 OR changed_at_ms < ?4)"
        " AND (?5 = 0 OR id < ?5) ORDER BY id DESC LIMIT ?6";
    auto stmt = c.cached(sql.c_str());
    if (!stmt) return stmt.error();
    StatementUse use(**stmt);
    use->bind(1, q.subject_id);
    use->bind(2, q.actor_id);
    use->bind(3, q.from_ms);
    use->bind(4, q.to_ms);
    use->bind(5, q.before_id);
    use->bind(6, static_cast<std::int64_t>(q.limit));
    std::vector<AccountChange> out;
    int rc;
    while ((rc = use->step()) == SQLITE_ROW) {
      AccountChange ch;
      ch.id = use->column_int(0);
      ch.changed_at_ms = use->column_int(1);
      ch.actor_id = use->column_int(2);
      ch.actor_username = use->column_text(3);
      ch.subject_id = use->column_int(4);
      ch.subject_username = use->column_text(5);
      ch.action = use->column_text(6);
      ch.detail = use->column_text(7);
      ch.request_id = use->column_text(8);
      ch.remote = use->column_text(9);
      out.push_back(std::move(ch));
    }
    if (rc != SQLITE_DONE)
      return c.error("đọc nhật ký thay đổi tài khoản", "reading the account-change log");
    return out;
  });
}

}  // namespace motcua::store::sqlite
