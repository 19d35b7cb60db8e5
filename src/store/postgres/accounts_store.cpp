#include "store/postgres/accounts_store.hpp"

#include <charconv>
#include <string>
#include <type_traits>

#include "store/accounts_rows.hpp"

namespace motcua::store::postgres {
namespace {

std::string text(const PGresult* r, int row, int col) {
  return std::string(PQgetvalue(r, row, col), PQgetlength(r, row, col));
}

std::int64_t number(const PGresult* r, int row, int col) {
  std::int64_t v = 0;
  const char* s = PQgetvalue(r, row, col);
  std::from_chars(s, s + PQgetlength(r, row, col), v);
  return v;
}

std::string str(std::int64_t v) { return std::to_string(v); }

UserRecord read_user(const PGresult* r, int i) {
  UserRecord u;
  u.id = number(r, i, 0);
  u.username = text(r, i, 1);
  u.display_name = text(r, i, 2);
  u.kind = text(r, i, 3);
  u.roles = text(r, i, 4);
  u.unit_code = text(r, i, 5);
  u.province_code = text(r, i, 6);
  u.id_number = text(r, i, 7);
  u.phone = text(r, i, 8);
  u.email = text(r, i, 9);
  u.password_hash = text(r, i, 10);
  u.active = text(r, i, 11) == "t";
  u.created_at = number(r, i, 12);
  u.updated_at = number(r, i, 13);
  u.password_changed_at = number(r, i, 14);
  return u;
}

Result<std::optional<UserRecord>> one_user(Result<PgResult> r) {
  if (!r) return r.error();
  if (PQntuples(r->get()) == 0) return std::optional<UserRecord>();
  return std::optional<UserRecord>(read_user(r->get(), 0));
}

Result<void> insert_change(Connection& c, const AccountChange& ch) {
  auto r = c.query(
      "INSERT INTO account_changes (changed_at_ms, actor_id, actor_username, subject_id,"
      " subject_username, action, detail, request_id, remote)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {str(ch.changed_at_ms), str(ch.actor_id), ch.actor_username, str(ch.subject_id),
       ch.subject_username, ch.action, ch.detail, ch.request_id, ch.remote});
  if (!r) return r.error();
  return ok();
}

// Runs `write` in one transaction with `change`, when there is one;
// `complete` fills in what only the write knew (the new id, the count). Safe
// to repeat after a lost session (Database::run): nothing committed then.
template <class T, class Write, class Complete>
Result<T> with_change(Connection& c, const AccountChange* change, Write&& write,
                      Complete&& complete) {
  auto tx = Transaction::begin(c);
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
  auto r = c.query(
      "INSERT INTO users (username, display_name, kind, roles, unit_code, province_code,"
      " id_number, phone, email, password_hash, active, created_at, updated_at,"
      " password_changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12,"
      " $12) RETURNING id",
      {u.username, u.display_name, u.kind, u.roles, u.unit_code, u.province_code, u.id_number,
       u.phone, u.email, u.password_hash, u.active ? "true" : "false", str(u.created_at)});
  if (!r) {
    if (c.last_failure().sqlstate == "23505") return user_taken();
    return r.error();
  }
  return number(r->get(), 0, 0);
}

Result<void> write_user(Connection& c, const UserRecord& u) {
  auto r = c.query(
      "UPDATE users SET display_name = $2, roles = $3, unit_code = $4, province_code = $5,"
      " phone = $6, email = $7, active = $8, updated_at = $9 WHERE id = $1",
      {str(u.id), u.display_name, u.roles, u.unit_code, u.province_code, u.phone, u.email,
       u.active ? "true" : "false", str(u.updated_at)});
  if (!r) return r.error();
  if (std::string_view(PQcmdTuples(r->get())) == "0") return user_not_found();
  return ok();
}

Result<void> write_password(Connection& c, std::int64_t user_id, const std::string& hash,
                            std::int64_t now) {
  auto r = c.query(
      "UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3"
      " WHERE id = $1",
      {str(user_id), hash, str(now)});
  if (!r) return r.error();
  return ok();
}

Result<int> revoke_all(Connection& c, std::int64_t user_id, std::int64_t now,
                       std::string_view except_hash) {
  auto r = c.query(
      "UPDATE sessions SET revoked_at = $2 WHERE user_id = $1 AND revoked_at = 0"
      " AND token_hash <> $3",
      {str(user_id), str(now), std::string(except_hash)});
  if (!r) return r.error();
  return std::atoi(PQcmdTuples(r->get()));
}

}  // namespace

Result<std::int64_t> PostgresAccountsStore::create_user(const UserRecord& u,
                                                        const AccountChange* change) {
  return db_.run<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
    auto complete = [](AccountChange& row, std::int64_t id) { row.subject_id = id; };
    return with_change<std::int64_t>(
        c, change, [&] { return insert_user(c, u); }, complete);
  });
}

Result<std::optional<UserRecord>> PostgresAccountsStore::find_user(std::int64_t id) {
  return db_.run<std::optional<UserRecord>>([&](Connection& c) {
    static const std::string sql =
        std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1";
    return one_user(c.query(sql.c_str(), {str(id)}));
  });
}

Result<std::optional<UserRecord>> PostgresAccountsStore::find_user_by_username(
    std::string_view username) {
  return db_.run<std::optional<UserRecord>>([&](Connection& c) {
    static const std::string sql =
        std::string("SELECT ") + kUserColumns + " FROM users WHERE username = $1";
    return one_user(c.query(sql.c_str(), {std::string(username)}));
  });
}

Result<std::vector<UserRecord>> PostgresAccountsStore::list_users(const UserQuery& q) {
  return db_.run<std::vector<UserRecord>>([&](Connection& c) -> Result<std::vector<UserRecord>> {
    static const std::string sql =
        std::string("SELECT ") + kUserColumns +
        " FROM users WHERE id > $1::bigint AND ($2::text = '' OR unit_code = $2)"
        " AND ($3::text = '' OR province_code = $3) AND ($4::text = '' OR kind = $4)"
        " ORDER BY id LIMIT $5";
    auto r = c.query(sql.c_str(), {str(q.after_id), q.unit_code, q.province_code, q.kind,
                                   str(static_cast<std::int64_t>(q.limit))});
    if (!r) return r.error();
    std::vector<UserRecord> out;
    for (int i = 0; i < PQntuples(r->get()); ++i) out.push_back(read_user(r->get(), i));
    return out;
  });
}

Result<void> PostgresAccountsStore::update_user(const UserRecord& u, const AccountChange* change) {
  return db_.run<void>([&](Connection& c) -> Result<void> {
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

Result<void> PostgresAccountsStore::set_password(std::int64_t user_id, const std::string& hash,
                                                 std::int64_t now,
                                                 std::optional<std::string_view> keep_session,
                                                 const AccountChange* change) {
  return db_.run<void>([&](Connection& c) -> Result<void> {
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

Result<std::int64_t> PostgresAccountsStore::count_users() {
  return db_.run<std::int64_t>([&](Connection& c) -> Result<std::int64_t> {
    auto r = c.query("SELECT count(*) FROM users");
    if (!r) return r.error();
    return number(r->get(), 0, 0);
  });
}

Result<void> PostgresAccountsStore::create_session(const SessionRecord& s) {
  return db_.run<void>([&](Connection& c) -> Result<void> {
    auto r = c.query(
        "INSERT INTO sessions (token_hash, user_id, kind, csrf_token, created_at, expires_at,"
        " revoked_at, remote) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        " ON CONFLICT (token_hash) DO NOTHING",
        {s.token_hash, str(s.user_id), s.kind, s.csrf_token, str(s.created_at), str(s.expires_at),
         str(s.revoked_at), s.remote});
    if (!r) return r.error();
    return ok();
  });
}

Result<std::optional<SessionRecord>> PostgresAccountsStore::find_session(std::string_view hash) {
  return db_.run<std::optional<SessionRecord>>(
      [&](Connection& c) -> Result<std::optional<SessionRecord>> {
        auto r = c.query(
            "SELECT token_hash, user_id, kind, csrf_token, created_at, expires_at, revoked_at,"
            " remote FROM sessions WHERE token_hash = $1",
            {std::string(hash)});
        if (!r) return r.error();
        const PGresult* res = r->get();
        if (PQntuples(res) == 0) return std::optional<SessionRecord>();
        SessionRecord s;
        s.token_hash = text(res, 0, 0);
        s.user_id = number(res, 0, 1);
        s.kind = text(res, 0, 2);
        s.csrf_token = text(res, 0, 3);
        s.created_at = number(res, 0, 4);
        s.expires_at = number(res, 0, 5);
        s.revoked_at = number(res, 0, 6);
        s.remote = text(res, 0, 7);
        return std::optional<SessionRecord>(std::move(s));
      });
}

Result<void> PostgresAccountsStore::revoke_session(std::string_view hash, std::int64_t now) {
  return db_.run<void>([&](Connection& c) -> Result<void> {
    auto r = c.query("UPDATE sessions SET revoked_at = $2 WHERE token_hash = $1 AND revoked_at = 0",
                     {std::string(hash), str(now)});
    if (!r) return r.error();
    return ok();
  });
}

Result<int> PostgresAccountsStore::revoke_user_sessions(std::int64_t user_id, std::int64_t now,
                                                        std::string_view except_hash,
                                                        const AccountChange* change) {
  return db_.run<int>([&](Connection& c) -> Result<int> {
    auto complete = [](AccountChange& row, int n) {
      row.detail = with_sessions_ended(row.detail, n);
    };
    return with_change<int>(
        c, change, [&] { return revoke_all(c, user_id, now, except_hash); }, complete);
  });
}

Result<int> PostgresAccountsStore::purge_sessions(std::int64_t before) {
  return db_.run<int>([&](Connection& c) -> Result<int> {
    auto r = c.query(
        "DELETE FROM sessions WHERE expires_at < $1 OR (revoked_at <> 0 AND revoked_at < $1)",
        {str(before)});
    if (!r) return r.error();
    return std::atoi(PQcmdTuples(r->get()));
  });
}

Result<void> PostgresAccountsStore::record_views(const std::vector<PersonalDataView>& views) {
  if (views.empty()) return ok();
  // One multi-row INSERT: a page of fifty views costs one commit, not fifty.
  std::string sql =
      "INSERT INTO personal_data_views (viewed_at_ms, viewer_id, viewer_username, viewer_roles,"
      " subject_kind, subject_id, action, route, request_id, remote) VALUES ";
  std::vector<std::string> params;
  params.reserve(views.size() * 10);
  for (const auto& v : views) {
    sql += params.empty() ? "(" : ",(";
    for (int k = 0; k < 10; ++k) sql += (k ? ",$" : "$") + std::to_string(params.size() + k + 1);
    sql += ')';
    params.insert(params.end(),
                  {str(v.viewed_at_ms), str(v.viewer_id), v.viewer_username, v.viewer_roles,
                   v.subject_kind, v.subject_id, v.action, v.route, v.request_id, v.remote});
  }
  return db_.run<void>([&](Connection& c) -> Result<void> {
    auto r = c.query(sql.c_str(), params);
    if (!r) return r.error();
    return ok();
  });
}

Result<std::vector<PersonalDataView>> PostgresAccountsStore::list_views(const ViewQuery& q) {
  return db_.run<std::vector<PersonalDataView>>(
      [&](Connection& c) -> Result<std::vector<PersonalDataView>> {
        static const std::string sql =
            std::string("SELECT ") + kViewColumns +
            " FROM personal_data_views WHERE ($1::bigint = 0 OR viewer_id = $1::bigint)"
            " AND ($2::text = '' OR subject_kind = $2) AND ($3::text = '' OR subject_id = $3)"
            " AND ($4::bigint = 0 OR viewed_at_ms >= $4::bigint)"
            " AND ($5::bigint = 0 OR viewed_at_ms < $5::bigint)"
            " AND ($6::bigint = 0 OR id < $6::bigint) ORDER BY id DESC LIMIT $7";
        auto r = c.query(sql.c_str(),
                         {str(q.viewer_id), q.subject_kind, q.subject_id, str(q.from_ms),
                          str(q.to_ms), str(q.before_id), str(static_cast<std::int64_t>(q.limit))});
        if (!r) return r.error();
        const PGresult* res = r->get();
        std::vector<PersonalDataView> out;
        for (int i = 0; i < PQntuples(res); ++i) {
          PersonalDataView v;
          v.id = number(res, i, 0);
          v.viewed_at_ms = number(res, i, 1);
          v.viewer_id = number(res, i, 2);
          v.viewer_username = text(res, i, 3);
          v.viewer_roles = text(res, i, 4);
          v.subject_kind = text(res, i, 5);
          v.subject_id = text(res, i, 6);
          v.action = text(res, i, 7);
          v.route = text(res, i, 8);
          v.request_id = text(res, i, 9);
          v.remote = text(res, i, 10);
          out.push_back(std::move(v));
        }
        return out;
      });
}

Result<std::vector<AccountChange>> PostgresAccountsStore::list_changes(const ChangeQuery& q) {
  return db_.run<std::vector<AccountChange>>(
      [&](Connection& c) -> Result<std::vector<AccountChange>> {
        static const std::string sql =
            std::string("SELECT ") + kChangeColumns +
            " FROM account_changes WHERE ($1::bigint = 0 OR subject_id = $1::bigint)"
            " AND ($2::bigint < 0 OR actor_id = $2::bigint)"
            " AND ($3::bigint = 0 OR changed_at_ms >= $3::bigint)"
            " AND ($4::bigint = 0 OR changed_at_ms < $4::bigint)"
            " AND ($5::bigint = 0 OR id < $5::bigint) ORDER BY id DESC LIMIT $6";
        auto r =
            c.query(sql.c_str(), {str(q.subject_id), str(q.actor_id), str(q.from_ms), str(q.to_ms),
                                  str(q.before_id), str(static_cast<std::int64_t>(q.limit))});
        if (!r) return r.error();
        const PGresult* res = r->get();
        std::vector<AccountChange> out;
        for (int i = 0; i < PQntuples(res); ++i) {
          AccountChange ch;
          ch.id = number(res, i, 0);
          ch.changed_at_ms = number(res, i, 1);
          ch.actor_id = number(res, i, 2);
          ch.actor_username = text(res, i, 3);
          ch.subject_id = number(res, i, 4);
          ch.subject_username = text(res, i, 5);
          ch.action = text(res, i, 6);
          ch.detail = text(res, i, 7);
          ch.request_id = text(res, i, 8);
          ch.remote = text(res, i, 9);
          out.push_back(std::move(ch));
        }
        return out;
      });
}

}  // namespace motcua::store::postgres
