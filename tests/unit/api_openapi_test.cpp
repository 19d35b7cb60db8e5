// Keeps the router and the OpenAPI document in step: every route is documented
// and every documented operation is routed.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <set>

#include "api/accounts_api.hpp"
#include "api/attachments_api.hpp"
#include "api/calendar_api.hpp"
#include "api/catalog_api.hpp"
#include "api/dossiers_api.hpp"
#include "api/payments_api.hpp"
#include "api/stats_api.hpp"
#include "api/system_api.hpp"
#include "api/units_api.hpp"
#include "store/store.hpp"

namespace motcua {
namespace {

// No stored decisions or unit settings: enough to register the calendar routes.
struct EmptyCalendarStore final : store::CalendarStore {
  Result<std::vector<store::YearOverridesRecord>> year_overrides() override {
    return std::vector<store::YearOverridesRecord>();
  }
  Result<void> put_year_overrides(const store::YearOverridesRecord&, const std::string&) override {
    return ok();
  }
  Result<std::vector<store::UnitCalendarSettingsRecord>> unit_settings() override {
    return std::vector<store::UnitCalendarSettingsRecord>();
  }
  Result<void> put_unit_settings(const store::UnitCalendarSettingsRecord&,
                                 const std::string&) override {
    return ok();
  }
  Result<void> mark_counters(const std::string&) override { return ok(); }
};

std::string to_lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(OpenApi, EveryRouteIsDocumentedAndEveryOperationRouted) {
  units::ReferenceData data;
  data.versions.push_back({"01", units::Level::kProvince, "", "", "Hà Nội", "Thành phố Hà Nội", "",
                           "", "thanh_pho_tw", "2025-07-01", ""});
  services::UnitService svc(std::move(data));
  http::Router router;
  api::add_system_routes(router,
                         {"sqlite", [] { return ok(); }, [] { return std::string(); }, "t"});
  api::add_unit_routes(router, svc);
  EmptyCalendarStore calendar_store;
  auto calendar = services::CalendarService::create(calendar_store, svc);
  ASSERT_TRUE(calendar.ok());
  api::add_calendar_routes(router, **calendar);
  auto catalog_db = store::open_store("sqlite::memory:");  // never read: routes only
  ASSERT_TRUE(catalog_db.ok());
  services::CatalogService catalog((*catalog_db)->catalog());
  api::add_catalog_routes(router, catalog);
  services::AccountService accounts((*catalog_db)->accounts(),
                                    [](std::string_view) { return std::nullopt; });
  services::PersonalDataLog views((*catalog_db)->accounts());
  api::add_account_routes(router, accounts, views);
  services::DossierService dossiers((*catalog_db)->dossiers(), catalog, **calendar, svc, {});
  api::add_dossier_routes(router, dossiers, views);
  services::AttachmentService files((*catalog_db)->dossiers(),
                                    services::FileStore(::testing::TempDir()), 1 << 20);
  api::add_attachment_routes(router, files, dossiers, views);
  services::PaymentService payments(dossiers, std::nullopt);
  api::add_payment_routes(router, payments, "");
  services::StatsService stats((*catalog_db)->stats(), (*catalog_db)->dossiers(), svc, **calendar,
                               catalog, {});
  api::add_stats_routes(router, stats);

  std::set<std::pair<std::string, std::string>> routed;
  for (const auto& [method, pattern] : router.routes()) routed.insert({to_lower(method), pattern});

  auto doc = boost::json::parse(api::openapi_document()).as_object();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : doc.at("paths").as_object())
    for (const auto& [method, op] : item.as_object()) {
      documented.insert({std::string(method), std::string(path)});
      EXPECT_TRUE(op.as_object().contains("responses")) << method << " " << path;
    }
  EXPECT_EQ(routed, documented);
}

}  // namespace
}  // namespace motcua
