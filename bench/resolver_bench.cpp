// Throughput of the old-address resolver on one thread: a fixed mix of old and
// new names, noisy writing styles and misses, run for a few seconds.
//   build/units-rel/bench/resolver_bench [seconds]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "domain/units/resolver.hpp"
#include "services/reference_data.hpp"

namespace {

using Clock = std::chrono::steady_clock;

const std::vector<std::string> kQueries = {
    // old communes, full and abbreviated
    "Phường Trúc Bạch, Quận Ba Đình, Hà Nội",
    "P.Trúc Bạch, Q.Ba Đình, HN",
    "phuong truc bach quan ba dinh ha noi",
    "PHƯỜNG QUÁN THÁNH, QUẬN BA ĐÌNH, THÀNH PHỐ HÀ NỘI",
    "12 Hàng Bài, Hoàn Kiếm, Hà Nội",
    "Số 5 ngõ 10 đường Láng, Đống Đa, Hà Nội",
    "P15 Q.Tân Bình TPHCM",
    "Phường Bến Nghé, Quận 1, Tp.HCM",
    "Xã Tân Phú, Huyện Tân Phú, Tỉnh Đồng Nai",
    "xa tan phu",
    "Thị trấn Mường Lát, Thanh Hoá",
    "TT. Thạnh Mỹ, H. Nam Giang, Quảng Nam",
    "Huyện Cồn Cỏ, Quảng Trị",
    "Phường Ngọc Hà, Quận Ba Đình",
    "Xã Krông Na, Buôn Đôn, Đắk Lắk",
    // decomposed Unicode (NFD) and the other tone-mark placement
    "Phu\xcc\x9bo\xcc\x9b\xcc\x80ng Tru\xcc\x81"
    "c Ba\xcc\xa3"
    "ch",
    "Phường Yên Hoà, Cầu Giấy, Hà Nội",
    // new names
    "Phường Ba Đình, Thành phố Hà Nội",
    "Đặc khu Phú Quốc, An Giang",
    "Xã Ba Chẽ, Quảng Ninh",
    "Phường Sài Gòn, TP. Hồ Chí Minh",
    "Phố Bảng, Tuyên Quang",
    // misses
    "123 Nowhere Street, Springfield",
    "Quận Ba Đình, Hà Nội",
    "",
};

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;

  auto t0 = Clock::now();
  auto data = motcua::services::load_reference_data(MOTCUA_SOURCE_DIR "/data");
  if (!data) {
    std::fprintf(stderr, "%s\n", data.error().message_en.c_str());
    return 1;
  }
  auto t1 = Clock::now();
  motcua::units::Registry registry(std::move(data).value());
  auto t2 = Clock::now();
  motcua::units::Resolver resolver(registry);
  auto t3 = Clock::now();

  // Warm up, and count how many queries find something.
  std::size_t found = 0;
  for (const auto& q : kQueries) found += !resolver.resolve(q, "2026-07-01").candidates.empty();

  std::vector<double> per_lookup_us;
  per_lookup_us.reserve(1 << 22);
  std::size_t lookups = 0;
  std::size_t sink = 0;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  auto now = start;
  while (now < deadline) {
    // Time batches of one pass over the mix; per-lookup times come from single calls.
    for (const auto& q : kQueries) {
      const auto a = Clock::now();
      auto r = resolver.resolve(q, "2026-07-01");
      const auto b = Clock::now();
      sink += r.candidates.size();
      per_lookup_us.push_back(std::chrono::duration<double, std::micro>(b - a).count());
      ++lookups;
    }
    now = Clock::now();
  }
  const double elapsed = std::chrono::duration<double>(now - start).count();

  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  std::printf("%-34s %12s\n", "measure", "value");
  std::printf("%-34s %12.1f\n", "load reference data (ms)", ms(t1 - t0));
  std::printf("%-34s %12.1f\n", "build registry (ms)", ms(t2 - t1));
  std::printf("%-34s %12.1f\n", "build resolver index (ms)", ms(t3 - t2));
  std::printf("%-34s %12zu\n", "queries in the mix", kQueries.size());
  std::printf("%-34s %12zu\n", "queries that find a commune", found);
  std::printf("%-34s %12zu\n", "lookups", lookups);
  std::printf("%-34s %12.0f\n", "lookups per second (1 thread)",
              static_cast<double>(lookups) / elapsed);
  std::printf("%-34s %12.2f\n", "p50 per lookup (us)", percentile(per_lookup_us, 0.50));
  std::printf("%-34s %12.2f\n", "p99 per lookup (us)", percentile(per_lookup_us, 0.99));
  std::printf("%-34s %12zu\n", "(candidates returned)", sink);
  return 0;
}
