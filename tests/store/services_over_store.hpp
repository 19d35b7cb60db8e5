// The services a store test runs through, over its own database with the
// reference data: the store, the units, the calendars and the catalog, as
// `serve` wires them (for tests of what the services and the store do
// together, on both databases).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "services/calendar_service.hpp"
#include "services/catalog_service.hpp"
#include "services/database_setup.hpp"
#include "services/unit_service.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace motcua::store::test_support {

struct ServicesOverStore {
  std::unique_ptr<Store> store;
  std::optional<services::UnitService> units;
  std::unique_ptr<services::CalendarService> calendar;
  std::optional<services::CatalogService> catalog;

  // False (with the failure reported) when a step fails.
  bool open(const std::string& url) {
    auto opened = open_store(url);
    EXPECT_TRUE(opened) << describe(opened);
    if (!opened) return false;
    store = std::move(*opened);
    auto setup = services::prepare_database(*store, MOTCUA_SOURCE_DIR "/data");
    EXPECT_TRUE(setup) << describe(setup);
    if (!setup) return false;
    auto data = store->load_reference_data();
    EXPECT_TRUE(data) << describe(data);
    if (!data) return false;
    units.emplace(std::move(*data));
    auto made = services::CalendarService::create(store->calendar(), *units);
    EXPECT_TRUE(made) << describe(made);
    if (!made) return false;
    calendar = std::move(*made);
    catalog.emplace(store->catalog());
    const auto loaded = catalog->load();
    EXPECT_TRUE(loaded) << describe(loaded);
    return loaded.ok();
  }
};

}  // namespace motcua::store::test_support
