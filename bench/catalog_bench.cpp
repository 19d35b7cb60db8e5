// Catalog search in process: p50/p99 of SearchIndex::search over a fixed mix
// of queries (names, folded and accented, components, codes, filters, misses),
// on the bundled catalog and on a synthetic one of 3,000 procedures.
//   build/<dir>/catalog_bench [rounds]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "domain/catalog/search.hpp"
#include "services/catalog_data.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using motcua::catalog::ProcedureVersion;
using motcua::catalog::SearchIndex;
using motcua::catalog::SearchQuery;

struct Mix {
  std::string q, field, level, online;
};

const std::vector<Mix> kQueries = {
    {"khai sinh", "", "", ""},
    {"đăng ký khai sinh", "", "", ""},
    {"dang ky ket hon", "", "", ""},
    {"Xác nhận tình trạng hôn nhân", "", "", ""},
    {"chứng thực bản sao", "", "", ""},
    {"chung thuc chu ky", "", "", ""},
    {"hộ kinh doanh", "", "", ""},
    {"giấy phép xây dựng", "", "", ""},
    {"thuong tru", "", "", ""},
    {"khai tử", "", "", ""},
    {"trợ cấp", "", "", "full"},
    {"giấy chứng sinh", "", "", ""},
    {"hoà giải đất đai", "", "", ""},
    {"1.001193", "", "", ""},
    {"", "Hộ tịch", "", ""},
    {"", "", "province", ""},
    {"", "", "", ""},
    {"tro cap mai tang", "", "commune", ""},
    {"zzz không có", "", "", ""},
    {"đ", "", "", ""},
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

void run(const char* label, const SearchIndex& idx, int rounds) {
  std::vector<double> us;
  us.reserve(kQueries.size() * rounds);
  std::size_t hits = 0;
  for (int r = 0; r < rounds; ++r) {
    for (const auto& m : kQueries) {
      SearchQuery q;
      q.q = m.q;
      q.field = m.field;
      q.level = m.level;
      q.online_level = m.online;
      q.limit = 20;
      const auto t0 = Clock::now();
      auto page = idx.search(q);
      const auto t1 = Clock::now();
      hits += page.total;
      us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
    }
  }
  const double n = static_cast<double>(us.size());
  double sum = 0;
  for (double x : us) sum += x;
  std::printf("| %-28s | %6zu | %8.0f | %8.1f | %8.1f | %8.1f | %8.1f |\n", label, idx.all().size(),
              n, sum / n, percentile(us, 0.50), percentile(us, 0.99), percentile(us, 1.0));
  if (hits == 0) std::printf("(no hits: check the data)\n");
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 500;
  auto doc = motcua::services::load_bundled_catalog(std::string(MOTCUA_SOURCE_DIR) + "/data");
  if (!doc) {
    std::fprintf(stderr, "%s\n", doc.error().message_en.c_str());
    return 1;
  }
  std::vector<ProcedureVersion> real;
  for (const auto& p : doc->procedures) real.push_back({p, 1, false, ""});
  // A province-sized catalog: the real procedures again and again under new codes.
  std::vector<ProcedureVersion> big;
  for (int i = 0; big.size() < 3000; ++i) {
    for (const auto& p : doc->procedures) {
      ProcedureVersion v{p, 1, false, ""};
      char code[16];
      std::snprintf(code, sizeof code, "%d.%06d", 1 + i % 9, static_cast<int>(big.size()));
      v.procedure.code = code;
      big.push_back(std::move(v));
      if (big.size() == 3000) break;
    }
  }
  const SearchIndex small_idx(std::move(real));
  const SearchIndex big_idx(std::move(big));
  std::printf("catalog search in process, %zu queries x %d rounds (microseconds)\n\n",
              kQueries.size(), rounds);
  std::printf("| %-28s | %6s | %8s | %8s | %8s | %8s | %8s |\n", "catalog", "procs", "searches",
              "mean", "p50", "p99", "max");
  std::printf(
      "|------------------------------|--------|----------|----------|----------|----------|-------"
      "---|\n");
  run("bundled (data/procedures)", small_idx, rounds);
  run("synthetic 3,000 procedures", big_idx, std::max(1, rounds / 10));
  std::printf("\ntarget: p99 under 2 ms (2000 us)\n");
  return 0;
}
