#include "services/account_service.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <ctime>
#include <mutex>
#include <stdexcept>
#include <utility>

#include "services/password_hash.hpp"
#include "store/accounts_rows.hpp"
#include "text/blank.hpp"

namespace motcua::services {
namespace {

using access::Permission;
using access::Role;
using access::Scope;

std::int64_t now_seconds() { return static_cast<std::int64_t>(std::time(nullptr)); }

Error bad(const char* param, std::string vi, std::string en) {
  return make_error(ErrorKind::kBadRequest, std::move(vi), std::move(en), param);
}

Error wrong_credentials() {
  return make_error(ErrorKind::kUnauthorized, "Tên đăng nhập hoặc mật khẩu không đúng.",
                    "The username or password is incorrect.");
}

Error forbidden_account() {
  return make_error(ErrorKind::kForbidden, "Tài khoản này nằm ngoài phạm vi quản lý của bạn.",
                    "This account is outside your jurisdiction.");
}

std::string lower_trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

Result<void> check_username(const std::string& u) {
  const bool chars_ok = std::all_of(u.begin(), u.end(), [](unsigned char c) {
    return std::islower(c) || std::isdigit(c) || c == '.' || c == '_' || c == '-';
  });
  if (u.size() < 3 || u.size() > 64 || !chars_ok)
    return bad("username",
               "Tên đăng nhập gồm 3 đến 64 ký tự: chữ thường không dấu, chữ số, '.', '_' hoặc '-'.",
               "A username has 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'.");
  return ok();
}

Result<void> check_contact(const std::string& phone, const std::string& email) {
  if (!phone.empty()) {
    std::string_view p = phone;
    if (p.front() == '+') p.remove_prefix(1);
    if (!all_digits(p) || p.size() < 9 || p.size() > 15)
      return bad("phone", "Số điện thoại gồm 9 đến 15 chữ số, có thể bắt đầu bằng '+'.",
                 "A phone number has 9 to 15 digits, optionally after '+'.");
  }
  if (!email.empty()) {
    const auto at = email.find('@');
    if (email.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= email.size() ||
        email.find('@', at + 1) != std::string::npos ||
        email.find_first_of(" \t\r\n") != std::string::npos)
      return bad("email", "Địa chỉ thư điện tử không hợp lệ.", "The email address is not valid.");
  }
  return ok();
}

Result<void> check_display_name(const std::string& name) {
  if (text::blank(name) || name.size() > 200)
    return bad("display_name", "Tên hiển thị là bắt buộc, tối đa 200 byte.",
               "A display name is required, at most 200 bytes.");
  return ok();
}

std::string join_roles(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& r : roles) {
    if (!out.empty()) out += ',';
    out += r;
  }
  return out;
}

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The log row of `action` on `subject` by `actor` (null: the command line).
store::AccountChange change_row(const access::Principal* actor, const store::UserRecord& subject,
                                const char* action, std::string detail,
                                const ViewContext& context) {
  store::AccountChange ch;
  ch.changed_at_ms = now_ms();
  if (actor) {
    ch.actor_id = actor->user_id;
    ch.actor_username = actor->username;
  }
  ch.subject_id = subject.id;
  ch.subject_username = subject.username;
  ch.action = action;
  ch.detail = std::move(detail);
  ch.request_id = context.request_id;
  ch.remote = context.remote;
  return ch;
}

// "name: old → new", appended when the value changed ("" shown as such).
void note_change(std::string& detail, const char* name, const std::string& before,
                 const std::string& after) {
  if (before == after) return;
  auto shown = [](const std::string& v) { return v.empty() ? std::string("\"\"") : v; };
  if (!detail.empty()) detail += "; ";
  detail += std::string(name) + ": " + shown(before) + " → " + shown(after);
}

// What an update changed, old → new; "" when nothing did. No password here:
// the row holds none.
std::string changes_between(const store::UserRecord& a, const store::UserRecord& b) {
  std::string d;
  note_change(d, "display_name", a.display_name, b.display_name);
  note_change(d, "roles", a.roles, b.roles);
  note_change(d, "unit", a.unit_code, b.unit_code);
  note_change(d, "province", a.province_code, b.province_code);
  note_change(d, "phone", a.phone, b.phone);
  note_change(d, "email", a.email, b.email);
  note_change(d, "active", a.active ? "true" : "false", b.active ? "true" : "false");
  return d;
}

// A new account as created: its kind and placement (contact and password left out).
std::string created_detail(const store::UserRecord& u) {
  std::string d = "kind: " + u.kind + "; roles: " + u.roles;
  if (!u.unit_code.empty()) d += "; unit: " + u.unit_code;
  if (!u.province_code.empty()) d += "; province: " + u.province_code;
  return d;
}

}  // namespace

namespace {

// Whether `p` is one character (of any script: a UTF-8 sequence) repeated.
bool one_character_repeated(std::string_view p) {
  const auto lead = static_cast<unsigned char>(p.front());
  const std::size_t n = lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  if (p.size() % n) return false;
  for (std::size_t i = n; i < p.size(); i += n)
    if (p.substr(i, n) != p.substr(0, n)) return false;
  return true;
}

// Whether `p` is one run of consecutive digits or letters, going up or down
// by one (0123456789, 9876543210, abcdefghij, AbCdEfGhIj); going round from
// 9 to 0 as on a keyboard's row (1234567890), and from z to a.
bool consecutive_run(std::string_view p) {
  // A character's class and place in it: digits 0-9, letters 0-25, else none.
  auto place = [](unsigned char c) -> std::pair<int, int> {
    if (std::isdigit(c)) return {10, c - '0'};
    if (std::isalpha(c)) return {26, std::tolower(c) - 'a'};
    return {0, 0};
  };
  int step = 0;
  for (std::size_t i = 1; i < p.size(); ++i) {
    const auto [n, a] = place(static_cast<unsigned char>(p[i - 1]));
    const auto [m, b] = place(static_cast<unsigned char>(p[i]));
    if (n == 0 || n != m) return false;
    const int d = (b - a + n) % n;
    const int s = d == 1 ? 1 : d == n - 1 ? -1 : 0;
    if (s == 0 || (step != 0 && s != step)) return false;
    step = s;
  }
  return true;
}

// Every new password, whoever sets it (creation, an admin's reset, one's
// own change), passes here. The rules are NIST SP 800-63B's: a length and no
// password easy to guess from the account or by trying the obvious; no
// composition rules (they make passwords harder to remember, not to guess).
Result<void> check_password(std::string_view password, std::string_view username,
                            const char* param) {
  if (password.size() < 10 || password.size() > 128)
    return bad(param, "Mật khẩu phải dài từ 10 đến 128 byte.",
               "A password must be 10 to 128 bytes long.");
  const char* choose_vi = " Hãy chọn một cụm từ dài mà bạn dễ nhớ và người khác khó đoán.";
  const char* choose_en = " Choose a long phrase that you remember and others cannot guess.";
  auto folded = [](std::string_view text) {
    std::string out(text);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  // Usernames are ASCII (a citizen's is their ID number); one of three
  // characters would refuse too many passwords by chance.
  if (username.size() >= 4) {
    if (folded(password).find(folded(username)) != std::string::npos)
      return bad(param, std::string("Mật khẩu không được chứa tên đăng nhập.") + choose_vi,
                 std::string("A password may not contain the username.") + choose_en);
  }
  if (one_character_repeated(password))
    return bad(param, std::string("Mật khẩu không được chỉ là một ký tự lặp lại.") + choose_vi,
               std::string("A password may not be one character repeated.") + choose_en);
  if (consecutive_run(password))
    return bad(param,
               std::string("Mật khẩu không được là một dãy chữ số hoặc chữ cái liên tiếp (như "
                           "0123456789 hay abcdefghij).") +
                   choose_vi,
               std::string("A password may not be a run of consecutive digits or letters (such "
                           "as 0123456789 or abcdefghij).") +
                   choose_en);
  return ok();
}

}  // namespace

Result<void> check_password_rules(std::string_view password, const char* param) {
  return check_password(password, {}, param);
}

AccountService::AccountService(store::AccountsStore& store, ProvinceOf province_of,
                               AccountOptions options)
    : store_(store),
      province_of_(std::move(province_of)),
      options_(options),
      throttle_(options.throttle) {
  init_crypto();
  auto dummy = hash_password(random_token());
  if (!dummy) throw std::runtime_error("cannot hash the placeholder password");
  dummy_hash_ = std::move(*dummy);
}

access::Principal AccountService::principal_of(const store::UserRecord& u) {
  access::Principal p;
  p.user_id = u.id;
  p.username = u.username;
  std::string_view rest = u.roles;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    if (auto r = access::role_from_name(rest.substr(0, comma))) p.roles |= access::role_bit(*r);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  p.unit_code = u.unit_code;
  p.province_code = u.province_code;
  if (u.kind == "citizen") p.citizen_id = u.id_number;
  return p;
}

access::Target AccountService::target_of(const store::UserRecord& u) {
  access::Target t;
  if (u.kind == "citizen") {
    t.owner_citizen_id = u.id_number;
    t.national_only = true;  // a person's account: only national administrators manage it
    return t;
  }
  // An account is as far-reaching as its widest role, wherever it sits: a
  // system administrator or a province supervisor placed at a commune is not
  // the commune's to manage (its unit administrator could otherwise reset
  // their password and sign in as them).
  Scope widest = Scope::kNone;
  const auto roles = principal_of(u).roles;
  for (int r = 0; r < access::kRoleCount; ++r) {
    const auto role = static_cast<Role>(r);
    if (roles & access::role_bit(role)) widest = std::max(widest, access::home_scope(role));
  }
  if (widest <= Scope::kUnit) t.unit_code = u.unit_code;
  if (widest <= Scope::kProvince) t.province_code = u.province_code;
  t.national_only = t.unit_code.empty() && t.province_code.empty();
  return t;
}

// One try of a password for account `name` from `remote` (and from known
// `device`, if not empty), counted by the throttle: kTooManyRequests (and
// `retry_after`) while it is held back; else whether `check` found it right
// (an error of its own is not counted).
Result<bool> AccountService::attempt(const std::string& name, std::string_view remote,
                                     long& retry_after, const std::function<Result<bool>()>& check,
                                     std::string_view device) {
  retry_after = 0;
  const auto now = LoginThrottle::Clock::now();
  bool busy = false;
  if (long wait = throttle_.begin(name, remote, now, &busy, device); wait > 0) {
    retry_after = wait;
    if (busy) {
      return make_error(ErrorKind::kTooManyRequests,
                        "Tài khoản này đang có nhiều lần đăng nhập cùng lúc. Vui lòng thử lại sau "
                        "1 giây.",
                        "Too many sign-ins to this account at once. Try again in a second.");
    }
    return make_error(
        ErrorKind::kTooManyRequests,
        "Nhập sai mật khẩu quá nhiều lần. Vui lòng thử lại sau " + std::to_string(wait) + " giây.",
        "Too many wrong passwords. Try again in " + std::to_string(wait) + " seconds.");
  }
  struct Under_way {  // until its failure or success is counted
    LoginThrottle& throttle;
    const std::string& name;
    std::string_view device;
    ~Under_way() { throttle.end(name, device); }
  } under_way{throttle_, name, device};
  auto right = check();
  if (!right) return right;
  if (*right)
    throttle_.succeeded(name, device);
  else
    throttle_.failed(name, remote, now, device);
  return right;
}

Result<LoginResult> AccountService::login(std::string_view username, std::string_view password,
                                          std::string_view kind, std::string_view remote,
                                          long& retry_after, std::string_view device_token) {
  const std::string name = lower_trimmed(username);
  const std::string device = devices_.id_of(device_token, name);
  std::optional<store::UserRecord> found;
  auto right = attempt(
      name, remote, retry_after,
      [&]() -> Result<bool> {
        if (name.empty() || name.size() > 128 || password.size() > 1024) return false;
        auto row = store_.find_user_by_username(name);
        if (!row) return row.error();
        found = std::move(*row);
        const bool usable = found && found->active;
        // Hash either way, so an unknown account takes as long as a wrong password.
        return verify_password(usable ? found->password_hash : dummy_hash_, password) && usable;
      },
      device);
  if (!right) return right.error();
  if (!*right) return wrong_credentials();
  store::UserRecord user = std::move(*found);
  const std::int64_t t = now_seconds();
  if (password_needs_rehash(user.password_hash)) {
    if (auto h = hash_password(password); h && store_.set_password(user.id, *h, t, std::nullopt)) {
      user.password_hash = *h;
    }
  }

  store::SessionRecord rec;
  LoginResult out;
  out.device_token = device.empty() ? devices_.issue(name) : std::string(device_token);
  out.token = random_token();
  rec.token_hash = token_hash(out.token);
  rec.user_id = user.id;
  rec.kind = kind == "cookie" ? "cookie" : "bearer";
  rec.csrf_token = random_token();
  rec.created_at = t;
  rec.expires_at = t + options_.session_ttl.count();
  rec.remote = std::string(remote.substr(0, 64));
  if (auto r = store_.create_session(rec); !r) return r.error();

  auto session = std::make_shared<AuthSession>();
  session->principal = principal_of(user);
  session->token_hash = rec.token_hash;
  session->csrf_token = rec.csrf_token;
  session->kind = rec.kind;
  session->expires_at = rec.expires_at;
  {
    std::unique_lock lock(cache_mutex_);
    cache_[rec.token_hash] = Cached{session, std::chrono::steady_clock::now()};
  }
  out.session = std::move(session);
  user.password_hash.clear();
  out.user = std::move(user);
  return out;
}

std::string AccountService::device_cookie_name(std::string_view username) {
  return KnownDevices::cookie_name(lower_trimmed(username));
}

Result<bool> AccountService::is_specialist_of(const std::string& user_id, const std::string& unit) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(user_id.data(), user_id.data() + user_id.size(), id);
  if (ec != std::errc() || end != user_id.data() + user_id.size()) return false;
  auto user = store_.find_user(id);
  if (!user) return user.error();
  if (!*user) return false;
  const auto& u = **user;
  const std::string roles = "," + u.roles + ",";
  return u.active && u.kind == "staff" && u.unit_code == unit &&
         roles.find(",specialist,") != std::string::npos;
}

Result<std::vector<store::UserRecord>> AccountService::specialists_of(const std::string& unit) {
  std::vector<store::UserRecord> out;
  store::UserQuery q;
  q.unit_code = unit;
  q.kind = "staff";
  q.limit = 500;
  for (;;) {
    auto page = store_.list_users(q);
    if (!page) return page.error();
    for (auto& u : *page) {
      if (u.active && ("," + u.roles + ",").find(",specialist,") != std::string::npos) {
        out.push_back(std::move(u));
      }
    }
    if (page->size() < q.limit) return out;
    q.after_id = page->back().id;
  }
}

Result<int> AccountService::purge_old_sessions() {
  return store_.purge_sessions(now_seconds() - 86400);
}

std::shared_ptr<const AuthSession> AccountService::authenticate(std::string_view token) {
  if (token.size() != 43) return nullptr;
  const std::string hash = token_hash(token);
  const auto steady = std::chrono::steady_clock::now();
  {
    std::shared_lock lock(cache_mutex_);
    auto it = cache_.find(hash);
    if (it != cache_.end() && steady - it->second.checked < options_.revalidate) {
      if (it->second.session->expires_at > now_seconds()) return it->second.session;
      return nullptr;
    }
  }
  return load_session(hash);
}

std::shared_ptr<const AuthSession> AccountService::load_session(const std::string& hash) {
  auto forget = [&] {
    std::unique_lock lock(cache_mutex_);
    cache_.erase(hash);
    return nullptr;
  };
  std::uint64_t forgotten_before = 0;
  {
    std::shared_lock lock(cache_mutex_);
    forgotten_before = forgotten_;
  }
  auto rec = store_.find_session(hash);
  if (!rec || !rec->has_value()) return forget();
  const auto& s = **rec;
  if (s.revoked_at != 0 || s.expires_at <= now_seconds()) return forget();
  auto user = store_.find_user(s.user_id);
  if (!user || !user->has_value() || !(*user)->active) return forget();
  auto session = std::make_shared<AuthSession>();
  session->principal = principal_of(**user);
  session->token_hash = s.token_hash;
  session->csrf_token = s.csrf_token;
  session->kind = s.kind;
  session->expires_at = s.expires_at;
  std::unique_lock lock(cache_mutex_);
  if (forgotten_ != forgotten_before) return session;  // valid when read; not kept
  if (cache_.size() > 100000) {
    const auto t = now_seconds();
    std::erase_if(cache_, [&](const auto& kv) { return kv.second.session->expires_at <= t; });
  }
  cache_[hash] = Cached{session, std::chrono::steady_clock::now()};
  return session;
}

void AccountService::forget_user_sessions(std::int64_t user_id, std::string_view except_hash) {
  std::unique_lock lock(cache_mutex_);
  ++forgotten_;
  std::erase_if(cache_, [&](const auto& kv) {
    return kv.second.session->principal.user_id == user_id && kv.first != except_hash;
  });
}

Result<void> AccountService::logout(const AuthSession& session) {
  if (auto r = store_.revoke_session(session.token_hash, now_seconds()); !r) return r;
  std::unique_lock lock(cache_mutex_);
  ++forgotten_;
  cache_.erase(session.token_hash);
  return ok();
}

Result<void> AccountService::change_password(const AuthSession& session, std::string_view current,
                                             std::string_view next, const ViewContext& context,
                                             long& retry_after) {
  const std::string_view remote = context.remote;
  retry_after = 0;
  auto user = store_.find_user(session.principal.user_id);
  if (!user) return user.error();
  if (!user->has_value()) return store::user_not_found();
  auto right =
      attempt(lower_trimmed((*user)->username), remote, retry_after, [&]() -> Result<bool> {
        return current.size() <= 1024 && verify_password((*user)->password_hash, current);
      });
  if (!right) return right.error();
  if (!*right)
    return make_error(ErrorKind::kForbidden, "Mật khẩu hiện tại không đúng.",
                      "The current password is incorrect.", "current_password");
  if (auto r = check_password(next, (*user)->username, "new_password"); !r) return r;
  auto hash = hash_password(next);
  if (!hash) return hash.error();
  const auto t = now_seconds();
  const auto row =
      change_row(&session.principal, **user, "password_change", "password: replaced", context);
  // The other sessions end with the change, in its transaction.
  if (auto r = store_.set_password((*user)->id, *hash, t, session.token_hash, &row); !r) return r;
  forget_user_sessions((*user)->id, session.token_hash);
  return ok();
}

Result<void> AccountService::check_roles(const access::Principal* actor,
                                         const std::vector<std::string>& roles,
                                         std::string& unit_code, std::string& province_code) {
  if (roles.empty())
    return bad("roles", "Tài khoản cán bộ cần ít nhất một vai trò.",
               "A staff account needs at least one role.");
  bool needs_unit = false, needs_province = false;
  access::RoleSet seen = 0;
  for (const auto& name : roles) {
    auto role = access::role_from_name(name);
    if (!role || *role == Role::kCitizen)
      return bad("roles", "Vai trò không hợp lệ: " + name + ".",
                 "Unknown staff role: " + name + ".");
    // A role is held or not: a second copy would be stored and shown as such.
    if (seen & access::role_bit(*role))
      return bad("roles", "Vai trò " + name + " được ghi hai lần; mỗi vai trò chỉ ghi một lần.",
                 "The role " + name + " is listed twice; list each role once.");
    seen |= access::role_bit(*role);
    needs_unit = needs_unit || access::home_scope(*role) == Scope::kUnit;
    needs_province = needs_province || access::home_scope(*role) == Scope::kProvince;
  }
  if (!unit_code.empty()) {
    auto province = province_of_(unit_code);
    if (!province)
      return make_error(ErrorKind::kUnprocessable, "Không có đơn vị mã " + unit_code + ".",
                        "No unit with code " + unit_code + ".", "unit_code");
    // A unit's account belongs to the unit's province: another one given
    // beside it is a mistake to point out, not to replace in silence.
    if (!province_code.empty() && province_code != *province)
      return make_error(ErrorKind::kUnprocessable,
                        "Đơn vị " + unit_code + " thuộc tỉnh " + *province + ", không phải " +
                            province_code + ": hãy ghi đúng tỉnh của đơn vị, hoặc bỏ mã tỉnh.",
                        "The unit " + unit_code + " belongs to province " + *province + ", not " +
                            province_code + ": give its province, or leave the province out.",
                        "province_code");
    province_code = *province;
  } else if (!province_code.empty()) {
    auto province = province_of_(province_code);
    if (!province || *province != province_code)
      return make_error(ErrorKind::kUnprocessable, "Không có tỉnh mã " + province_code + ".",
                        "No province with code " + province_code + ".", "province_code");
  }
  if (needs_unit && unit_code.empty())
    return bad("unit_code", "Vai trò này cần mã đơn vị.", "This role needs a unit code.");
  if (needs_province && province_code.empty())
    return bad("province_code", "Vai trò giám sát tỉnh cần mã tỉnh.",
               "A province supervisor needs a province code.");
  if (!actor) return ok();
  // An administrator grants only roles that reach no further than they do.
  const Scope reach = access::granted_scope(actor->roles, access::Permission::kUsersAdmin);
  for (const auto& name : roles)
    if (access::home_scope(*access::role_from_name(name)) > reach)
      return make_error(ErrorKind::kForbidden, "Bạn không có quyền cấp vai trò " + name + ".",
                        "You may not grant the role " + name + ".", "roles");
  return ok();
}

Result<store::UserRecord> AccountService::create_user(const access::Principal* actor,
                                                      const NewUser& in,
                                                      const ViewContext& context) {
  store::UserRecord u;
  u.kind = in.kind;
  u.display_name = in.display_name;
  u.phone = in.phone;
  u.email = lower_trimmed(in.email);
  if (in.kind == "citizen") {
    if (in.id_number.size() != 12 || !all_digits(in.id_number))
      return bad("id_number", "Số định danh cá nhân gồm đúng 12 chữ số.",
                 "A personal identification number has exactly 12 digits.");
    u.id_number = in.id_number;
    u.username = in.id_number;
    u.roles = "citizen";
    if (in.phone.empty() && in.email.empty())
      return bad("phone", "Công dân cần số điện thoại hoặc địa chỉ thư điện tử.",
                 "A citizen needs a phone number or an email address.");
  } else if (in.kind == "staff") {
    u.username = lower_trimmed(in.username);
    if (auto r = check_username(u.username); !r) return r.error();
    if (all_digits(u.username))
      return bad("username",
                 "Tên đăng nhập của cán bộ không được chỉ gồm chữ số (tên chỉ gồm chữ "
                 "số dành cho số định danh của công dân).",
                 "A staff username may not be digits only (those are citizens' numbers).");
    u.unit_code = in.unit_code;
    u.province_code = in.province_code;
    if (auto r = check_roles(actor, in.roles, u.unit_code, u.province_code); !r) return r.error();
    u.roles = join_roles(in.roles);
  } else {
    return bad("kind", "Loại tài khoản là 'staff' hoặc 'citizen'.",
               "The account kind is 'staff' or 'citizen'.");
  }
  if (auto r = check_display_name(u.display_name); !r) return r.error();
  if (auto r = check_contact(u.phone, u.email); !r) return r.error();
  if (auto r = check_password(in.password, u.username, "password"); !r) return r.error();
  if (actor && !access::decide(*actor, Permission::kUsersAdmin, target_of(u)).allowed)
    return forbidden_account();
  auto hash = hash_password(in.password);
  if (!hash) return hash.error();
  u.password_hash = std::move(*hash);
  u.active = true;
  u.created_at = u.updated_at = u.password_changed_at = now_seconds();
  const auto row = change_row(actor, u, "create", created_detail(u), context);  // id: the store's
  auto id = store_.create_user(u, &row);
  if (!id) return id.error();
  u.id = *id;
  u.password_hash.clear();
  return u;
}

Result<store::UserRecord> AccountService::user_in_reach(const access::Principal& actor,
                                                        std::int64_t id) {
  auto user = store_.find_user(id);
  if (!user) return user.error();
  if (!user->has_value()) return store::user_not_found();
  if (!access::decide(actor, Permission::kUsersAdmin, target_of(**user)).allowed)
    return forbidden_account();
  return std::move(**user);
}

Result<store::UserRecord> AccountService::get_user(const access::Principal& actor,
                                                   std::int64_t id) {
  auto u = user_in_reach(actor, id);
  if (u) u->password_hash.clear();
  return u;
}

Result<store::UserRecord> AccountService::get_user_self(std::int64_t id) {
  auto user = store_.find_user(id);
  if (!user) return user.error();
  if (!user->has_value()) return store::user_not_found();
  (*user)->password_hash.clear();
  return std::move(**user);
}

Result<std::vector<store::UserRecord>> AccountService::list_users(const access::Principal& actor,
                                                                  store::UserQuery query) {
  access::Target wanted{query.unit_code, query.province_code, "", false};
  if (!query.unit_code.empty()) {
    auto p = province_of_(query.unit_code);
    wanted.province_code = p ? *p : "?";
  }
  const auto d = access::decide(actor, Permission::kUsersAdmin, wanted);
  if (!d.allowed) return forbidden_account();
  if (d.scope == Scope::kUnit) {
    query.unit_code = actor.unit_code;
    query.kind = query.kind.empty() || query.kind == "staff" ? "staff" : "none";
  } else if (d.scope == Scope::kProvince) {
    query.province_code = actor.province_code;
    query.kind = query.kind.empty() || query.kind == "staff" ? "staff" : "none";
  }
  // Only the accounts the actor may read one by one: a unit may hold one
  // that reaches further (a province's supervisor placed there). Read on
  // until the page is full, so that skipping one does not end the listing.
  std::vector<store::UserRecord> out;
  while (true) {
    auto rows = store_.list_users(query);
    if (!rows) return rows.error();
    for (auto& u : *rows) {
      if (out.size() == query.limit) break;
      if (!access::decide(actor, Permission::kUsersAdmin, target_of(u)).allowed) continue;
      u.password_hash.clear();
      out.push_back(std::move(u));
    }
    if (out.size() == query.limit || rows->size() < query.limit) break;
    query.after_id = rows->back().id;
  }
  return out;
}

Result<store::UserRecord> AccountService::update_user(const access::Principal& actor,
                                                      std::int64_t id, const UserChanges& ch,
                                                      const ViewContext& context) {
  auto found = user_in_reach(actor, id);
  if (!found) return found.error();
  const store::UserRecord before = *found;
  store::UserRecord u = std::move(*found);
  if (ch.display_name) u.display_name = *ch.display_name;
  if (ch.phone) u.phone = *ch.phone;
  if (ch.email) u.email = lower_trimmed(*ch.email);
  if (ch.active) u.active = *ch.active;
  const bool moved = ch.roles || ch.unit_code;
  if (moved && u.id == actor.user_id) {
    // Else an administrator, who does not read dossiers, could make
    // themselves a leader and read them: another administrator decides.
    return make_error(ErrorKind::kForbidden,
                      "Bạn không thể tự đổi vai trò hay đơn vị của mình; hãy nhờ một quản trị "
                      "viên khác.",
                      "You cannot change your own roles or unit; ask another administrator.",
                      ch.roles ? "roles" : "unit_code");
  }
  if (moved) {
    if (u.kind == "citizen")
      return bad("roles", "Tài khoản công dân không có vai trò hay đơn vị để thay đổi.",
                 "A citizen account has no roles or unit to change.");
    std::vector<std::string> roles;
    if (ch.roles) {
      roles = *ch.roles;
    } else {
      // The roles as stored, once each: an account saved with a role twice
      // (before that was refused) can still be moved to another unit.
      std::string_view rest = u.roles;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view name = rest.substr(0, comma);
        if (std::find(roles.begin(), roles.end(), name) == roles.end()) roles.emplace_back(name);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
    std::string unit = ch.unit_code ? *ch.unit_code : u.unit_code;
    std::string province = unit.empty() ? u.province_code : "";
    if (auto r = check_roles(&actor, roles, unit, province); !r) return r.error();
    u.roles = join_roles(roles);
    u.unit_code = unit;
    u.province_code = province;
    // The account must stay within the administrator's reach after the move.
    if (!access::decide(actor, Permission::kUsersAdmin, target_of(u)).allowed)
      return forbidden_account();
  }
  if (auto r = check_display_name(u.display_name); !r) return r.error();
  if (auto r = check_contact(u.phone, u.email); !r) return r.error();
  if (u.kind == "citizen" && u.phone.empty() && u.email.empty())
    return bad("phone", "Công dân cần số điện thoại hoặc địa chỉ thư điện tử.",
               "A citizen needs a phone number or an email address.");
  const auto t = now_seconds();
  u.updated_at = t;
  const std::string detail = changes_between(before, u);
  const auto row = change_row(&actor, u, "update", detail, context);
  // A disabled account's sessions end in the same transaction.
  if (auto r = store_.update_user(u, detail.empty() ? nullptr : &row); !r) return r.error();
  // Sessions pick up new roles, unit or a disabled flag at once.
  forget_user_sessions(u.id, "");
  u.password_hash.clear();
  return u;
}

Result<void> AccountService::reset_password(const access::Principal& actor, std::int64_t id,
                                            std::string_view password, const ViewContext& context) {
  if (id == actor.user_id) {
    // A reset needs no current password and counts no guess: one's own is
    // changed knowing it (POST /api/v1/auth/password).
    return make_error(ErrorKind::kForbidden,
                      "Hãy đổi mật khẩu của chính mình bằng chức năng đổi mật khẩu (cần mật khẩu "
                      "hiện tại).",
                      "Change your own password with the password change (it asks for the "
                      "current one).",
                      "id");
  }
  auto u = user_in_reach(actor, id);
  if (!u) return u.error();
  if (auto r = check_password(password, u->username, "password"); !r) return r;
  auto hash = hash_password(password);
  if (!hash) return hash.error();
  const auto t = now_seconds();
  const auto row = change_row(&actor, *u, "password_reset", "password: replaced", context);
  if (auto r = store_.set_password(id, *hash, t, "", &row); !r) return r;
  forget_user_sessions(id, "");
  return ok();
}

Result<int> AccountService::revoke_sessions(const access::Principal& actor, std::int64_t id,
                                            const ViewContext& context) {
  auto u = user_in_reach(actor, id);
  if (!u) return u.error();
  const auto row = change_row(&actor, *u, "sessions_revoked", "", context);  // + the count
  auto n = store_.revoke_user_sessions(id, now_seconds(), "", &row);
  if (!n) return n.error();
  forget_user_sessions(id, "");
  return *n;
}

}  // namespace motcua::services
