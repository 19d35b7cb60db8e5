// The calendar area's contract on SQLite and, when MOTCUA_TEST_PG_URL names a
// server, on PostgreSQL: every field of a year's decision and of a unit's
// settings comes back as written, a second write replaces the first, and the
// rows survive closing and reopening the store.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <thread>

#include "store/store.hpp"
#include "store_test_support.hpp"

namespace motcua::store {
namespace {

using test_support::describe;

namespace cal = calendar;

class CalendarStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!db_.make(GetParam(), "cal")) GTEST_SKIP() << test_support::kNoPostgres;
  }

  std::unique_ptr<Store> open_migrated() {
    auto store = open_store(db_.url());
    EXPECT_TRUE(store.ok()) << (store.ok() ? "" : describe(store.error()));
    if (!store.ok()) return nullptr;
    auto migrated = (*store)->migrate();
    EXPECT_TRUE(migrated.ok()) << (migrated.ok() ? "" : describe(migrated.error()));
    return migrated.ok() ? std::move(store).value() : nullptr;
  }

  test_support::TestDatabase db_;
};

YearOverridesRecord decision_2026() {
  cal::YearOverrides o;
  o.year = 2026;
  o.tet_days = std::vector<cal::CivilDate>{{2026, 2, 14}, {2026, 2, 16}, {2026, 2, 17},
                                           {2026, 2, 18}, {2026, 2, 19}, {2026, 2, 20}};
  o.national_day_adjacent = cal::CivilDate{2026, 9, 1};
  o.days_off.push_back({{2026, 1, 2}, "Nghỉ hoán đổi \"Tết\" \\ 02/01", "Swapped day off"});
  o.days_off.push_back({{2026, 5, 4}, "", ""});
  o.working_days.push_back({{2026, 1, 10}, "Làm bù cho ngày 02/01", "Worked for 2 January"});
  return YearOverridesRecord{o, "quản trị viên", cal::make_instant({2026, 1, 5}, 9, 15, 30)};
}

void expect_same(const YearOverridesRecord& a, const YearOverridesRecord& b) {
  EXPECT_EQ(a.overrides.year, b.overrides.year);
  EXPECT_EQ(a.overrides.tet_days, b.overrides.tet_days);
  EXPECT_EQ(a.overrides.national_day_adjacent, b.overrides.national_day_adjacent);
  auto same_list = [](const std::vector<cal::NamedDate>& x, const std::vector<cal::NamedDate>& y) {
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i) {
      if (x[i].date != y[i].date || x[i].name_vi != y[i].name_vi || x[i].name_en != y[i].name_en) {
        return false;
      }
    }
    return true;
  };
  EXPECT_TRUE(same_list(a.overrides.days_off, b.overrides.days_off));
  EXPECT_TRUE(same_list(a.overrides.working_days, b.overrides.working_days));
  EXPECT_EQ(a.changed_by, b.changed_by);
  EXPECT_EQ(a.changed_at, b.changed_at);
}

TEST_P(CalendarStoreTest, EmptyStoreHasNoDecisionsAndNoSettings) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  auto years = store->calendar().year_overrides();
  ASSERT_OK(years);
  EXPECT_TRUE(years->empty());
  auto settings = store->calendar().unit_settings();
  ASSERT_OK(settings);
  EXPECT_TRUE(settings->empty());
}

TEST_P(CalendarStoreTest, YearDecisionComesBackFieldForField) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  const auto written = decision_2026();
  ASSERT_OK(store->calendar().put_year_overrides(written, "test"));
  auto years = store->calendar().year_overrides();
  ASSERT_OK(years);
  ASSERT_EQ(years->size(), 1u);
  expect_same(written, (*years)[0]);
}

TEST_P(CalendarStoreTest, AbsentTetDaysAndNationalDayStayAbsent) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  YearOverridesRecord r;
  r.overrides.year = 2027;
  r.changed_by = "admin";
  r.changed_at = cal::make_instant({2027, 3, 1}, 0, 0);
  ASSERT_OK(store->calendar().put_year_overrides(r, "test"));
  auto years = store->calendar().year_overrides();
  ASSERT_OK(years);
  ASSERT_EQ(years->size(), 1u);
  EXPECT_FALSE((*years)[0].overrides.tet_days.has_value());
  EXPECT_FALSE((*years)[0].overrides.national_day_adjacent.has_value());
  EXPECT_TRUE((*years)[0].overrides.days_off.empty());
  expect_same(r, (*years)[0]);
}

TEST_P(CalendarStoreTest, SecondWriteOfAYearReplacesTheFirstAndYearsComeInOrder) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  YearOverridesRecord y2027;
  y2027.overrides.year = 2027;
  y2027.overrides.days_off.push_back({{2027, 4, 30}, "a", "b"});
  y2027.changed_by = "first";
  ASSERT_OK(store->calendar().put_year_overrides(y2027, "test"));
  ASSERT_OK(store->calendar().put_year_overrides(decision_2026(), "test"));
  y2027.overrides.days_off = {{{2027, 5, 3}, "Nghỉ", "Off"}};
  y2027.changed_by = "second";
  y2027.changed_at = cal::make_instant({2027, 4, 1}, 10, 0);
  ASSERT_OK(store->calendar().put_year_overrides(y2027, "test"));

  auto years = store->calendar().year_overrides();
  ASSERT_OK(years);
  ASSERT_EQ(years->size(), 2u);
  expect_same(decision_2026(), (*years)[0]);
  expect_same(y2027, (*years)[1]);
}

TEST_P(CalendarStoreTest, UnitSettingsComeBackAndReplace) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  UnitCalendarSettingsRecord commune;
  commune.unit_code = "00004";
  commune.hours = {cal::TimeOfDay::hm(8, 0), cal::TimeOfDay::hm(12, 0), cal::TimeOfDay::hm(13, 30),
                   cal::TimeOfDay::hm(17, 30)};
  commune.receipt_cutoff = cal::TimeOfDay::hm(16, 0);
  commune.changed_by = "admin";
  commune.changed_at = cal::make_instant({2026, 2, 1}, 8, 0);
  UnitCalendarSettingsRecord province;
  province.unit_code = "01";
  province.changed_by = "admin";
  ASSERT_OK(store->calendar().put_unit_settings(commune, "test"));
  ASSERT_OK(store->calendar().put_unit_settings(province, "test"));

  auto rows = store->calendar().unit_settings();
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 2u);
  const auto& a = (*rows)[0];  // "00004" sorts before "01"
  EXPECT_EQ(a.unit_code, "00004");
  EXPECT_EQ(a.hours.morning_start, commune.hours.morning_start);
  EXPECT_EQ(a.hours.morning_end, commune.hours.morning_end);
  EXPECT_EQ(a.hours.afternoon_start, commune.hours.afternoon_start);
  EXPECT_EQ(a.hours.afternoon_end, commune.hours.afternoon_end);
  EXPECT_EQ(a.receipt_cutoff, commune.receipt_cutoff);
  EXPECT_EQ(a.changed_by, "admin");
  EXPECT_EQ(a.changed_at, commune.changed_at);
  EXPECT_EQ((*rows)[1].unit_code, "01");
  EXPECT_FALSE((*rows)[1].receipt_cutoff.has_value());

  commune.receipt_cutoff.reset();
  commune.hours.afternoon_end = cal::TimeOfDay::hm(16, 30);
  commune.changed_by = "other";
  ASSERT_OK(store->calendar().put_unit_settings(commune, "test"));
  rows = store->calendar().unit_settings();
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_FALSE((*rows)[0].receipt_cutoff.has_value());
  EXPECT_EQ((*rows)[0].hours.afternoon_end, cal::TimeOfDay::hm(16, 30));
  EXPECT_EQ((*rows)[0].changed_by, "other");
}

TEST_P(CalendarStoreTest, RowsSurviveReopening) {
  {
    auto store = open_migrated();
    ASSERT_NE(store, nullptr);
    ASSERT_OK(store->calendar().put_year_overrides(decision_2026(), "test"));
    UnitCalendarSettingsRecord s;
    s.unit_code = "79";
    s.receipt_cutoff = cal::TimeOfDay::hm(15, 0);
    ASSERT_OK(store->calendar().put_unit_settings(s, "test"));
  }
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  auto years = store->calendar().year_overrides();
  ASSERT_OK(years);
  ASSERT_EQ(years->size(), 1u);
  expect_same(decision_2026(), (*years)[0]);
  auto rows = store->calendar().unit_settings();
  ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].receipt_cutoff, cal::TimeOfDay::hm(15, 0));
}

TEST_P(CalendarStoreTest, ConcurrentWritersOfOneYearLeaveOneWholeRow) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&store, t] {
      for (int i = 0; i < 20; ++i) {
        auto r = decision_2026();
        r.changed_by = "writer " + std::to_string(t);
        EXPECT_TRUE(store->calendar().put_year_overrides(r, "test").ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  auto years = store->calendar().year_overrides();
  ASSERT_OK(years);
  ASSERT_EQ(years->size(), 1u);
  EXPECT_EQ((*years)[0].changed_by.rfind("writer ", 0), 0u);
  EXPECT_EQ((*years)[0].overrides.days_off.size(), 2u);
}

// A change can change what the counters counted for finished dossiers: each
// write leaves its mark when there are counters, in its own transaction, and
// a rebuild clears only the marks it was given (one left meanwhile stays).
TEST_P(CalendarStoreTest, AChangeMarksTheCountersItCanChange) {
  auto store = open_migrated();
  ASSERT_NE(store, nullptr);
  auto due = [&store] {
    auto r = store->stats().rebuild_due();
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<std::string>{"?"};
  };
  ASSERT_OK(store->calendar().put_year_overrides(decision_2026(), "before any counter"));
  EXPECT_EQ(due(), std::vector<std::string>{});

  stats::Row row{{stats::Level::kUnit, "00004", cal::days_from_civil({2026, 1, 6})}, {}};
  row.counters[stats::Counter::kReceived] = 1;
  ASSERT_OK(store->stats().replace_all({row}));
  ASSERT_OK(store->calendar().put_year_overrides(decision_2026(), "holidays"));
  UnitCalendarSettingsRecord s;
  s.unit_code = "00004";
  ASSERT_OK(store->calendar().put_unit_settings(s, "hours"));
  EXPECT_EQ(due(), (std::vector<std::string>{"holidays", "hours"}));

  const std::vector<std::string> seen{"holidays"};
  ASSERT_OK(store->stats().replace_all({row}, nullptr, &seen));
  EXPECT_EQ(due(), std::vector<std::string>{"hours"});
  ASSERT_OK(store->stats().replace_all({row}));
  EXPECT_EQ(due(), std::vector<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(Backends, CalendarStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace motcua::store
