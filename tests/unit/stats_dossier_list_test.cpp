// The lists behind the operations centre's figures: a dossier is listed under
// a figure of its unit exactly when its contribution counts it there.
#include <gtest/gtest.h>

#include "domain/stats/contribution.hpp"
#include "domain/stats/dossier_list.hpp"
#include "stats_test_support.hpp"

namespace motcua::stats {
namespace {

using calendar::Instant;
using dossier::Dossier;
using dossier::State;

Instant at(int d, int h = 9) { return calendar::to_instant({2026, 1, d}, h * 3600); }
std::int64_t day(int d) { return calendar::local_day_number(at(d)); }

Dossier received_on(int d, int due) { return received_dossier(at(d), at(due)); }

std::vector<Row> rows_of(const Dossier& d) {
  FlatClock clock;
  auto rows = contribution(d, "01", d.finished_at ? &clock : nullptr);
  EXPECT_TRUE(rows.ok());
  return rows ? *rows : std::vector<Row>{};
}

std::vector<std::string_view> lists(const Dossier& d, std::int64_t from, std::int64_t to,
                                    std::string_view unit = "00004") {
  const auto rows = rows_of(d);
  std::vector<std::string_view> out;
  for (ListKind k : kListKinds) {
    if (counted_in(k, rows, unit, from, to)) out.push_back(list_kind_name(k));
  }
  return out;
}

using Names = std::vector<std::string_view>;

TEST(StatsDossierList, AnOpenDossierIsReceivedOnItsDayAndOpenWhateverTheRange) {
  const Dossier d = received_on(5, 8);
  EXPECT_EQ(lists(d, day(5), day(5)), (Names{"received", "open"}));
  EXPECT_EQ(lists(d, day(1), day(31)), (Names{"received", "open"}));
  EXPECT_EQ(lists(d, day(6), day(31)), (Names{"open"}));
  EXPECT_EQ(lists(d, day(1), day(4)), (Names{"open"}));
}

// The received list is decided from the code: a code is dated the receipt's
// local day (the state machine refuses any other), the day it is counted.
TEST(StatsDossierList, TheCodeTellsTheDayADossierIsCountedReceived) {
  for (int h : {0, 8, 23}) {
    Dossier d = received_on(5, 8);
    d.received_at = at(5, h);
    d.code = "H01.000.04-260105-0007";
    const auto rd = received_day(d.code);
    ASSERT_TRUE(rd.has_value());
    EXPECT_EQ(*rd, day(5)) << h;
    const auto rows = rows_of(d);
    EXPECT_TRUE(counted_in(ListKind::kReceived, rows, "00004", *rd, *rd)) << h;
    EXPECT_FALSE(counted_in(ListKind::kReceived, rows, "00004", *rd + 1, *rd + 30)) << h;
    EXPECT_FALSE(counted_in(ListKind::kReceived, rows, "00004", *rd - 30, *rd - 1)) << h;
  }
  EXPECT_FALSE(received_day("").has_value());                        // never received
  EXPECT_FALSE(received_day("HS01a11ebc7288d7f71e69").has_value());  // an id, not a code
}

TEST(StatsDossierList, FinishedOnTimeOrLateOnTheDayOfTheFinish) {
  Dossier on_time = received_on(5, 8);
  on_time.state = State::kReturned;
  on_time.finished_at = at(7);
  EXPECT_EQ(lists(on_time, day(7), day(7)), (Names{"finished", "on_time"}));
  EXPECT_EQ(lists(on_time, day(5), day(7)), (Names{"received", "finished", "on_time"}));
  EXPECT_EQ(lists(on_time, day(8), day(31)), Names{});
  Dossier late = received_on(5, 8);
  late.state = State::kResultIssued;
  late.finished_at = at(9);
  EXPECT_EQ(lists(late, day(9), day(9)), (Names{"finished", "late"}));
  EXPECT_EQ(lists(late, day(6), day(8)), Names{});
}

TEST(StatsDossierList, OnlyTheUnitsOwnRowsCount) {
  const Dossier d = received_on(5, 8);
  // The same dossier is on its province's and the nation's rows too; a
  // commune's list is of the dossiers whose competent unit it is.
  EXPECT_EQ(lists(d, day(5), day(5), "01"), Names{});
  EXPECT_EQ(lists(d, day(5), day(5), "VN"), Names{});
  EXPECT_EQ(lists(d, day(5), day(5), "00007"), Names{});
}

TEST(StatsDossierList, NotReceivedIsInNoList) {
  Dossier d;
  d.competent_unit = "00004";
  d.state = State::kSubmitted;
  EXPECT_EQ(lists(d, day(1), day(31)), Names{});
}

TEST(StatsDossierList, OverdueNowIsALiveDueBeforeNow) {
  const std::int64_t now = at(10).epoch_seconds;
  EXPECT_TRUE(overdue_now(at(9).epoch_seconds, now));
  EXPECT_FALSE(overdue_now(now, now)) << "due exactly now is not past due";
  EXPECT_FALSE(overdue_now(std::nullopt, now)) << "not open, or waiting since before its due";
  // The list reads every open state: a dossier may wait for the applicant overdue.
  const auto states = states_of(ListKind::kOverdue);
  EXPECT_EQ(std::count(states.begin(), states.end(), State::kWaitingSupplement), 1);
  EXPECT_EQ(std::count(states.begin(), states.end(), State::kReturned), 0);
}

TEST(StatsDossierList, EveryListReadsOnlyStatesItsDossiersCanBeIn) {
  for (ListKind k : kListKinds) {
    const auto states = states_of(k);
    EXPECT_FALSE(states.empty());
    for (State s : {State::kDraft, State::kSubmitted}) {
      EXPECT_EQ(std::count(states.begin(), states.end(), s), 0) << list_kind_name(k);
    }
  }
  const auto finished = states_of(ListKind::kLate);
  EXPECT_EQ(finished,
            (std::vector<State>{State::kResultIssued, State::kReturned, State::kRefused}));
}

TEST(StatsDossierList, TheStoresColumnsRuleOutOnlyWhatCannotCount) {
  // Received on the 5th, due the 8th, finished on the 7th, last changed on
  // the 7th (the finish). From the 6th on it is in the finished lists: the
  // bounds must keep it; from the 9th it can be in none of the range's lists.
  const std::int64_t changed = at(7).epoch_seconds;
  for (ListKind k :
       {ListKind::kReceived, ListKind::kFinished, ListKind::kOnTime, ListKind::kLate}) {
    EXPECT_TRUE(may_count(k, changed, day(5)));
    EXPECT_TRUE(may_count(k, changed, day(7)));
    EXPECT_TRUE(may_count(k, changed, day(8))) << "a day in hand";
    EXPECT_FALSE(may_count(k, changed, day(9))) << list_kind_name(k);
  }
  // Open and overdue are of now: the range says nothing of them.
  EXPECT_TRUE(may_count(ListKind::kOpen, changed, day(20)));
  EXPECT_TRUE(may_count(ListKind::kOverdue, changed, day(20)));
  // Received from the 5th on: due no earlier than the 5th (a day in hand).
  auto low = lowest_due(ListKind::kReceived, day(5));
  ASSERT_TRUE(low);
  EXPECT_LE(*low, at(5, 0).epoch_seconds);
  EXPECT_GE(*low, at(3, 0).epoch_seconds);
  // A late finish can be long past due: no bound on the due time.
  for (ListKind k : {ListKind::kFinished, ListKind::kOnTime, ListKind::kLate, ListKind::kOpen,
                     ListKind::kOverdue}) {
    EXPECT_FALSE(lowest_due(k, day(5))) << list_kind_name(k);
  }
}

TEST(StatsDossierList, NamesRoundTripAndUnknownIsRefused) {
  for (ListKind k : kListKinds) EXPECT_EQ(parse_list_kind(list_kind_name(k)), k);
  EXPECT_FALSE(parse_list_kind("Late"));
  EXPECT_FALSE(parse_list_kind(""));
  EXPECT_FALSE(parse_list_kind("overdue_now"));
}

}  // namespace
}  // namespace motcua::stats
