// The access layer's costs: sign-in with the chosen argon2id cost (p50/p99),
// and the check every request pays (session lookup by token hash + decide).
//
// Usage: access_bench [logins] [checks]   (default 40 logins, 1,000,000 checks)
// Measure in a release build: the numbers of a sanitizer build mean little.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "domain/access/permissions.hpp"
#include "services/account_service.hpp"
#include "services/password_hash.hpp"
#include "store/store.hpp"

using Clock = std::chrono::steady_clock;
using namespace motcua;

namespace {

double pct(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * v.size()))];
}

double ns_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::nano>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const int logins = argc > 1 ? std::atoi(argv[1]) : 40;
  const long checks = argc > 2 ? std::atol(argv[2]) : 1000000;
  auto opened = store::open_store("sqlite::memory:");
  if (!opened || !(*opened)->migrate()) return std::fprintf(stderr, "no store\n"), 1;
  store::Store& st = **opened;
  services::AccountService accounts(
      st.accounts(), [](std::string_view) { return std::optional<std::string>("01"); });
  services::NewUser u;
  u.username = "bench.leader";
  u.display_name = "Bench";
  u.roles = {"leader"};
  u.unit_code = "00004";
  u.password = "bench-password-1";
  if (!accounts.create_user(nullptr, u)) return std::fprintf(stderr, "no user\n"), 1;

  std::vector<double> login_ms;
  std::string token;
  for (int i = 0; i < logins; ++i) {
    long retry = 0;
    const auto t0 = Clock::now();
    auto r = accounts.login("bench.leader", "bench-password-1", "bearer", "10.0.0.1", retry);
    login_ms.push_back(ns_since(t0) / 1e6);
    if (!r) return std::fprintf(stderr, "login failed: %s\n", r.error().message_en.c_str()), 1;
    token = r->token;
  }
  std::vector<double> hash_ms;
  for (int i = 0; i < std::max(5, logins / 4); ++i) {
    const auto t0 = Clock::now();
    (void)services::hash_password("bench-password-1");
    hash_ms.push_back(ns_since(t0) / 1e6);
  }

  // Per request: what the guard does for a bearer token on a unit-scoped route.
  access::Target target{"00004", "01", "", false};
  long allowed = 0;
  const auto t0 = Clock::now();
  for (long i = 0; i < checks; ++i) {
    auto s = accounts.authenticate(token);
    allowed += s && access::decide(s->principal, access::Permission::kDossierRead, target).allowed;
  }
  const double check_ns = ns_since(t0) / static_cast<double>(checks);
  const auto principal = accounts.authenticate(token)->principal;
  const auto t1 = Clock::now();
  for (long i = 0; i < checks; ++i)
    allowed += access::decide(principal, access::Permission::kDossierRead, target).allowed;
  const double decide_ns = ns_since(t1) / static_cast<double>(checks);
  const auto t2 = Clock::now();
  for (long i = 0; i < checks; ++i) allowed += services::token_hash(token).size() == 64;
  const double hash_ns = ns_since(t2) / static_cast<double>(checks);

  std::printf("argon2id cost: opslimit %llu, memlimit %zu MiB\n\n", services::kPasswordOpsLimit,
              services::kPasswordMemLimit >> 20);
  std::printf("| %-40s | %12s | %12s |\n", "operation", "p50", "p99");
  std::printf("|%s|%s|%s|\n", std::string(42, '-').c_str(), std::string(14, '-').c_str(),
              std::string(14, '-').c_str());
  std::printf("| %-40s | %9.1f ms | %9.1f ms |\n", "login (argon2id verify + session)",
              pct(login_ms, 0.5), pct(login_ms, 0.99));
  std::printf("| %-40s | %9.1f ms | %9.1f ms |\n", "argon2id hash (new password)",
              pct(hash_ms, 0.5), pct(hash_ms, 0.99));
  const std::string title = "per-request check (mean of " + std::to_string(checks) + ")";
  std::printf("\n| %-40s | %12s |\n", title.c_str(), "cost");
  std::printf("|%s|%s|\n", std::string(42, '-').c_str(), std::string(14, '-').c_str());
  std::printf("| %-40s | %9.0f ns |\n", "authenticate (cached) + decide", check_ns);
  std::printf("| %-40s | %9.0f ns |\n", "  of which token SHA-256 + hex", hash_ns);
  std::printf("| %-40s | %9.1f ns |\n", "  of which decide()", decide_ns);
  std::printf("\n(%ld allowed; target under 5000 ns per check)\n", allowed);
  return 0;
}
