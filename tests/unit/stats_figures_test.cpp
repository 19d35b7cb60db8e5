// The operations centre's rules: what a dossier adds to the counters, that the
// change of an action is after - before (so summing changes equals summing
// final contributions), the indicators and the 766 index, periods, forecast.
#include <gtest/gtest.h>

#include "domain/stats/contribution.hpp"
#include "domain/stats/forecast.hpp"
#include "domain/stats/indicators.hpp"
#include "domain/stats/period.hpp"
#include "domain/stats/ranking.hpp"
#include "stats_test_support.hpp"

namespace motcua::stats {
namespace {

using calendar::Instant;
using dossier::Dossier;
using dossier::State;

Instant at(int y, int m, int d, int h = 9) { return calendar::to_instant({y, m, d}, h * 3600); }
std::int64_t day(int y, int m, int d) { return calendar::days_from_civil({y, m, d}); }

Dossier received(Instant when, Instant due) { return received_dossier(when, due); }

const Row* find(const std::vector<Row>& rows, Level level, std::int64_t d) {
  for (const auto& r : rows) {
    if (r.key.level == level && r.key.day == d) return &r;
  }
  return nullptr;
}

TEST(StatsContribution, NothingBeforeReceipt) {
  Dossier d;
  d.state = State::kSubmitted;
  auto rows = contribution(d, "01", nullptr);
  ASSERT_TRUE(rows);
  EXPECT_TRUE(rows->empty());
}

TEST(StatsContribution, ReceiptCountsAtUnitProvinceAndNation) {
  const Dossier d = received(at(2026, 1, 5), at(2026, 1, 8));
  auto rows = contribution(d, "01", nullptr);
  ASSERT_TRUE(rows);
  for (Level l : {Level::kUnit, Level::kProvince, Level::kNation}) {
    const Row* r = find(*rows, l, day(2026, 1, 5));
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->counters[Counter::kReceived], 1);
    EXPECT_EQ(r->counters[Counter::kReceivedOnline], 1);
    const Row* g = find(*rows, l, kGaugeDay);
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->counters[Counter::kOpen], 1);
  }
  EXPECT_EQ(find(*rows, Level::kProvince, day(2026, 1, 5))->key.unit, "01");
  EXPECT_EQ(find(*rows, Level::kNation, day(2026, 1, 5))->key.unit, "VN");
}

TEST(StatsContribution, FinishedOnTimeAndLateOnTheirDays) {
  FlatClock clock;
  Dossier d = received(at(2026, 1, 5), at(2026, 1, 8));
  d.state = State::kResultIssued;
  d.finished_at = at(2026, 1, 7);
  auto rows = contribution(d, "01", &clock);
  ASSERT_TRUE(rows);
  const Row* f = find(*rows, Level::kUnit, day(2026, 1, 7));
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->counters[Counter::kFinished], 1);
  EXPECT_EQ(f->counters[Counter::kOnTime], 1);
  EXPECT_EQ(f->counters[Counter::kLate], 0);
  // Two days of flat time = 48 h = 6 working days of 8 h.
  EXPECT_EQ(f->counters[Counter::kProcessingMilliDays], 6000);
  EXPECT_EQ(find(*rows, Level::kUnit, kGaugeDay), nullptr);  // no longer open

  d.finished_at = at(2026, 1, 9);
  rows = contribution(d, "01", &clock);
  ASSERT_TRUE(rows);
  EXPECT_EQ(find(*rows, Level::kUnit, day(2026, 1, 9))->counters[Counter::kLate], 1);
}

TEST(StatsContribution, TwoSupplementRequestsAreLateWhateverTheFinish) {
  FlatClock clock;
  Dossier d = received(at(2026, 1, 5), at(2026, 1, 20));
  for (int i = 0; i < 2; ++i) {
    dossier::SupplementRequest s;
    s.requested_at = at(2026, 1, 6 + i * 2);
    s.answered_at = at(2026, 1, 7 + i * 2);
    s.after_receipt = true;
    d.supplements.push_back(s);
  }
  d.state = State::kResultIssued;
  d.finished_at = at(2026, 1, 12);
  auto rows = contribution(d, "01", &clock);
  ASSERT_TRUE(rows);
  EXPECT_EQ(find(*rows, Level::kUnit, day(2026, 1, 12))->counters[Counter::kLate], 1);
  // Asked for supplements counts once, on the receipt day with "received":
  // the rate over any range is a share of that range's received dossiers.
  EXPECT_EQ(find(*rows, Level::kUnit, day(2026, 1, 5))->counters[Counter::kSupplemented], 1);
  EXPECT_EQ(find(*rows, Level::kUnit, day(2026, 1, 6))->counters[Counter::kSupplemented], 0);
  EXPECT_EQ(find(*rows, Level::kUnit, day(2026, 1, 6))->counters[Counter::kSupplementRequests], 1);
  EXPECT_EQ(find(*rows, Level::kUnit, day(2026, 1, 8))->counters[Counter::kSupplemented], 0);
  EXPECT_EQ(find(*rows, Level::kUnit, day(2026, 1, 8))->counters[Counter::kSupplementRequests], 1);
  // The two paused days are left out of the processing time: 7 - 2 days.
  EXPECT_EQ(find(*rows, Level::kUnit, day(2026, 1, 12))->counters[Counter::kProcessingMilliDays],
            5 * 3000);
}

TEST(StatsContribution, ChangesSumToTheFinalContribution) {
  FlatClock clock;
  Dossier a = received(at(2026, 1, 5), at(2026, 1, 8));
  Dossier b = a;  // forwarded to another commune
  b.competent_unit = "00007";
  Dossier c = b;  // finished and rated
  c.state = State::kReturned;
  c.finished_at = at(2026, 1, 7);
  c.rating = dossier::Rating{5, "", at(2026, 1, 9)};
  std::vector<Row> sum;
  std::vector<Row> prev;
  for (const Dossier* d : {&a, &b, &c}) {
    auto rows = contribution(*d, "01", &clock);
    ASSERT_TRUE(rows);
    merge_into(sum, delta(prev, *rows));
    prev = *rows;
  }
  EXPECT_EQ(sum.size(), prev.size());
  for (std::size_t i = 0; i < sum.size() && i < prev.size(); ++i) {
    EXPECT_EQ(sum[i].key, prev[i].key);
    EXPECT_EQ(sum[i].counters, prev[i].counters);
  }
  // Nothing is left at the first commune once forwarded but its desk's receipt.
  for (const auto& r : sum) {
    if (r.key.unit != "00004") continue;
    Counters desk_only;
    desk_only[Counter::kReceivedAtDesk] = 1;
    EXPECT_EQ(r.counters, desk_only);
  }
}

const Row* find_at(const std::vector<Row>& rows, Level level, std::string_view unit,
                   std::int64_t d) {
  for (const auto& r : rows) {
    if (r.key.level == level && r.key.unit == unit && r.key.day == d) return &r;
  }
  return nullptr;
}

TEST(StatsContribution, AReceiptCountsAtTheDeskThatReceivedItToo) {
  // Received at commune 00004's desk, settled by commune 00007 (phi địa giới).
  Dossier d = received(at(2026, 1, 5), at(2026, 1, 8));
  d.competent_unit = "00007";
  d.channel = dossier::Channel::kCounter;
  d.province_wide = true;
  auto rows = contribution(d, "01", nullptr, "01");
  ASSERT_TRUE(rows);
  const auto r = day(2026, 1, 5);
  // The desk's row holds its receipt and nothing of the settling unit's figures.
  const Row* desk = find_at(*rows, Level::kUnit, "00004", r);
  ASSERT_NE(desk, nullptr);
  Counters desk_only;
  desk_only[Counter::kReceivedAtDesk] = 1;
  EXPECT_EQ(desk->counters, desk_only);
  EXPECT_EQ(find_at(*rows, Level::kUnit, "00004", kGaugeDay), nullptr);
  // The competent unit's figures are what they were.
  const Row* competent = find_at(*rows, Level::kUnit, "00007", r);
  ASSERT_NE(competent, nullptr);
  EXPECT_EQ(competent->counters[Counter::kReceived], 1);
  EXPECT_EQ(competent->counters[Counter::kReceivedCounter], 1);
  EXPECT_EQ(competent->counters[Counter::kReceivedAtDesk], 0);
  ASSERT_NE(find_at(*rows, Level::kUnit, "00007", kGaugeDay), nullptr);
  // The province and the nation count it once as received and once at a desk.
  for (auto [level, unit] : {std::pair{Level::kProvince, "01"}, std::pair{Level::kNation, "VN"}}) {
    const Row* p = find_at(*rows, level, unit, r);
    ASSERT_NE(p, nullptr) << unit;
    EXPECT_EQ(p->counters[Counter::kReceived], 1) << unit;
    EXPECT_EQ(p->counters[Counter::kReceivedAtDesk], 1) << unit;
  }
  // The units' rows add up to the province's.
  Counters units;
  for (const auto& row : *rows) {
    if (row.key.level == Level::kUnit && row.key.day == r) units += row.counters;
  }
  EXPECT_EQ(units, find_at(*rows, Level::kProvince, "01", r)->counters);
}

TEST(StatsContribution, AReceiptWhereItIsSettledCountsAtThatDesk) {
  const Dossier d = received(at(2026, 1, 5), at(2026, 1, 8));
  auto rows = contribution(d, "01", nullptr);
  ASSERT_TRUE(rows);
  for (auto [level, unit] : {std::pair{Level::kUnit, "00004"}, std::pair{Level::kProvince, "01"},
                             std::pair{Level::kNation, "VN"}}) {
    const Row* row = find_at(*rows, level, unit, day(2026, 1, 5));
    ASSERT_NE(row, nullptr) << unit;
    EXPECT_EQ(row->counters[Counter::kReceived], 1) << unit;
    EXPECT_EQ(row->counters[Counter::kReceivedAtDesk], 1) << unit;
  }
  // A dossier without a receiving unit (none is written so) counts at the competent one.
  Dossier bare = d;
  bare.receiving_unit.clear();
  auto same = contribution(bare, "01", nullptr);
  ASSERT_TRUE(same);
  EXPECT_EQ(*same, *rows);
  // Not received: no desk counts it.
  Dossier draft;
  draft.receiving_unit = "00004";
  draft.competent_unit = "00007";
  draft.state = State::kSubmitted;
  auto none = contribution(draft, "01", nullptr);
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(StatsIndicators, RatesAreAbsentWithoutDenominator) {
  Counters c;
  const auto i = indicators(c, 0, 0);
  EXPECT_FALSE(i.online_rate);
  EXPECT_FALSE(i.on_time_rate);
  const auto s = service_index(i);
  EXPECT_FALSE(s.score);
  EXPECT_EQ(s.out_of, 0);
}

TEST(StatsIndicators, ServiceIndexWeightsAndMissingInputs) {
  Counters c;
  c[Counter::kReceived] = 10;
  c[Counter::kReceivedOnline] = 7;
  c[Counter::kFinished] = 8;
  c[Counter::kOnTime] = 6;
  c[Counter::kDigitised] = 5;
  c[Counter::kResultsElectronic] = 4;
  c[Counter::kRatings] = 4;
  c[Counter::kSatisfied] = 3;
  const auto i = indicators(c, 3, 2);
  EXPECT_DOUBLE_EQ(*i.online_rate, 0.7);
  EXPECT_DOUBLE_EQ(*i.on_time_rate, 0.75);
  const auto s = service_index(i);
  double weights = 0;
  for (const auto& g : s.groups) weights += g.weight;
  EXPECT_EQ(weights, 100);
  // Transparency has no input yet: left out of out_of.
  EXPECT_EQ(s.groups[0].key, "transparency");
  EXPECT_FALSE(s.groups[0].points);
  EXPECT_EQ(s.out_of, 82);
  // Progress counts the 2 overdue now: 6 / (8 + 2).
  EXPECT_DOUBLE_EQ(*s.groups[1].points, 20 * 0.6);
  // Digitisation: mean of 0.5 and 0.5; online service: only the online rate has data.
  EXPECT_DOUBLE_EQ(*s.groups[2].points, 22 * 0.5);
  EXPECT_DOUBLE_EQ(*s.groups[3].points, 22 * 0.7);
  EXPECT_DOUBLE_EQ(*s.groups[4].points, 18 * 0.75);
  EXPECT_NEAR(*s.score, s.points / 82 * 100, 1e-9);
}

TEST(StatsIndicators, ProgressOfAPastRangeLeavesOutTheOverdueNow) {
  // A past year with no dossiers, while 3 are overdue today: no progress
  // figure, not 0 out of 20.
  Counters none;
  auto i = indicators(none, 5, 3);
  i.reaches_today = false;
  auto s = service_index(i);
  EXPECT_EQ(s.groups[1].key, "progress");
  EXPECT_FALSE(s.groups[1].points);
  EXPECT_FALSE(s.groups[1].inputs[0].value);
  EXPECT_FALSE(s.groups[1].inputs[0].missing);  // the platform holds it: no data in the range
  EXPECT_FALSE(s.score);
  // A past range with finished dossiers: on time / finished alone.
  Counters c;
  c[Counter::kFinished] = 8;
  c[Counter::kOnTime] = 6;
  i = indicators(c, 5, 3);
  i.reaches_today = false;
  s = service_index(i);
  EXPECT_DOUBLE_EQ(*s.groups[1].points, 20 * 0.75);
  EXPECT_EQ(s.groups[1].inputs[0].name_en, "Dossiers settled on time");
  // A range reaching today counts them: 6 / (8 + 3).
  i.reaches_today = true;
  s = service_index(i);
  EXPECT_DOUBLE_EQ(*s.groups[1].points, 20 * 6.0 / 11);
  // And with nothing finished yet, the overdue ones alone score 0.
  i = indicators(none, 5, 3);
  s = service_index(i);
  EXPECT_DOUBLE_EQ(*s.groups[1].points, 0);
}

// Finished, on time, received, online, digitised, electronic results.
Indicators figures_of(int finished, int on_time, int received, int online, int digitised,
                      int electronic) {
  Counters c;
  c[Counter::kFinished] = finished;
  c[Counter::kOnTime] = on_time;
  c[Counter::kReceived] = received;
  c[Counter::kReceivedOnline] = online;
  c[Counter::kDigitised] = digitised;
  c[Counter::kResultsElectronic] = electronic;
  return indicators(c, 0, 0);
}

TEST(StatsIndicators, EqualScoresAreTheSameNumberWhateverTheirInputs) {
  // Both 43.1 points of 64: 20 + 22 x (0.1 + 0.8) / 2 + 22 x 0.6, and
  // 20 + 22 x (0.9 + 1) / 2 + 22 x 0.1. Added in floating point they came out
  // as 67.34375 and 67.34374999999999, ranked apart (rounded to four decimals,
  // 67.3438 and 67.3437).
  const auto a = service_index(figures_of(5, 5, 10, 6, 1, 4));
  const auto b = service_index(figures_of(1, 1, 10, 1, 9, 1));
  ASSERT_TRUE(a.score && b.score);
  EXPECT_EQ(a.out_of, 64);
  EXPECT_EQ(*a.score, 67.34375);
  EXPECT_EQ(*b.score, 67.34375);
  EXPECT_EQ(a.points, b.points);
  EXPECT_EQ(a.points, 43.1);  // the double nearest 43.1, as a one-step division gives it
  // Another pair: 82.8125 and 82.81249999999999 in floating point.
  const auto c = service_index(figures_of(1, 1, 11, 6, 10, 1));
  const auto d = service_index(figures_of(2, 2, 6, 4, 4, 2));
  EXPECT_EQ(*c.score, 82.8125);
  EXPECT_EQ(*d.score, 82.8125);
  const std::vector<double> scores = {*a.score, 90, *b.score, *c.score, *d.score};
  EXPECT_EQ(competition_ranks(scores), (std::vector<int>{4, 1, 4, 2, 2}));
  // A group's points are exact too: 22 x (0.1 + 0.8) / 2 is 9.9, not 9.900000000000002.
  EXPECT_EQ(*a.groups[2].points, 9.9);
  // A score that is no short decimal is its nearest double: 20 x 2/3 points
  // (and none of 22 for electronic results) of 42 is 2000/63.
  const auto e = service_index(figures_of(3, 2, 0, 0, 0, 0));
  EXPECT_EQ(e.out_of, 42);
  EXPECT_EQ(*e.score, 2000.0 / 63);
}

TEST(StatsRanking, EqualScoresShareARank) {
  const std::vector<double> scores = {70, 91.5, 80, 91.5, 80, 80, 12};
  EXPECT_EQ(competition_ranks(scores), (std::vector<int>{6, 1, 3, 1, 3, 3, 7}));
  EXPECT_EQ(competition_ranks(std::vector<double>{5, 4, 3}), (std::vector<int>{1, 2, 3}));
  EXPECT_TRUE(competition_ranks({}).empty());
}

TEST(StatsPeriod, PeriodsAroundADate) {
  const auto today = day(2026, 12, 3);
  auto w = parse_range("week", "2026-12-03", "", "", today);  // a Thursday
  ASSERT_TRUE(w);
  EXPECT_EQ(day_iso(w->from_day), "2026-11-30");
  EXPECT_EQ(day_iso(w->to_day), "2026-12-06");
  auto q = parse_range("quarter", "2026-11-15", "", "", today);
  ASSERT_TRUE(q);
  EXPECT_EQ(day_iso(q->from_day), "2026-10-01");
  EXPECT_EQ(day_iso(q->to_day), "2026-12-31");
  auto m = parse_range("month", "", "", "", day(2028, 2, 10));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->days(), 29);
  auto r = parse_range("", "", "2026-01-01", "2026-01-31", today);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->days(), 31);
}

TEST(StatsPeriod, BadInputNamesTheParameter) {
  const auto today = day(2026, 12, 3);
  EXPECT_EQ(parse_range("fortnight", "", "", "", today).error().param, "period");
  EXPECT_EQ(parse_range("day", "2026-02-30", "", "", today).error().param, "date");
  EXPECT_EQ(parse_range("", "", "2026-02-01", "2026-01-01", today).error().param, "to");
  EXPECT_EQ(parse_range("", "", "", "2026-01-01", today).error().param, "from");
  EXPECT_EQ(parse_range("", "", "2000-01-01", "2026-01-01", today).error().param, "to");
  // A period and a range together: which one was meant is not guessed.
  for (auto [from, to] :
       {std::pair{"2026-01-01", "2026-01-31"}, {"2026-01-01", ""}, {"", "2026-01-31"}}) {
    auto e = parse_range("month", "", from, to, today);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().param, "period");
  }
}

TEST(StatsForecast, WeekdayRhythmCarriesOver) {
  // Eight weeks of Monday-Friday: Mondays 20, other days 10.
  std::vector<DayCount> history;
  const auto first = day(2026, 1, 5);  // a Monday
  for (std::int64_t d = first; d < first + 56; ++d) {
    const auto wd = calendar::weekday(calendar::civil_from_days(d));
    if (wd >= calendar::Weekday::kSaturday) continue;
    history.push_back({d, wd == calendar::Weekday::kMonday ? 20 : 10});
  }
  const std::vector<std::int64_t> next = {first + 56, first + 57};  // Monday, Tuesday
  const auto f = forecast(history, next);
  EXPECT_DOUBLE_EQ(f[0], 20);
  EXPECT_DOUBLE_EQ(f[1], 10);
  const auto e = backtest(history, 10);
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->mae, 0);
  EXPECT_EQ(e->held_back_days, 10);
  EXPECT_EQ(staff_for(20, 30), 1);
  EXPECT_EQ(staff_for(61, 30), 3);
  EXPECT_EQ(staff_for(0, 30), 0);
}

TEST(StatsForecast, ErrorIsMeasuredOnTheHeldBackDays) {
  std::vector<DayCount> history;
  const auto first = day(2026, 1, 5);
  for (int i = 0; i < 40; ++i) history.push_back({first + i * 7, i < 30 ? 10 : 20});  // Mondays
  const auto e = backtest(history, 10);
  ASSERT_TRUE(e);
  EXPECT_DOUBLE_EQ(e->mae, 10);  // predicted 10, happened 20
  EXPECT_DOUBLE_EQ(*e->wape, 0.5);
  EXPECT_DOUBLE_EQ(e->bias, -10);
  EXPECT_FALSE(backtest(std::span(history).first(5), 10));
}

}  // namespace
}  // namespace motcua::stats
