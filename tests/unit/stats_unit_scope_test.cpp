// A province's own agencies as a scope of their own: the figure of scope
// "own" reads the unit rows of the province's code, which hold the dossiers
// whose competent unit is the province and none of its communes'.
#include <gtest/gtest.h>

#include "domain/stats/contribution.hpp"
#include "domain/stats/dossier_list.hpp"
#include "domain/stats/unit_scope.hpp"
#include "stats_test_support.hpp"

namespace motcua::stats {
namespace {

Counters sum_at(const std::vector<Row>& rows, Level level, std::string_view unit) {
  Counters c;
  for (const auto& r : rows)
    if (r.key.level == level && r.key.unit == unit && r.key.day != kGaugeDay) c += r.counters;
  return c;
}

TEST(StatsUnitScope, NamesRoundTripAndOthersAreRefused) {
  for (UnitScope s : {UnitScope::kAll, UnitScope::kOwn}) {
    EXPECT_EQ(parse_unit_scope(unit_scope_name(s)), s);
  }
  EXPECT_EQ(unit_scope_name(UnitScope::kOwn), "own");
  for (std::string_view bad : {"", "OWN", "province", "own ", "agencies"}) {
    EXPECT_FALSE(parse_unit_scope(bad).has_value()) << bad;
  }
}

TEST(StatsUnitScope, TheProvincesOwnRowsHoldOnlyItsOwnAgenciesDossiers) {
  const auto when = calendar::to_instant({2026, 1, 5}, 9 * 3600);
  const auto due = calendar::to_instant({2026, 1, 9}, 9 * 3600);
  dossier::Dossier own = received_dossier(when, due);
  own.competent_unit = "01";
  own.receiving_unit = "00004";  // received at a commune's desk, settled by the province
  const dossier::Dossier commune = received_dossier(when, due);
  std::vector<Row> rows;
  const dossier::Dossier* both[] = {&own, &commune};
  for (const auto* d : both) {
    auto r = contribution(*d, "01", nullptr);
    ASSERT_TRUE(r.ok());
    merge_into(rows, *r);
  }
  EXPECT_EQ(sum_at(rows, Level::kProvince, "01")[Counter::kReceived], 2);
  EXPECT_EQ(sum_at(rows, Level::kUnit, "01")[Counter::kReceived], 1);
  EXPECT_EQ(sum_at(rows, Level::kUnit, "00004")[Counter::kReceived], 1);
  // The list behind the own figure is decided on the same rows.
  const auto day = calendar::local_day_number(when);
  auto own_rows = contribution(own, "01", nullptr);
  auto commune_rows = contribution(commune, "01", nullptr);
  ASSERT_TRUE(own_rows.ok() && commune_rows.ok());
  EXPECT_TRUE(counted_in(ListKind::kReceived, *own_rows, "01", day, day));
  EXPECT_FALSE(counted_in(ListKind::kReceived, *commune_rows, "01", day, day));
}

}  // namespace
}  // namespace motcua::stats
