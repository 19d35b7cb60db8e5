#include "domain/stats/indicators.hpp"

namespace motcua::stats {
namespace {

std::optional<double> rate(std::int64_t num, std::int64_t den) {
  if (den <= 0) return std::nullopt;
  return static_cast<double>(num) / static_cast<double>(den);
}

IndexInput input(std::string key, std::string vi, std::string en, std::optional<double> value) {
  return IndexInput{std::move(key), std::move(vi), std::move(en), value, false};
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
  const auto finished = i.sums[Counter::kFinished];
  const std::int64_t overdue = i.reaches_today ? i.overdue_now : 0;
  const std::optional<double> progress = rate(i.sums[Counter::kOnTime], finished + overdue);
  auto progress_input =
      i.reaches_today
          ? input("on_time_rate", "Hồ sơ giải quyết đúng hạn (kể cả hồ sơ đang quá hạn)",
                  "Dossiers settled on time (counting those overdue now)", progress)
          : input("on_time_rate", "Hồ sơ giải quyết đúng hạn", "Dossiers settled on time",
                  progress);
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
      {"progress", "Tiến độ giải quyết", "Progress", 20, std::nullopt, {std::move(progress_input)}},
      {"digitisation",
       "Số hóa hồ sơ",
       "Digitisation",
       22,
       std::nullopt,
       {input("digitisation_rate", "Hồ sơ được số hóa khi tiếp nhận",
              "Dossiers digitised on receipt", i.digitisation_rate),
        input("electronic_result_rate", "Kết quả giải quyết điện tử",
              "Results issued electronically", i.electronic_result_rate),
        missing("data_reuse", "Tái sử dụng dữ liệu đã số hóa",
                "Digitised data reused instead of asked again")}},
      {"online_service",
       "Cung cấp dịch vụ trực tuyến",
       "Online service",
       22,
       std::nullopt,
       {input("online_rate", "Hồ sơ nộp trực tuyến", "Dossiers filed online", i.online_rate),
        input("online_payment_rate", "Thanh toán trực tuyến", "Fees paid online",
              i.online_payment_rate)}},
      {"satisfaction",
       "Mức độ hài lòng",
       "Satisfaction",
       18,
       std::nullopt,
       {input("satisfaction_rate", "Người dân hài lòng hoặc rất hài lòng",
              "Applicants satisfied or very satisfied", i.satisfaction_rate)}},
  };
  for (auto& g : s.groups) {
    double sum = 0;
    int n = 0;
    for (const auto& in : g.inputs) {
      if (in.value) {
        sum += *in.value;
        ++n;
      }
    }
    if (n > 0) {
      g.points = g.weight * sum / n;
      s.points += *g.points;
      s.out_of += g.weight;
    }
  }
  if (s.out_of > 0) s.score = s.points / s.out_of * 100.0;
  return s;
}

}  // namespace motcua::stats
