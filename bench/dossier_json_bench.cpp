// A stored dossier's body, read back and written: dossier_from_json and
// dossier_json_text on a mix of realistic bodies (finished, waiting with
// supplement requests, apologised, rated, with a form and fees), beside
// Boost.JSON's parse of the same text into a tree of values alone, which is
// what reading a body cost before any field was taken from it. Every action,
// the deadline sweep, `stats verify` and the operations centre's lists read
// bodies; a commune's year-long list reads thousands.
//   build/<dir>/dossier_json_bench [rounds]
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "services/dossier_json.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using motcua::calendar::Instant;
namespace dossier = motcua::dossier;

// Eight bodies as the store keeps them, in the shapes the lists meet.
std::vector<std::string> bodies() {
  std::vector<std::string> out;
  const std::int64_t t0 = 1'765'267'200;  // 2025-12-09 15:00 +07
  for (int k = 0; k < 8; ++k) {
    dossier::Dossier d;
    d.id = "HS019b022d8018adfbe5b" + std::to_string(k);
    d.code = "H01.000.04-251209-001" + std::to_string(k);
    d.procedure_code = "1.000894";
    d.procedure_version = "1";
    d.receiving_unit = d.competent_unit = "00004";
    d.channel = k % 3 ? dossier::Channel::kOnline : dossier::Channel::kCounter;
    d.applicant = {dossier::ApplicantKind::kPerson,
                   "Nguyễn Thị Minh Khai",
                   "001088125981",
                   "",
                   "0912345678",
                   "",
                   "Số 12 phố Hàng Bạc, phường Hoàn Kiếm, Hà Nội"};
    d.applicant_user_id = "sim-citizen";
    d.form_data_json =
        k % 2 ? R"({"ho_ten":"Nguyễn Văn \"Tí\"","so_ban":2,"ghi_chu":"dòng 1\ndòng 2"})" : "{}";
    for (int c = 1; c <= 3; ++c) {
      d.components.push_back(
          {"c" + std::to_string(c), dossier::ProvidedForm::kPaperOriginal, "", 1});
    }
    if (k % 4 == 1) d.fees.push_back({"Lệ phí", 50'000, true, true, Instant{t0 + 60}, "BL-1"});
    d.state = k < 5 ? dossier::State::kReturned : dossier::State::kInProgress;
    d.resume_state = d.state;
    d.assignee = "sim-specialist-00004";
    d.created_at = d.submitted_at = Instant{t0};
    d.received_at = Instant{t0 + 3600};
    d.clock_start = Instant{t0 + 7200};
    d.due_at = Instant{t0 + 5 * 86400};
    if (k >= 3) {
      for (int s = 0; s < k - 2; ++s) {
        d.supplements.push_back({Instant{t0 + (s + 1) * 86400},
                                 "sim-specialist-00004",
                                 {"Bản sao giấy tờ còn thiếu"},
                                 "",
                                 true,
                                 Instant{t0 + (s + 1) * 86400 + 7200}});
      }
    }
    if (k == 4) {
      d.apologies.push_back({Instant{t0 + 6 * 86400}, "sim-leader", "Cần xác minh thêm", *d.due_at,
                             Instant{t0 + 9 * 86400}, "apology-1"});
    }
    if (k < 5) {
      d.finished_at = Instant{t0 + 4 * 86400};
      d.returned_at = Instant{t0 + 4 * 86400 + 3600};
      d.result = dossier::DossierResult{"KQ-" + d.code,
                                        "",
                                        dossier::ResultForm::kPaper,
                                        *d.finished_at,
                                        dossier::Delivery::kCounter,
                                        "",
                                        d.returned_at};
      if (k % 2 == 0) d.rating = dossier::Rating{5, "Nhanh, chu đáo", *d.returned_at};
    }
    d.digitised = true;
    out.push_back(motcua::services::dossier_json_text(d));
  }
  return out;
}

template <class F>
double us_each(const std::vector<std::string>& texts, int rounds, F&& f) {
  const auto t0 = Clock::now();
  for (int r = 0; r < rounds; ++r)
    for (const auto& t : texts) f(t);
  const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
  return us / (static_cast<double>(rounds) * static_cast<double>(texts.size()));
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 20000;
  const auto texts = bodies();
  std::size_t bytes = 0;
  for (const auto& t : texts) bytes += t.size();
  std::size_t sink = 0;
  // Each is run twice, the first to warm up.
  double tree = 0, read = 0, write = 0;
  for (int pass = 0; pass < 2; ++pass) {
    tree = us_each(texts, rounds, [&](const std::string& t) {
      unsigned char buffer[16384];
      boost::json::monotonic_resource arena(buffer, sizeof buffer);
      sink += boost::json::parse(t, &arena).as_object().size();
    });
    read = us_each(texts, rounds, [&](const std::string& t) {
      auto d = motcua::services::dossier_from_json(t);
      if (!d) std::abort();
      sink += d->supplements.size() + d->id.size();
    });
    std::vector<dossier::Dossier> parsed;
    for (const auto& t : texts) parsed.push_back(*motcua::services::dossier_from_json(t));
    write = us_each(texts, rounds, [&, i = std::size_t{0}](const std::string&) mutable {
      sink += motcua::services::dossier_json_text(parsed[i++ % parsed.size()]).size();
    });
  }
  std::printf("dossier body, %zu bodies of %zu B on average, %d rounds\n", texts.size(),
              bytes / texts.size(), rounds);
  std::printf("| %-46s | %9s | %-34s |\n", "figure", "us each", "");
  std::printf("|%s|%s|%s|\n", std::string(48, '-').c_str(), std::string(11, '-').c_str(),
              std::string(36, '-').c_str());
  std::printf("| %-46s | %9.2f | %-34s |\n", "Boost.JSON parse into a tree of values", tree,
              "reference: the tree alone");
  char ratio[64];
  std::snprintf(ratio, sizeof ratio, "%.2fx the tree alone", read / tree);
  std::printf("| %-46s | %9.2f | %-34s |\n", "dossier_from_json (body into a Dossier)", read,
              ratio);
  std::printf("| %-46s | %9.2f | %-34s |\n", "dossier_json_text (Dossier into a body)", write, "");
  return sink == 0 ? 1 : 0;
}
