#include "api/catalog_api.hpp"

#include <boost/json/serialize.hpp>
#include <charconv>

#include "api/params.hpp"
#include "http/error_table.hpp"
#include "services/catalog_exchange.hpp"
#include "services/catalog_json.hpp"
#include "services/request_text.hpp"

namespace motcua::api {
namespace {

namespace json = boost::json;
using services::CatalogService;

constexpr std::size_t kMaxQueryBytes = 500;
constexpr const char* kAdmin = "catalog.admin";

Result<std::string> choice_param(const http::Request& req, const char* name,
                                 std::initializer_list<std::string_view> allowed) {
  auto v = req.query_param(name);
  if (!v) return std::string();
  std::string list;
  for (auto a : allowed) {
    if (*v == a) return std::string(*v);
    list += (list.empty() ? "" : ", ") + std::string(a);
  }
  return bad_param(name, std::string("Tham số '") + name + "' phải là một trong: " + list + ".",
                   std::string("Parameter '") + name + "' must be one of: " + list + ".");
}

// The cursor is the previous page's next_cursor: the sort key of its last item
// (catalog::parse_cursor), so a procedure retired or added between two pages
// neither skips nor repeats the others.
Result<std::optional<catalog::SearchCursor>> cursor_param(const http::Request& req) {
  auto v = req.query_param("cursor");
  if (!v) return std::optional<catalog::SearchCursor>();
  auto out = catalog::parse_cursor(*v);
  if (!out)
    return bad_param(
        "cursor",
        "Tham số 'cursor' không hợp lệ: hãy dùng đúng giá trị next_cursor của trang trước.",
        "Parameter 'cursor' is not valid: pass the next_cursor of the previous page as it was.");
  return out;
}

Result<std::optional<int>> version_param(const http::Request& req) {
  if (!req.query_param("version")) return std::optional<int>();
  auto v = size_param(req, "version", 0, 1, 1'000'000);
  if (!v) return v.error();
  return std::optional<int>(static_cast<int>(*v));
}

// If-Match: "3", W/"3" or 3; "*" or absent: no precondition.
Result<std::optional<int>> if_match(const http::Request& req) {
  auto h = req.header("if-match");
  if (!h) return std::optional<int>();
  std::string_view s = *h;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s == "*") return std::optional<int>();
  if (s.starts_with("W/")) s.remove_prefix(2);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  int out = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || out < 1)
    return make_error(
        ErrorKind::kBadRequest, "Tiêu đề If-Match phải là ETag của phiên bản đã đọc, ví dụ \"3\".",
        "The If-Match header must be the ETag of the version you read, for example \"3\".",
        "If-Match");
  return std::optional<int>(out);
}

std::string etag(int version) { return "\"" + std::to_string(version) + "\""; }

json::object facet_json(const catalog::Facet& f) {
  json::object o;
  for (const auto& [value, count] : f) o[value] = count;
  return o;
}

json::object summary_json(const catalog::ProcedureVersion& v) {
  const auto& p = v.procedure;
  json::object o;
  o["code"] = p.code;
  o["name"] = p.name;
  o["field"] = p.field;
  o["group"] = p.group;
  o["competent_level"] = p.competent_level;
  o["competent_agency"] = p.competent_agency;
  o["online_level"] = p.online_level;
  o["version"] = v.version;
  json::array channels;
  for (const auto& c : p.channels) {
    channels.push_back(json::object{
        {"channel", c.channel},
        {"time_amount", c.time_amount ? json::value(*c.time_amount) : json::value(nullptr)},
        {"time_unit", c.time_unit.empty() ? json::value(nullptr) : json::value(c.time_unit)},
        {"time_text", c.time_text},
        {"fee_vnd", c.fee_vnd ? json::value(*c.fee_vnd) : json::value(nullptr)},
        {"fee_text", c.fee_text}});
  }
  o["channels"] = std::move(channels);
  return o;
}

json::object version_json(const catalog::ProcedureVersion& v) {
  json::object o = services::procedure_to_json(v.procedure);
  o["version"] = v.version;
  o["retired"] = v.retired;
  o["created_at"] = v.created_at;
  return o;
}

http::Response with_etag(http::Response r, int version) {
  r.headers.emplace_back("ETag", etag(version));
  return r;
}

http::Response list(const CatalogService& svc, const http::Request& req) {
  catalog::SearchQuery q;
  auto text = text_param(req, "q", kMaxQueryBytes, false);
  if (!text) return http::problem(text.error(), req.path);
  auto field = text_param(req, "field", kMaxQueryBytes, false);
  if (!field) return http::problem(field.error(), req.path);
  auto level = choice_param(req, "level", {"commune", "province"});
  if (!level) return http::problem(level.error(), req.path);
  auto online = choice_param(req, "online_level", {"full", "partial", "none"});
  if (!online) return http::problem(online.error(), req.path);
  auto limit = size_param(req, "limit", 20, 1, 200);
  if (!limit) return http::problem(limit.error(), req.path);
  auto cursor = cursor_param(req);
  if (!cursor) return http::problem(cursor.error(), req.path);
  q.q = *text;
  q.field = *field;
  q.level = *level;
  q.online_level = *online;
  q.limit = *limit;
  q.after = std::move(*cursor);

  auto result = svc.search(q);
  const auto& page = result.page;
  json::object out;
  json::array items;
  items.reserve(page.items.size());
  for (std::size_t i = 0; i < page.items.size(); ++i) {
    auto item = summary_json(*page.items[i]);
    if (!q.q.empty()) item["score"] = page.scores[i];
    items.push_back(std::move(item));
  }
  out["items"] = std::move(items);
  out["total"] = page.total;
  out["facets"] = json::object{{"field", facet_json(page.field)},
                               {"level", facet_json(page.level)},
                               {"online_level", facet_json(page.online_level)}};
  out["next_cursor"] =
      page.next_cursor.empty() ? json::value(nullptr) : json::value(page.next_cursor);
  return http::json_response(200, json::serialize(out));
}

http::Response get(const CatalogService& svc, const http::Request& req) {
  auto version = version_param(req);
  if (!version) return http::problem(version.error(), req.path);
  auto d = svc.get(std::string(req.param("code")), *version);
  if (!d) return http::problem(d.error(), req.path);
  json::object out = version_json(d->version);
  out["current_version"] = d->current_version;
  json::array versions;
  for (const auto& v : d->versions)
    versions.push_back(json::object{{"version", v.version}, {"created_at", v.created_at}});
  out["versions"] = std::move(versions);
  return with_etag(http::json_response(200, json::serialize(out)), d->version.version);
}

http::Response bundles(const CatalogService& svc, const http::Request& req) {
  auto snap = svc.snapshot();
  json::array items;
  for (const auto& b : snap->bundles) {
    json::object o = services::bundle_to_json(b);
    json::array members;
    for (const auto& code : b.members) {
      const auto* p = snap->index.find(code);
      if (!p) {
        members.push_back(json::object{{"code", code}, {"name", nullptr}});
        continue;
      }
      members.push_back(json::object{{"code", code},
                                     {"name", p->procedure.name},
                                     {"competent_level", p->procedure.competent_level},
                                     {"competent_agency", p->procedure.competent_agency},
                                     {"online_level", p->procedure.online_level},
                                     {"retired", p->retired}});
    }
    o["members"] = std::move(members);
    items.push_back(std::move(o));
  }
  return http::json_response(200, json::serialize(json::object{{"items", std::move(items)}}));
}

Result<catalog::Procedure> body_procedure(const http::Request& req) {
  if (auto r = json_content_type(req); !r) return r.error();
  auto v = services::parse_json(req.body, "body");
  if (!v) return v.error();
  if (auto r = services::plain_texts(*v); !r) return r.error();
  return services::procedure_from_json(*v);
}

http::Response create(CatalogService& svc, const http::Request& req) {
  auto p = body_procedure(req);
  if (!p) return http::problem(p.error(), req.path);
  auto v = svc.create(*p);
  if (!v) return http::problem(v.error(), req.path);
  auto r = with_etag(http::json_response(201, json::serialize(version_json(*v))), v->version);
  r.headers.emplace_back("Location", "/api/v1/procedures/" + v->procedure.code);
  return r;
}

http::Response update(CatalogService& svc, const http::Request& req) {
  auto match = if_match(req);
  if (!match) return http::problem(match.error(), req.path);
  auto p = body_procedure(req);
  if (!p) return http::problem(p.error(), req.path);
  auto v = svc.update(std::string(req.param("code")), *p, *match);
  if (!v) return http::problem(v.error(), req.path);
  return with_etag(http::json_response(200, json::serialize(version_json(*v))), v->version);
}

http::Response retire(CatalogService& svc, const http::Request& req) {
  auto match = if_match(req);
  if (!match) return http::problem(match.error(), req.path);
  auto v = svc.retire(std::string(req.param("code")), *match);
  if (!v) return http::problem(v.error(), req.path);
  return with_etag(http::json_response(200, json::serialize(version_json(*v))), v->version);
}

bool is_csv(const http::Request& req) {
  auto ct = req.header("content-type");
  return ct && (ct->starts_with("text/csv") || ct->starts_with("application/csv"));
}

http::Response import(CatalogService& svc, const http::Request& req) {
  // CSV, or else JSON: a body sent as another type is not read as either.
  if (!is_csv(req)) {
    if (auto r = json_content_type(req); !r) return http::problem(r.error(), req.path);
  }
  auto doc =
      is_csv(req) ? services::parse_catalog_csv(req.body) : services::parse_catalog_json(req.body);
  if (!doc) return http::problem(doc.error(), req.path);
  auto report = svc.import(*doc, is_csv(req) ? "import (CSV)" : "import (JSON)");
  if (!report) return http::problem(report.error(), req.path);
  json::object out{{"created", report->created},
                   {"updated", report->updated},
                   {"unchanged", report->unchanged},
                   {"bundles", report->bundles}};
  return http::json_response(200, json::serialize(out));
}

http::Response export_catalog(const CatalogService& svc, const http::Request& req) {
  auto format = choice_param(req, "format", {"json", "csv"});
  if (!format) return http::problem(format.error(), req.path);
  const auto procedures = svc.current_procedures();
  if (*format == "csv") {
    http::Response r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = services::export_catalog_csv(procedures);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"procedures.csv\"");
    return r;
  }
  return http::json_response(200,
                             services::export_catalog_json(procedures, svc.snapshot()->bundles));
}

}  // namespace

void add_catalog_routes(http::Router& router, CatalogService& catalog) {
  auto* svc = &catalog;
  router.add("GET", "/api/v1/procedures", "public",
             [svc](const http::Request& r) { return list(*svc, r); });
  router.add("GET", "/api/v1/procedures/export", kAdmin,
             [svc](const http::Request& r) { return export_catalog(*svc, r); });
  router.add("POST", "/api/v1/procedures/import", kAdmin,
             [svc](const http::Request& r) { return import(*svc, r); });
  // A province's whole catalog, thousands of procedures, runs to megabytes.
  router.set_body_limit("POST", "/api/v1/procedures/import", 32 << 20);
  router.add("GET", "/api/v1/procedures/{code}", "public",
             [svc](const http::Request& r) { return get(*svc, r); });
  router.add("POST", "/api/v1/procedures", kAdmin,
             [svc](const http::Request& r) { return create(*svc, r); });
  router.add("PUT", "/api/v1/procedures/{code}", kAdmin,
             [svc](const http::Request& r) { return update(*svc, r); });
  router.add("DELETE", "/api/v1/procedures/{code}", kAdmin,
             [svc](const http::Request& r) { return retire(*svc, r); });
  router.add("POST", "/api/v1/procedures/{code}/retire", kAdmin,
             [svc](const http::Request& r) { return retire(*svc, r); });
  router.add("GET", "/api/v1/bundles", "public",
             [svc](const http::Request& r) { return bundles(*svc, r); });
}

}  // namespace motcua::api
