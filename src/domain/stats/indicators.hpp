// The indicators a leader reads, from summed counters (counters.hpp), and the
// service index of Decision 766/QĐ-TTg for the parts the data supports.
//
// A rate whose denominator is zero is absent, not 0: "no finished dossier"
// is not "none on time". The index has five groups with fixed weights
// (transparency 18, progress 20, digitisation 22, online service 22,
// satisfaction 18, total 100); a group scores weight x the mean of its
// inputs that have data. Inputs the platform does not hold yet are listed as
// missing, and the index reports both its points and the weight they are out
// of, so a unit is never ranked on figures it could not have.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/stats/counters.hpp"

namespace motcua::stats {

inline constexpr double kOnlineTarget = 0.70;  // the national goal for online dossiers

struct Indicators {
  Counters sums;                    // the counters over the range
  std::int64_t open_now = 0;        // gauge
  std::int64_t overdue_now = 0;     // open and past the due time (waiting ones: asked when overdue)
  // The range holds today. Only then does the index's progress count the
  // dossiers overdue now: they say nothing of a past range, nor of one that
  // has not begun.
  bool reaches_today = true;
  std::optional<double> online_rate;           // (online + national portal) / received
  std::optional<double> on_time_rate;          // on time / finished
  std::optional<double> avg_processing_days;   // working days, per finished dossier
  std::optional<double> supplement_rate;       // asked for supplements / received
  std::optional<double> digitisation_rate;     // digitised / received
  std::optional<double> electronic_result_rate;  // electronic results / finished (not refused)
  std::optional<double> online_payment_rate;   // paid online / received with a fee
  std::optional<double> satisfaction_rate;     // ratings 4-5 / ratings
  std::optional<double> average_rating;        // 1..5
};

Indicators indicators(const Counters& sums, std::int64_t open_now, std::int64_t overdue_now);

struct IndexInput {
  std::string key;  // "on_time_rate", ...
  std::string name_vi, name_en;
  std::optional<double> value;  // 0..1; absent: no data in the range
  bool missing = false;         // the platform does not hold this input yet
  std::int64_t num = 0, den = 0;  // the value as a fraction, which the points add exactly
};

struct IndexGroup {
  std::string key;  // transparency, progress, digitisation, online_service, satisfaction
  std::string name_vi, name_en;
  double weight = 0;
  std::optional<double> points;  // absent: no input with data
  std::vector<IndexInput> inputs;
};

// The points and the score are computed exactly, as fractions, and rounded
// to a double once: a score is the same number whichever inputs it comes
// from (47.5 / 64 x 100 added up in floating point came out as 74.21875 for
// one commune and 74.21874999999999 for another), so equal scores rank equal.
struct ServiceIndex {
  std::vector<IndexGroup> groups;
  double points = 0;       // sum of the groups' points
  double out_of = 0;       // sum of the weights of groups with points
  std::optional<double> score;  // points / out_of x 100: comparable between units
};

ServiceIndex service_index(const Indicators& ind);

}  // namespace motcua::stats
