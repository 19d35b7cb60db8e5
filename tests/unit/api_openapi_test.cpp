// Keeps the router and the OpenAPI document in step: every route is documented
// and every documented operation is routed.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <map>
#include <set>
#include <string_view>
#include <vector>

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

// Every route the server registers, with its permission, as (lower-case
// method, pattern) -> permission.
std::map<std::pair<std::string, std::string>, std::string> routed_permissions() {
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
  if (!calendar.ok()) {
    ADD_FAILURE() << "calendar service";
    return {};
  }
  api::add_calendar_routes(router, **calendar);
  auto catalog_db = store::open_store("sqlite::memory:");  // never read: routes only
  if (!catalog_db.ok()) {
    ADD_FAILURE() << "store";
    return {};
  }
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

  std::map<std::pair<std::string, std::string>, std::string> out;
  const auto routes = router.routes();
  for (std::size_t i = 0; i < routes.size(); ++i)
    out[{to_lower(routes[i].first), routes[i].second}] = router.permission(i);
  return out;
}

boost::json::object document() { return boost::json::parse(api::openapi_document()).as_object(); }

// Every operation of the document: (method, path, operation).
struct Operation {
  std::string method, path;
  const boost::json::object* op;
};
std::vector<Operation> operations(const boost::json::object& doc) {
  std::vector<Operation> out;
  for (const auto& [path, item] : doc.at("paths").as_object())
    for (const auto& [method, op] : item.as_object())
      out.push_back({std::string(method), std::string(path), &op.as_object()});
  return out;
}

// The value a local reference ("#/components/...") points at; null if none.
const boost::json::value* resolve(const boost::json::object& doc, std::string_view ref) {
  if (!ref.starts_with("#/")) return nullptr;
  ref.remove_prefix(2);
  const boost::json::value* at = nullptr;
  const boost::json::object* in = &doc;
  while (true) {
    const auto slash = ref.find('/');
    std::string name(ref.substr(0, slash));
    for (std::size_t i; (i = name.find("~1")) != std::string::npos;) name.replace(i, 2, "/");
    for (std::size_t i; (i = name.find("~0")) != std::string::npos;) name.replace(i, 2, "~");
    if (!in || !in->contains(name)) return nullptr;
    at = &in->at(name);
    if (slash == std::string_view::npos) return at;
    ref.remove_prefix(slash + 1);
    in = at->if_object();
  }
}

const boost::json::object& responses_of(const Operation& o) {
  return o.op->at("responses").as_object();
}

bool lists(const Operation& o, const char* status) { return responses_of(o).contains(status); }

TEST(OpenApi, EveryRouteIsDocumentedAndEveryOperationRouted) {
  std::set<std::pair<std::string, std::string>> routed;
  for (const auto& [route, permission] : routed_permissions()) routed.insert(route);

  auto doc = document();
  EXPECT_EQ(doc.at("openapi").as_string(), "3.1.0");
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : doc.at("paths").as_object())
    for (const auto& [method, op] : item.as_object()) {
      documented.insert({std::string(method), std::string(path)});
      EXPECT_TRUE(op.as_object().contains("responses")) << method << " " << path;
    }
  EXPECT_EQ(routed, documented);
}

// x-permission is the permission the router checks; a route that needs a
// signed-in user says how to sign in and lists the 401 it answers without.
TEST(OpenApi, PermissionsAndSecurityAreTheRouters) {
  const auto routed = routed_permissions();
  const auto doc = document();
  const auto& schemes = doc.at("components").at("securitySchemes").as_object();
  for (const auto& o : operations(doc)) {
    const std::string what = o.method + " " + o.path;
    ASSERT_TRUE(o.op->contains("x-permission")) << what;
    const std::string permission(o.op->at("x-permission").as_string());
    const auto it = routed.find({o.method, o.path});
    ASSERT_NE(it, routed.end()) << what;
    EXPECT_EQ(permission, it->second) << what;
    ASSERT_TRUE(o.op->contains("security")) << what;
    const auto& security = o.op->at("security").as_array();
    for (const auto& requirement : security)
      for (const auto& [scheme, scopes] : requirement.as_object())
        EXPECT_TRUE(schemes.contains(scheme)) << what << ": " << std::string(scheme);
    if (permission == "public") {
      EXPECT_TRUE(security.empty()) << what << ": public, so security: []";
      continue;
    }
    EXPECT_FALSE(security.empty()) << what;
    EXPECT_TRUE(lists(o, "401")) << what;
  }
}

// Every body has a size limit (413) and every JSON body a media type (415).
TEST(OpenApi, EveryBodyListsItsLimitAndJsonItsMediaType) {
  const auto doc = document();
  int bodies = 0;
  for (const auto& o : operations(doc)) {
    if (!o.op->contains("requestBody")) continue;
    ++bodies;
    const std::string what = o.method + " " + o.path;
    EXPECT_TRUE(lists(o, "413")) << what;
    if (o.op->at("requestBody").at("content").as_object().contains("application/json"))
      EXPECT_TRUE(lists(o, "415")) << what;
  }
  EXPECT_GT(bodies, 10);
}

// Every error (4xx, 5xx) is the shared Problem response, or a response whose
// every content is the Problem schema; every local reference resolves.
TEST(OpenApi, EveryErrorIsAProblem) {
  const auto doc = document();
  const std::string problem_response = "#/components/responses/Problem";
  const std::string problem_schema = "#/components/schemas/Problem";
  ASSERT_NE(resolve(doc, problem_response), nullptr);
  ASSERT_NE(resolve(doc, problem_schema), nullptr);
  for (const auto& o : operations(doc)) {
    for (const auto& [status, response] : responses_of(o)) {
      if (status.empty() || (status[0] != '4' && status[0] != '5')) continue;
      const std::string what = o.method + " " + o.path + " " + std::string(status);
      const boost::json::object* r = &response.as_object();
      if (const auto* ref = r->if_contains("$ref")) {
        const std::string target(ref->as_string().data(), ref->as_string().size());
        if (target == problem_response) continue;
        const auto* to = resolve(doc, target);
        ASSERT_NE(to, nullptr) << what << ": " << target;
        r = &to->as_object();
      }
      ASSERT_TRUE(r->contains("content")) << what;
      const auto& content = r->at("content").as_object();
      EXPECT_FALSE(content.empty()) << what;
      for (const auto& [type, media] : content) {
        EXPECT_EQ(std::string(type), "application/problem+json") << what;
        const auto* schema = media.as_object().if_contains("schema");
        ASSERT_NE(schema, nullptr) << what;
        const auto* ref = schema->as_object().if_contains("$ref");
        EXPECT_TRUE(ref && ref->as_string() == problem_schema) << what;
      }
    }
  }
}

// Walks every value: each "$ref" names something the document holds.
void check_refs(const boost::json::object& doc, const boost::json::value& v, std::string& where) {
  if (const auto* o = v.if_object()) {
    if (const auto* ref = o->if_contains("$ref"); ref && ref->is_string()) {
      const std::string target(ref->as_string().data(), ref->as_string().size());
      EXPECT_NE(resolve(doc, target), nullptr) << where << ": " << target;
    }
    for (const auto& [k, x] : *o) {
      const auto size = where.size();
      where += "/" + std::string(k);
      check_refs(doc, x, where);
      where.resize(size);
    }
  } else if (const auto* a = v.if_array()) {
    for (const auto& x : *a) check_refs(doc, x, where);
  }
}

TEST(OpenApi, EveryReferenceResolves) {
  const auto doc = document();
  std::string where;
  check_refs(doc, boost::json::value(doc), where);
}

// Calls fn(object, where) for every JSON object of `v`, `v` itself included.
template <class F>
void each_object(const boost::json::value& v, std::string& where, const F& fn) {
  if (const auto* o = v.if_object()) {
    fn(*o, where);
    for (const auto& [k, x] : *o) {
      const auto size = where.size();
      where += "/" + std::string(k);
      each_object(x, where, fn);
      where.resize(size);
    }
  } else if (const auto* a = v.if_array()) {
    for (std::size_t i = 0; i < a->size(); ++i) {
      const auto size = where.size();
      where += "/" + std::to_string(i);
      each_object((*a)[i], where, fn);
      where.resize(size);
    }
  }
}

// "type": "object", or a list of types holding "object".
bool typed_object(const boost::json::object& schema) {
  const auto* type = schema.if_contains("type");
  if (!type) return false;
  if (type->is_string()) return type->as_string() == "object";
  if (const auto* list = type->if_array())
    for (const auto& t : *list)
      if (t.is_string() && t.as_string() == "object") return true;
  return false;
}

// An object schema says what it holds: its members (properties, or
// additionalProperties as a schema), or another schema it is ($ref, allOf,
// oneOf, anyOf). One free by design (a dossier's form_data, this document)
// says so: additionalProperties true, with a description.
TEST(OpenApi, EveryObjectSchemaSaysWhatItHolds) {
  const auto doc = document();
  std::string where;
  int free = 0;
  each_object(
      boost::json::value(doc), where, [&](const boost::json::object& o, const std::string& at) {
        if (!typed_object(o)) return;
        bool said = false;
        for (const char* k :
             {"properties", "additionalProperties", "$ref", "allOf", "oneOf", "anyOf"})
          said = said || o.contains(k);
        EXPECT_TRUE(said) << at << ": an object with no members: give its properties";
        const auto* more = o.if_contains("additionalProperties");
        if (more && more->is_bool() && more->as_bool()) {
          ++free;
          EXPECT_TRUE(o.contains("description")) << at << ": free-form, so say what it holds";
        }
      });
  EXPECT_GT(free, 0);
}

// The property names a schema defines: its own, those of the schemas its
// allOf and $ref name (resolved), recursively.
void defined_members(const boost::json::object& doc, const boost::json::object& schema,
                     std::set<std::string>& out, int depth = 0) {
  if (depth > 20) return;
  if (const auto* props = schema.if_contains("properties"); props && props->is_object())
    for (const auto& [k, v] : props->as_object()) out.insert(std::string(k));
  auto follow = [&](const boost::json::value& v) {
    const boost::json::object* o = v.if_object();
    if (o && o->contains("$ref")) {
      const auto* to = resolve(doc, std::string(o->at("$ref").as_string()));
      o = to ? to->if_object() : nullptr;
    }
    if (o) defined_members(doc, *o, out, depth + 1);
  };
  if (const auto* all = schema.if_contains("allOf"); all && all->is_array())
    for (const auto& x : all->as_array()) follow(x);
  if (schema.contains("$ref")) follow(boost::json::value(schema));
}

// A schema's required members are among those it defines (itself or through
// allOf): a misspelt name would require what no answer holds.
TEST(OpenApi, EveryRequiredMemberIsDefined) {
  const auto doc = document();
  std::string where;
  int checked = 0;
  each_object(boost::json::value(doc), where,
              [&](const boost::json::object& o, const std::string& at) {
                const auto* required = o.if_contains("required");
                if (!required || !required->is_array()) return;
                if (!o.contains("properties") && !o.contains("allOf"))
                  return;  // if/then, anyOf: the parent's
                std::set<std::string> defined;
                defined_members(doc, o, defined);
                for (const auto& name : required->as_array()) {
                  ++checked;
                  EXPECT_TRUE(defined.contains(std::string(name.as_string())))
                      << at << ": requires " << name << ", which it does not define";
                }
              });
  EXPECT_GT(checked, 100);
}

// Null is said the OpenAPI 3.1 way: a list of types holding "null" (or
// oneOf with {"type": "null"}), never 3.0's "nullable"; an enum that lists
// null belongs to a schema whose types allow it.
TEST(OpenApi, NullIsATypeOfTheList) {
  const auto doc = document();
  std::string where;
  each_object(boost::json::value(doc), where,
              [&](const boost::json::object& o, const std::string& at) {
                EXPECT_FALSE(o.contains("nullable")) << at << ": use \"type\": [..., \"null\"]";
                const auto* values = o.if_contains("enum");
                if (!values || !values->is_array()) return;
                bool lists_null = false;
                for (const auto& v : values->as_array()) lists_null = lists_null || v.is_null();
                if (!lists_null) return;
                bool typed_null = false;
                if (const auto* types = o.if_contains("type"); types && types->is_array())
                  for (const auto& t : types->as_array()) typed_null = typed_null || t == "null";
                EXPECT_TRUE(typed_null) << at << ": its enum lists null, its type does not";
              });
}

}  // namespace
}  // namespace motcua
