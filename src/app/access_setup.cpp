#include "app/access_setup.hpp"

#include <sodium.h>

#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "common/sha256.hpp"
#include "services/password_hash.hpp"

namespace motcua::app {

namespace {

struct DemoAccount {
  const char* role;
  const char* username;
  const char* display_name;
  const char* unit;
  const char* province;
};

constexpr const char* kDemoCitizenId = "001090000001";

constexpr DemoAccount kDemo[] = {
    {"citizen", kDemoCitizenId, "Nguyễn Văn Dân (demo)", "", ""},
    {"receiving_officer", "demo.receiving_officer", "Cán bộ tiếp nhận (demo)", "00004", ""},
    {"specialist", "demo.specialist", "Chuyên viên (demo)", "00004", ""},
    {"leader", "demo.leader", "Lãnh đạo phường (demo)", "00004", ""},
    {"unit_admin", "demo.unit_admin", "Quản trị đơn vị (demo)", "00004", ""},
    {"province_supervisor", "demo.province_supervisor", "Giám sát cấp tỉnh (demo)", "", "01"},
    {"national_viewer", "demo.national_viewer", "Theo dõi toàn quốc (demo)", "", ""},
    {"system_admin", "demo.system_admin", "Quản trị hệ thống (demo)", "", ""},
    {"postal_agent", "demo.postal_agent", "Nhân viên bưu chính (demo)", "00004", ""},
};

}  // namespace

Result<void> create_demo_accounts(services::AccountService& accounts, store::AccountsStore& store) {
  std::fprintf(stderr,
               "motcua: --demo: demo accounts for every role (province 01, commune 00004); "
               "never use --demo in production\n"
               "motcua: --demo: tài khoản thử nghiệm cho mọi vai trò (tỉnh 01, xã 00004); không "
               "bao giờ dùng --demo khi vận hành thật\n");
  for (const auto& d : kDemo) {
    const std::string password = "demo-" + services::random_token().substr(0, 16);
    auto existing = store.find_user_by_username(d.username);
    if (!existing) return existing.error();
    if (existing->has_value()) {
      auto hash = services::hash_password(password);
      if (!hash) return hash.error();
      const auto now = static_cast<std::int64_t>(std::time(nullptr));
      if (auto r = store.set_password((*existing)->id, *hash, now, ""); !r) return r;
    } else {
      services::NewUser u;
      u.display_name = d.display_name;
      u.password = password;
      if (std::string_view(d.role) == "citizen") {
        u.kind = "citizen";
        u.id_number = kDemoCitizenId;
        u.phone = "0912345678";
      } else {
        u.kind = "staff";
        u.username = d.username;
        u.roles = {d.role};
        u.unit_code = d.unit;
        u.province_code = d.province;
      }
      auto created = accounts.create_user(nullptr, u);
      if (!created) return created.error();
    }
    std::fprintf(stderr, "motcua: demo account role=%s username=%s password=%s%s%s\n", d.role,
                 d.username, password.c_str(), *d.unit ? " unit=" : "", d.unit);
  }
  return ok();
}

namespace {

// 'sha256-...' sources for the inline <script> elements of an HTML page.
std::string inline_script_hashes(const std::string& html) {
  std::string out;
  std::size_t pos = 0;
  while ((pos = html.find("<script", pos)) != std::string::npos) {
    const auto close = html.find('>', pos);
    if (close == std::string::npos) break;
    const std::string tag = html.substr(pos, close - pos);
    const auto end = html.find("</script>", close);
    if (end == std::string::npos) break;
    if (tag.find("src=") == std::string::npos) {
      const std::string body = html.substr(close + 1, end - close - 1);
      const auto digest = sha256(body);
      char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)];
      sodium_bin2base64(b64, sizeof b64, digest.data(), digest.size(),
                        sodium_base64_VARIANT_ORIGINAL);
      out += " 'sha256-";
      out += b64;
      out += "'";
    }
    pos = end;
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> security_headers(const std::string& static_dir) {
  std::string scripts;
  if (!static_dir.empty()) {
    std::ifstream in(static_dir + "/index.html", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    scripts = inline_script_hashes(ss.str());
  }
  return {
      {"Content-Security-Policy",
       "default-src 'self'; script-src 'self'" + scripts +
           "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self';"
           " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
      {"X-Content-Type-Options", "nosniff"},
      {"Referrer-Policy", "no-referrer"},
      {"X-Frame-Options", "DENY"},
      {"Cross-Origin-Opener-Policy", "same-origin"},
  };
}

}  // namespace motcua::app
