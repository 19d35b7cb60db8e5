// The catalog area of the store, on SQLite (a temporary file) and on
// PostgreSQL when MOTCUA_TEST_PG_URL names a server (a fresh schema per test).
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "services/catalog_data.hpp"
#include "services/catalog_json.hpp"
#include "services/catalog_service.hpp"
#include "services/request_text.hpp"
#include "services/request_text.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace motcua::store {
namespace {

using test_support::describe;

ProcedureWrite put(const std::string& code, int expected, int version, const std::string& name,
                   bool retired = false) {
  ProcedureWrite w;
  w.code = code;
  w.expected_current = expected;
  w.version = version;
  w.retired = retired;
  if (version > 0) {
    w.body = "{\"code\":\"" + code + "\",\"name\":\"" + name + "\"}";
    w.name = name;
    w.field = "Hộ tịch";
    w.competent_level = "commune";
    w.online_level = "full";
  }
  return w;
}

const std::string kAt1 = "2025-07-01T08:00:00+07:00";
const std::string kAt2 = "2025-08-01T09:30:00+07:00";

class CatalogStoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!db_.make(GetParam(), "c")) GTEST_SKIP() << test_support::kNoPostgres;
    store_ = open();
    ASSERT_TRUE(store_);
  }

  void TearDown() override { store_.reset(); }

  std::unique_ptr<Store> open() {
    auto s = open_store(db_.url());
    EXPECT_TRUE(s.ok()) << describe(s);
    if (!s.ok()) return nullptr;
    auto m = (*s)->migrate();
    EXPECT_TRUE(m.ok()) << describe(m);
    return std::move(s).value();
  }

  CatalogStore& catalog() { return store_->catalog(); }

  test_support::TestDatabase db_;
  std::unique_ptr<Store> store_;
};

TEST_P(CatalogStoreTest, EmptyCatalogHasNothing) {
  auto has = catalog().has_catalog();
  ASSERT_OK(has);
  EXPECT_FALSE(*has);
  auto cur = catalog().load_current();
  ASSERT_OK(cur);
  EXPECT_TRUE(cur->empty());
  auto v = catalog().load_version("1.001193", 1);
  ASSERT_OK(v);
  EXPECT_FALSE(v->has_value());
  auto list = catalog().list_versions("1.001193");
  ASSERT_OK(list);
  EXPECT_TRUE(list->empty());
}

TEST_P(CatalogStoreTest, AnEditAddsAVersionAndKeepsTheOldOne) {
  ASSERT_OK(catalog().write({put("1.001193", 0, 1, "Khai sinh"), put("1.000656", 0, 1, "Khai tử")},
                            nullptr, "", kAt1));
  ASSERT_OK(catalog().write({put("1.001193", 1, 2, "Đăng ký khai sinh")}, nullptr, "", kAt2));

  auto cur = catalog().load_current();
  ASSERT_OK(cur);
  ASSERT_EQ(cur->size(), 2u);
  EXPECT_EQ((*cur)[0].code, "1.000656");  // by code
  EXPECT_EQ((*cur)[1].code, "1.001193");
  EXPECT_EQ((*cur)[1].version, 2);
  EXPECT_EQ((*cur)[1].body, put("1.001193", 1, 2, "Đăng ký khai sinh").body);
  EXPECT_EQ((*cur)[1].created_at, kAt2);
  EXPECT_FALSE((*cur)[1].retired);

  auto old = catalog().load_version("1.001193", 1);
  ASSERT_OK(old);
  ASSERT_TRUE(old->has_value());
  EXPECT_EQ((*old)->body, put("1.001193", 0, 1, "Khai sinh").body);
  EXPECT_EQ((*old)->created_at, kAt1);

  auto list = catalog().list_versions("1.001193");
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].version, 1);
  EXPECT_EQ((*list)[1].version, 2);
  EXPECT_EQ((*list)[1].created_at, kAt2);
}

TEST_P(CatalogStoreTest, AStaleWriteInABatchChangesNothing) {
  ASSERT_OK(catalog().write({put("1.001193", 0, 1, "A")}, nullptr, "", kAt1));
  // The first write is fine, the second saw version 1 of a code at version 0.
  auto r = catalog().write({put("1.000656", 0, 1, "B"), put("1.004873", 1, 2, "C")}, nullptr,
                           "import", kAt2);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::kPreconditionFailed) << describe(r);
  auto cur = catalog().load_current();
  ASSERT_OK(cur);
  ASSERT_EQ(cur->size(), 1u);
  EXPECT_EQ((*cur)[0].code, "1.001193");
  auto has = catalog().has_catalog();
  ASSERT_OK(has);
  EXPECT_FALSE(*has);  // the import was not recorded either

  auto again = catalog().write({put("1.001193", 0, 1, "A again")}, nullptr, "", kAt2);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kConflict);
}

TEST_P(CatalogStoreTest, RetiringKeepsTheVersionAndCanBeUndone) {
  ASSERT_OK(catalog().write({put("1.001193", 0, 1, "A")}, nullptr, "", kAt1));
  ASSERT_OK(catalog().write({put("1.001193", 1, 0, "", true)}, nullptr, "", kAt2));
  auto cur = catalog().load_current();
  ASSERT_OK(cur);
  ASSERT_EQ(cur->size(), 1u);
  EXPECT_TRUE((*cur)[0].retired);
  EXPECT_EQ((*cur)[0].version, 1);
  auto v = catalog().load_version("1.001193", 1);
  ASSERT_OK(v);
  EXPECT_TRUE((*v)->retired);
  ASSERT_OK(catalog().write({put("1.001193", 1, 0, "", false)}, nullptr, "", kAt2));
  cur = catalog().load_current();
  ASSERT_OK(cur);
  EXPECT_FALSE((*cur)[0].retired);
}

TEST_P(CatalogStoreTest, BundlesAreReplacedAndImportsRecorded) {
  const std::vector<StoredBundle> two = {{"LT-B", "{\"code\":\"LT-B\"}"},
                                         {"LT-A", "{\"code\":\"LT-A\"}"}};
  ASSERT_OK(catalog().write({}, &two, "bundled", kAt1));
  auto has = catalog().has_catalog();
  ASSERT_OK(has);
  EXPECT_TRUE(*has);
  auto b = catalog().load_bundles();
  ASSERT_OK(b);
  ASSERT_EQ(b->size(), 2u);
  EXPECT_EQ((*b)[0].code, "LT-A");
  const std::vector<StoredBundle> one = {{"LT-C", "{\"code\":\"LT-C\",\"name\":\"Liên thông\"}"}};
  ASSERT_OK(catalog().write({}, &one, "", kAt2));
  b = catalog().load_bundles();
  ASSERT_OK(b);
  ASSERT_EQ(b->size(), 1u);
  EXPECT_EQ((*b)[0].body, one[0].body);
  // No bundles given: the stored ones stay.
  ASSERT_OK(catalog().write({put("1.001193", 0, 1, "A")}, nullptr, "", kAt2));
  b = catalog().load_bundles();
  ASSERT_OK(b);
  EXPECT_EQ(b->size(), 1u);
}

TEST_P(CatalogStoreTest, SurvivesReopening) {
  ASSERT_OK(catalog().write({put("1.001193", 0, 1, R"(Khai sinh \"đúng hạn\"\n\t)")}, nullptr, "x",
                            kAt1));
  store_.reset();
  store_ = open();
  ASSERT_TRUE(store_);
  auto cur = catalog().load_current();
  ASSERT_OK(cur);
  ASSERT_EQ(cur->size(), 1u);
  EXPECT_EQ((*cur)[0].body, put("1.001193", 0, 1, R"(Khai sinh \"đúng hạn\"\n\t)").body);
}

// The source's PDF extraction left NULs where spaces were (Hai Phong's
// procedures): none reaches the catalog.
TEST(BundledCatalog, HoldsNoControlCharacters) {
  auto doc = services::load_bundled_catalog(std::string(MOTCUA_SOURCE_DIR) + "/data");
  ASSERT_OK(doc);
  for (const auto& p : doc->procedures) {
    auto checked = services::plain_texts(services::procedure_to_json(p));
    EXPECT_TRUE(checked) << p.code << ": " << checked.error().message_en;
  }
  bool seen = false;  // one the extraction had cut: "-\0Xác nhận bản khai."
  for (const auto& p : doc->procedures)
    for (const auto& step : p.steps)
      seen = seen || step.find("- Xác nhận bản khai.") != std::string::npos;
  EXPECT_TRUE(seen);
}

// The bundled catalog through the service: imported once, every procedure and
// bundle read back as it was written, and a second import changes nothing.
TEST_P(CatalogStoreTest, ImportsTheBundledCatalogOnce) {
  auto doc = services::load_bundled_catalog(std::string(MOTCUA_SOURCE_DIR) + "/data");
  ASSERT_OK(doc);
  EXPECT_GE(doc->procedures.size(), 58u);
  services::CatalogService svc(catalog());
  auto n = svc.import_if_absent(*doc);
  ASSERT_OK(n);
  EXPECT_EQ(*n, doc->procedures.size());
  n = svc.import_if_absent(*doc);
  ASSERT_OK(n);
  EXPECT_EQ(*n, 0u);

  services::CatalogService fresh(catalog());
  ASSERT_OK(fresh.load());
  auto snap = fresh.snapshot();
  ASSERT_EQ(snap->index.all().size(), doc->procedures.size());
  for (const auto& p : doc->procedures) {
    const auto* v = snap->index.find(p.code);
    ASSERT_NE(v, nullptr) << p.code;
    EXPECT_TRUE(v->procedure == p) << p.code;
    EXPECT_EQ(v->version, 1);
  }
  EXPECT_EQ(snap->bundles, doc->bundles);
  auto report = fresh.import(*doc, "again");
  ASSERT_OK(report);
  EXPECT_EQ(report->unchanged, doc->procedures.size());
  EXPECT_EQ(report->created + report->updated, 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, CatalogStoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace motcua::store
