#include "domain/stats/indicators.hpp"

#include <boost/multiprecision/cpp_int.hpp>
#include <cmath>
#include <limits>

namespace motcua::stats {
namespace {

using Int = boost::multiprecision::cpp_int;

// A fraction, never reduced: reducing (a gcd each time) cost more than the
// rest of the index.
struct Exact {
  Int num = 0, den = 1;
  void add(const Exact& x) {
    num = num * x.den + x.num * den;
    den *= x.den;
  }
};

// The double nearest num / den (den > 0), ties to even: one rounding, so
// equal fractions give the same double whatever their terms.
double nearest(Exact x) {
  if (x.num == 0) return 0;
  const bool negative = x.num < 0;
  if (negative) x.num = -x.num;
  constexpr int kDigits = std::numeric_limits<double>::digits;
  // Scaled so that the quotient has kDigits or kDigits + 1 bits.
  const auto shift = static_cast<int>(kDigits + msb(x.den) - msb(x.num));
  if (shift > 0) x.num <<= shift;
  if (shift < 0) x.den <<= -shift;
  Int q, r;
  divide_qr(x.num, x.den, q, r);
  if (msb(q) == kDigits - 1) {
    r <<= 1;
    const int c = r.compare(x.den);
    if (c > 0 || (c == 0 && (q & 1) != 0)) ++q;
  } else if ((q & 1) != 0 && (r != 0 || (q & 2) != 0)) {
    ++q;  // a quotient of kDigits + 1 bits: its last bit is the half
  }
  const double v = std::ldexp(q.convert_to<double>(), -shift);
  return negative ? -v : v;
}

std::optional<double> rate(std::int64_t num, std::int64_t den) {
  if (den <= 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

// An input that is num / den, absent when den is not positive (as rate()).
IndexInput input(std::string key, std::string vi, std::string en, std::int64_t num,
                 std::int64_t den) {
  return IndexInput{std::move(key), std::move(vi), std::move(en), rate(num, den), false, num, den};
}

IndexInput missing(std::string key, std::string vi, std::string en) {
  return IndexInput{std::move(key), std::move(vi), std::move(en), std::nullopt, true};
}

}  // namespace

Indicators indicators(const Counters& c, std::int64_t open_now, std::int64_t overdue_now) {
  Indicators i;
  i.sums = c;
  i.open_now = open_now;
  i.overdue_now = overdue_now;
  const auto received = c[Counter::kReceived];
  const auto finished = c[Counter::kFinished];
  i.online_rate = rate(c[Counter::kReceivedOnline] + c[Counter::kReceivedPortal], received);
  i.on_time_rate = rate(c[Counter::kOnTime], finished);
  if (finished > 0) {
    i.avg_processing_days =
        static_cast<double>(c[Counter::kProcessingMilliDays]) / 1000.0 / static_cast<double>(finished);
  }
  i.supplement_rate = rate(c[Counter::kSupplemented], received);
  i.digitisation_rate = rate(c[Counter::kDigitised], received);
  i.electronic_result_rate = rate(c[Counter::kResultsElectronic], finished - c[Counter::kRefused]);
  i.online_payment_rate = rate(c[Counter::kPaidOnline], c[Counter::kFeesDue]);
  i.satisfaction_rate = rate(c[Counter::kSatisfied], c[Counter::kRatings]);
  if (c[Counter::kRatings] > 0) {
    i.average_rating =
        static_cast<double>(c[Counter::kRatingSum]) / static_cast<double>(c[Counter::kRatings]);
  }
  return i;
}

ServiceIndex service_index(const Indicators& i) {
  ServiceIndex s;
  // Progress counts dossiers still open past due as not on time, when the
  // range reaches today; a past range's is its finished dossiers alone (and
  // absent without any: no data, not 0).
  const auto& c = i.sums;
  const auto finished = c[Counter::kFinished];
  const std::int64_t overdue = i.reaches_today ? i.overdue_now : 0;
  const std::int64_t on_time = c[Counter::kOnTime];
  auto progress_input =
      i.reaches_today
          ? input("on_time_rate", "Hồ sơ giải quyết đúng hạn (kể cả hồ sơ đang quá hạn)",
                  "Dossiers settled on time (counting those overdue now)", on_time,
                  finished + overdue)
          : input("on_time_rate", "Hồ sơ giải quyết đúng hạn", "Dossiers settled on time", on_time,
                  finished);
  s.groups = {
      {"transparency",
       "Công khai, minh bạch",
       "Transparency",
       18,
       std::nullopt,
       {missing("portal_sync", "Đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia",
                "Dossiers synchronised to the national public service portal"),
        missing("published_procedures", "Công khai thủ tục hành chính đầy đủ",
                "Procedures published in full on the portal")}},
      {"progress",
       "Tiến độ, kết quả giải quyết",
       "Progress",
       20,
       std::nullopt,
       {std::move(progress_input)}},
      {"digitisation",
       "Số hoá hồ sơ",
       "Digitisation",
       22,
       std::nullopt,
       {input("digitisation_rate", "Hồ sơ được số hoá khi tiếp nhận",
              "Dossiers digitised on receipt", c[Counter::kDigitised], c[Counter::kReceived]),
        input("electronic_result_rate", "Kết quả giải quyết điện tử",
              "Results issued electronically", c[Counter::kResultsElectronic],
              finished - c[Counter::kRefused]),
        missing("data_reuse", "Tái sử dụng dữ liệu đã số hoá",
                "Digitised data reused instead of asked again")}},
      {"online_service",
       "Cung cấp dịch vụ trực tuyến",
       "Online service",
       22,
       std::nullopt,
       {input("online_rate", "Hồ sơ nộp trực tuyến", "Dossiers filed online",
              c[Counter::kReceivedOnline] + c[Counter::kReceivedPortal], c[Counter::kReceived]),
        input("online_payment_rate", "Thanh toán trực tuyến", "Fees paid online",
              c[Counter::kPaidOnline], c[Counter::kFeesDue])}},
      {"satisfaction",
       "Mức độ hài lòng",
       "Satisfaction",
       18,
       std::nullopt,
       {input("satisfaction_rate", "Người dân hài lòng hoặc rất hài lòng",
              "Applicants satisfied or very satisfied", c[Counter::kSatisfied],
              c[Counter::kRatings])}},
  };
  // Exactly, then rounded once (indicators.hpp). The weights are whole numbers.
  Exact points;
  int out_of = 0;
  for (auto& g : s.groups) {
    Exact sum{0, 1};
    int n = 0;
    for (const auto& in : g.inputs) {
      if (in.value) {
        sum.add({in.num, in.den});
        ++n;
      }
    }
    if (n > 0) {
      const int weight = static_cast<int>(g.weight);
      const Exact p{sum.num * weight, sum.den * n};
      g.points = nearest(p);
      points.add(p);
      out_of += weight;
    }
  }
  s.points = nearest(points);
  s.out_of = out_of;
  if (out_of > 0) s.score = nearest({points.num * 100, points.den * out_of});
  return s;
}

}  // namespace motcua::stats
