#include "api/units_api.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <cstdint>
#include <string_view>

#include "api/params.hpp"
#include "api/response_cache.hpp"
#include "api/unit_json.hpp"
#include "http/error_table.hpp"

namespace motcua::api {

namespace {

constexpr std::size_t kMaxQueryBytes = 500;

Result<std::optional<units::Level>> level_param(const http::Request& req) {
  auto v = req.query_param("level");
  if (!v) return std::optional<units::Level>();
  if (*v == "province") return std::optional(units::Level::kProvince);
  if (*v == "district") return std::optional(units::Level::kDistrict);
  if (*v == "commune") return std::optional(units::Level::kCommune);
  return bad_param("level", "Tham số 'level' phải là province, district hoặc commune.",
                   "Parameter 'level' must be province, district or commune.");
}

// A cursor is the registry's position ("00004.2", or "1:00004.2" for a
// ranked search) and, after '~', a fingerprint of the query it was made for.
// A position alone was taken from any query, or any text: a cursor of
// province=01 reused with province=02, or "zzz", gave a page of something
// else (often empty) with a 200.
std::string query_fingerprint(const units::UnitQuery& q, const http::Request& req) {
  // FNV-1a, 64 bits: not a secret, only a check that the query is the same.
  // `at` as sent, absent apart: a listing of today stays one over midnight.
  std::uint64_t h = 14695981039346656037ull;
  auto add = [&h](std::string_view part) {
    for (const unsigned char c : part) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xFFu) * 1099511628211ull;  // ends the part: ("ab","") is not ("a","b")
  };
  add(q.level ? std::to_string(static_cast<int>(*q.level)) : std::string());
  add(q.province);
  add(q.q);
  const auto at = req.query_param("at");
  add(at ? "=" + std::string(*at) : std::string());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = kHex[h & 0xF];
  return out;
}

std::string cursor_text(const std::string& position, const std::string& fingerprint) {
  return position + "~" + fingerprint;
}

// The registry's position in a cursor made for this query, or a 400.
Result<std::string> cursor_param(const http::Request& req, const std::string& fingerprint) {
  auto v = req.query_param("cursor");
  if (!v) return std::string();
  const std::string_view text = *v;
  const auto tilde = text.rfind('~');
  std::string_view position = tilde == std::string_view::npos ? text : text.substr(0, tilde);
  bool ok = tilde != std::string_view::npos && text.substr(tilde + 1) == fingerprint;
  // [rank ':'] code '.' level: what Registry::search makes.
  if (position.size() > 2 && position[1] == ':' && position[0] >= '0' && position[0] <= '2')
    position.remove_prefix(2);
  const auto dot = position.find('.');
  ok = ok && dot != std::string_view::npos && dot >= 1 && dot <= 10 && dot + 2 == position.size() &&
       position[dot + 1] >= '0' && position[dot + 1] <= '2';
  for (std::size_t i = 0; ok && i < dot; ++i) ok = position[i] >= '0' && position[i] <= '9';
  if (!ok)
    return bad_param("cursor",
                     "Tham số 'cursor' không hợp lệ: hãy dùng đúng giá trị next_cursor của trang "
                     "trước, với cùng các tham số khác (level, province, q, at).",
                     "Parameter 'cursor' is not valid: pass the next_cursor of the previous page "
                     "as it was, with the same other parameters (level, province, q, at).");
  return std::string(text.substr(0, tilde));
}

http::Response list_units(const services::UnitService& svc, const http::Request& req) {
  units::UnitQuery q;
  auto level = level_param(req);
  if (!level) return http::problem(level.error(), req.path);
  auto province = code_param(req, "province", 2);
  if (!province) return http::problem(province.error(), req.path);
  auto text = text_param(req, "q", kMaxQueryBytes, false);
  if (!text) return http::problem(text.error(), req.path);
  auto at = date_param(req, "at");
  if (!at) return http::problem(at.error(), req.path);
  auto limit = size_param(req, "limit", 50, 1, 500);
  if (!limit) return http::problem(limit.error(), req.path);
  q.level = *level;
  q.province = *province;
  q.q = *text;
  q.at = *at;
  q.limit = *limit;
  const std::string fingerprint = query_fingerprint(q, req);
  auto cursor = cursor_param(req, fingerprint);
  if (!cursor) return http::problem(cursor.error(), req.path);
  q.after = *cursor;
  auto page = svc.search(q);

  boost::json::object out;
  boost::json::array items;
  items.reserve(page.items.size());
  for (const auto* v : page.items) items.push_back(unit_json(*v));
  out["items"] = std::move(items);
  out["next_cursor"] = page.next_cursor.empty()
                           ? boost::json::value(nullptr)
                           : boost::json::value(cursor_text(page.next_cursor, fingerprint));
  out["at"] = q.at;
  return http::json_response(200, boost::json::serialize(out));
}

std::string unit_detail_body(const services::UnitDetail& detail, const std::string& at) {
  boost::json::object out = unit_json(*detail.version);
  out["at"] = at;
  out["in_force"] = detail.in_force;
  boost::json::array versions;
  for (const auto* v : detail.versions) versions.push_back(unit_json(*v));
  out["versions"] = std::move(versions);
  boost::json::array preds;
  for (const auto& p : detail.predecessors) preds.push_back(predecessor_json(p));
  out["predecessors"] = std::move(preds);
  boost::json::array succ;
  for (const auto* s : detail.successors) succ.push_back(successor_json(*s));
  out["successors"] = std::move(succ);
  out["split"] = detail.split;
  return boost::json::serialize(out);
}

// A unit code as the statistics office writes them: 2 digits (province), 3
// (old district) or 5 (commune). Anything else names no unit, whatever the data.
Result<std::string> unit_code_param(const http::Request& req) {
  std::string code(req.param("code"));
  const bool digits = std::all_of(
      code.begin(), code.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (digits && (code.size() == 2 || code.size() == 3 || code.size() == 5)) return code;
  return bad_param("code", "Mã đơn vị phải gồm 2 chữ số (tỉnh), 3 (huyện cũ) hoặc 5 (xã, phường).",
                   "A unit code is 2 digits (province), 3 (old district) or 5 (commune).");
}

http::Response get_unit(const services::UnitService& svc, ResponseCache& cache,
                        const http::Request& req) {
  auto at = date_param(req, "at");
  if (!at) return http::problem(at.error(), req.path);
  auto code_or = unit_code_param(req);
  if (!code_or) return http::problem(code_or.error(), req.path);
  const std::string& code = *code_or;
  const std::string key = code + '|' + *at;
  if (auto hit = cache.find(key)) return http::json_response(200, *hit);
  auto detail = svc.get(code, *at);
  if (!detail) return http::problem(detail.error(), req.path);  // misses are not cached
  return http::json_response(200, *cache.put(key, unit_detail_body(*detail, *at)));
}

http::Response resolve(const services::UnitService& svc, const http::Request& req) {
  auto text = text_param(req, "q", kMaxQueryBytes, true);
  if (!text) return http::problem(text.error(), req.path);
  auto at = date_param(req, "at");
  if (!at) return http::problem(at.error(), req.path);
  auto res = svc.resolve(*text, *at);

  boost::json::object out;
  out["query"] = *text;
  out["at"] = *at;
  boost::json::array cands;
  for (const auto& c : res.candidates) cands.push_back(candidate_json(c));
  out["candidates"] = std::move(cands);
  out["split"] = res.split;
  boost::json::array preds;
  for (const auto& p : res.predecessors) preds.push_back(predecessor_json(p));
  out["predecessors"] = std::move(preds);
  out["reason"] =
      res.reason_en.empty() ? boost::json::value(nullptr) : boost::json::value(res.reason_en);
  out["reason_vi"] =
      res.reason_vi.empty() ? boost::json::value(nullptr) : boost::json::value(res.reason_vi);
  return http::json_response(200, boost::json::serialize(out));
}

}  // namespace

void add_unit_routes(http::Router& router, const services::UnitService& units) {
  router.add("GET", "/api/v1/units", "public",
             [&units](const http::Request& r) { return list_units(units, r); });
  router.add("GET", "/api/v1/units/resolve", "public",
             [&units](const http::Request& r) { return resolve(units, r); });
  // The registry is immutable while serving: a unit's answer for a date never changes.
  auto cache = std::make_shared<ResponseCache>(100000);
  router.add("GET", "/api/v1/units/{code}", "public",
             [&units, cache](const http::Request& r) { return get_unit(units, *cache, r); });
}

}  // namespace motcua::api
