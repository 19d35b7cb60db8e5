// A calendar change moves the due time of an open dossier whose supplement
// pause it spans: the pause counts working time, and a day made a day off
// inside it is no longer waited. The dossier's own time report works it out
// from the calendars each time; the row's indexed due times (what "overdue
// now", the warnings and the deadline sweep read) must follow at the recount
// the change leaves due. On both databases, through the real services.
#include <gtest/gtest.h>

#include <string>

#include "domain/access/principal.hpp"
#include "domain/dossier/dossier.hpp"
#include "domain/dossier/state_machine.hpp"
#include "services/calendar_service.hpp"
#include "services/dossier_service.hpp"
#include "services/stats_service.hpp"
#include "services_over_store.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace motcua {
namespace {

using store::test_support::describe;
using store::test_support::TestDatabase;

calendar::Instant at(const char* text) { return *calendar::parse_rfc3339(text); }

access::Principal staff(access::Role role, std::int64_t id) {
  access::Principal p;
  p.user_id = id;
  p.username = "staff" + std::to_string(id);
  p.roles = access::role_bit(role);
  p.unit_code = "00004";
  p.province_code = "01";
  return p;
}

class CalendarDueReindex : public ::testing::TestWithParam<std::string> {};

TEST_P(CalendarDueReindex, ADayOffInsideAnAnsweredPauseMovesTheIndexedDueAtTheRecount) {
  TestDatabase db;
  if (!db.make(GetParam(), "duereindex")) GTEST_SKIP() << store::test_support::kNoPostgres;
  store::test_support::ServicesOverStore over;
  ASSERT_TRUE(over.open(db.url()));
  store::Store& store = *over.store;
  services::UnitService& units = *over.units;
  services::CalendarService& calendars = *over.calendar;
  services::CatalogService& catalog = *over.catalog;
  services::StatsService stats(store.stats(), store.dossiers(), units, calendars, catalog,
                               units.province_of());

  calendar::Instant now = at("2027-03-01T10:00:00+07:00");  // a Monday
  services::DossierService dossiers(store.dossiers(), catalog, calendars, units,
                                    units.province_of(), [&now] { return now; });
  // A commune's procedure taken at the counter, due in working days.
  const catalog::ProcedureVersion* proc = nullptr;
  for (const auto& pv : catalog.snapshot()->index.all()) {
    if (proc || pv.procedure.competent_level != "commune" || pv.procedure.components.empty())
      continue;
    for (const auto& c : pv.procedure.channels) {
      if (c.channel == "counter" && c.time_unit == "working_days" && c.time_amount &&
          *c.time_amount >= 10)
        proc = &pv;
    }
  }
  ASSERT_NE(proc, nullptr);
  const auto officer = staff(access::Role::kReceivingOfficer, 1);
  services::SubmitRequest filing;
  filing.procedure_code = proc->procedure.code;
  filing.competent_unit = "00004";
  filing.channel = dossier::Channel::kCounter;
  filing.applicant.name = "Nguyễn Văn Dân";
  filing.applicant.id_number = "001090000001";
  filing.applicant.phone = "0912345678";
  filing.applicant.address = "Phường Ba Đình";
  auto filed = dossiers.submit(officer, filing);
  ASSERT_TRUE(filed) << describe(filed);
  std::string papers = R"({"components":[)";
  for (std::size_t i = 0; i < proc->procedure.components.size(); ++i)
    papers += (i ? "," : "") + std::string(R"({"component_id":"c)") + std::to_string(i + 1) +
              R"(","form":"paper_original"})";
  papers += "]}";
  const auto& id = filed->view.dossier.id;
  auto received = dossiers.act(officer, id, dossier::Action::kReceive, papers, filed->view.version);
  ASSERT_TRUE(received) << describe(received);
  // Assigned to a specialist, who asks for a paper on Tuesday at 10:00; it is
  // given at the desk on Thursday at 10:00: two working days waited,
  // Wednesday 3 March among them.
  const auto leader = staff(access::Role::kLeader, 2);
  const auto specialist = staff(access::Role::kSpecialist, 3);
  now = at("2027-03-01T11:00:00+07:00");
  auto assigned =
      dossiers.act(leader, id, dossier::Action::kAssign, R"({"assignee":"3"})", received->version);
  ASSERT_TRUE(assigned) << describe(assigned);
  now = at("2027-03-02T10:00:00+07:00");
  auto asked = dossiers.act(specialist, id, dossier::Action::kRequestSupplement,
                            R"({"missing":["Tờ khai"]})", assigned->version);
  ASSERT_TRUE(asked) << describe(asked);
  now = at("2027-03-04T10:00:00+07:00");
  auto given = dossiers.act(officer, id, dossier::Action::kSupplement, papers, asked->version);
  ASSERT_TRUE(given) << describe(given);
  auto before = store.dossiers().get(id);
  ASSERT_TRUE(before && *before) << describe(before);
  ASSERT_TRUE((*before)->live_due);
  auto clean = stats.verify();
  ASSERT_TRUE(clean) << describe(clean);
  EXPECT_TRUE(clean->live_due.empty());

  // Wednesday becomes a day off: one working day less was waited.
  calendar::YearOverrides decision;
  decision.year = 2027;
  decision.days_off.push_back(
      {calendar::CivilDate{2027, 3, 3}, "Nghỉ hoán đổi", "Swapped day off"});
  auto changed = calendars.set_overrides(decision, "admin");
  ASSERT_TRUE(changed) << describe(changed);
  auto stale = stats.verify();
  ASSERT_TRUE(stale) << describe(stale);
  ASSERT_EQ(stale->live_due.size(), 1u) << "verify must see the row's due time go stale";
  EXPECT_EQ(stale->live_due.front().dossier_id, id);

  auto recounted = stats.rebuild_if_due();
  ASSERT_TRUE(recounted) << describe(recounted);
  ASSERT_EQ(recounted->size(), 1u);
  auto after = store.dossiers().get(id);
  ASSERT_TRUE(after && *after) << describe(after);
  ASSERT_TRUE((*after)->live_due);
  // The legal due time moved back by what was no longer waited: a working
  // day (the pause's 10:00 to 10:00 spans two, now one).
  EXPECT_LT(*(*after)->live_due, *(*before)->live_due);
  EXPECT_EQ((*after)->version, (*before)->version) << "the dossier itself did not change";
  auto view = dossiers.get(officer, id);
  ASSERT_TRUE(view) << describe(view);
  ASSERT_TRUE(view->time && view->time->effective_due);
  EXPECT_EQ(*(*after)->live_due, view->time->effective_due->epoch_seconds)
      << "the row and the dossier's time report must agree";
  auto verified = stats.verify();
  ASSERT_TRUE(verified) << describe(verified);
  EXPECT_TRUE(verified->same());
}

INSTANTIATE_TEST_SUITE_P(Backends, CalendarDueReindex, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace motcua
