#include "api/stats_api.hpp"

#include <boost/json/serialize.hpp>
#include <charconv>
#include <cmath>

#include "api/access_guard.hpp"
#include "api/params.hpp"
#include "api/table_export.hpp"
#include "http/error_table.hpp"

namespace motcua::api {
namespace {

namespace json = boost::json;
using services::StatsService;
using stats::Counter;

const access::Principal& principal_of(const http::Request& req) {
  static const access::Principal nobody;
  const auto* s = session_of(req);
  return s ? s->principal : nobody;
}

Result<std::string> unit_of(const http::Request& req) {
  auto v = req.query_param("unit");
  if (!v || v->empty()) {
    return bad_param("unit", "Thiếu tham số 'unit': mã xã, mã tỉnh, hoặc VN cho cả nước.",
                     "Parameter 'unit' is missing: a commune code, a province code, or VN for the nation.");
  }
  bool good = v->size() <= 8;
  for (char c : *v) good = good && ((c >= '0' && c <= '9') || c == 'V' || c == 'N');
  if (!good) {
    return bad_param("unit", "Tham số 'unit' phải là mã đơn vị (00004, 01) hoặc VN.",
                     "Parameter 'unit' must be a unit code (00004, 01) or VN.");
  }
  return std::string(*v);
}

Result<stats::Range> range_of(const http::Request& req, const StatsService& svc,
                              const char* default_period) {
  auto get = [&](const char* n) { return std::string(req.query_param(n).value_or("")); };
  std::string period = get("period");
  if (period.empty() && get("from").empty() && get("to").empty()) period = default_period;
  return stats::parse_range(period, get("date"), get("from"), get("to"), svc.today());
}

json::value opt(const std::optional<double>& v) {
  if (!v) return nullptr;
  return std::round(*v * 10000) / 10000;
}

json::object unit_json(const services::StatsUnit& u) {
  return {{"code", u.code}, {"level", u.level}, {"name", u.name}, {"name_en", u.name_en},
          {"province_code", u.province_code}};
}

json::object index_json(const stats::ServiceIndex& s) {
  json::array groups;
  json::array missing;
  for (const auto& g : s.groups) {
    json::array inputs;
    for (const auto& in : g.inputs) {
      inputs.push_back(json::object{{"key", in.key}, {"name_vi", in.name_vi}, {"name_en", in.name_en},
                                    {"value", opt(in.value)}, {"missing", in.missing}});
      if (in.missing) missing.push_back(json::value(in.key));
    }
    groups.push_back(json::object{{"key", g.key}, {"name_vi", g.name_vi}, {"name_en", g.name_en},
                                  {"weight", g.weight}, {"points", opt(g.points)}, {"inputs", std::move(inputs)}});
  }
  return {{"score", opt(s.score)}, {"points", std::round(s.points * 100) / 100}, {"out_of", s.out_of},
          {"groups", std::move(groups)}, {"missing_inputs", std::move(missing)}};
}

json::object figures_json(const services::UnitFigures& f) {
  const auto& i = f.indicators;
  const auto& c = i.sums;
  json::object counters;
  for (int k = 0; k < stats::kCounterCount; ++k) {
    if (static_cast<Counter>(k) == Counter::kOpen) continue;
    counters[stats::counter_name(static_cast<Counter>(k))] = c.v[k];
  }
  json::object o{
      {"unit", unit_json(f.unit)},
      {"range", json::object{{"from", stats::day_iso(f.range.from_day)},
                             {"to", stats::day_iso(f.range.to_day)},
                             {"days", f.range.days()}}},
      {"received", c[Counter::kReceived]},
      {"received_by_channel", json::object{{"online", c[Counter::kReceivedOnline]},
                                           {"counter", c[Counter::kReceivedCounter]},
                                           {"post", c[Counter::kReceivedPost]},
                                           {"national_portal", c[Counter::kReceivedPortal]}}},
      {"online_rate", opt(i.online_rate)},
      {"online_target", stats::kOnlineTarget},
      {"finished", c[Counter::kFinished]},
      {"on_time", c[Counter::kOnTime]},
      {"late", c[Counter::kLate]},
      {"on_time_rate", opt(i.on_time_rate)},
      {"open_now", i.open_now},
      {"overdue_now", i.overdue_now},
      {"avg_processing_days", opt(i.avg_processing_days)},
      {"supplement_rate", opt(i.supplement_rate)},
      {"digitisation_rate", opt(i.digitisation_rate)},
      {"electronic_result_rate", opt(i.electronic_result_rate)},
      {"online_payment_rate", opt(i.online_payment_rate)},
      {"ratings", c[Counter::kRatings]},
      {"average_rating", opt(i.average_rating)},
      {"satisfaction_rate", opt(i.satisfaction_rate)},
      {"counters", std::move(counters)},
      {"service_index", index_json(f.index)},
  };
  if (f.rank) o["rank"] = *f.rank;
  return o;
}

Cell pct(const std::optional<double>& v) {
  if (!v) return std::monostate{};
  return std::round(*v * 1000) / 10;
}

Table units_table(const std::string& unit, const std::vector<services::UnitFigures>& rows) {
  Table t{"chi-so-" + unit,
          {"Mã / Code", "Đơn vị / Unit", "Hạng / Rank", "Chỉ số 766 / Index", "Tiếp nhận / Received",
           "Trực tuyến % / Online %", "Giải quyết / Finished", "Đúng hạn % / On time %",
           "Quá hạn hiện tại / Overdue now", "Đang xử lý / Open", "Ngày xử lý TB / Avg days",
           "Bổ sung % / Supplements %", "Số hóa % / Digitised %", "Hài lòng % / Satisfied %"},
          {}};
  for (const auto& f : rows) {
    const auto& i = f.indicators;
    t.rows.push_back({f.unit.code, f.unit.name, f.rank ? Cell(static_cast<long long>(*f.rank)) : Cell(),
                      f.index.score ? Cell(std::round(*f.index.score * 10) / 10) : Cell(),
                      static_cast<long long>(i.sums[Counter::kReceived]), pct(i.online_rate),
                      static_cast<long long>(i.sums[Counter::kFinished]), pct(i.on_time_rate),
                      static_cast<long long>(i.overdue_now), static_cast<long long>(i.open_now),
                      i.avg_processing_days ? Cell(std::round(*i.avg_processing_days * 100) / 100) : Cell(),
                      pct(i.supplement_rate), pct(i.digitisation_rate), pct(i.satisfaction_rate)});
  }
  return t;
}

template <class T>
http::Response fail(const Result<T>& r, const http::Request& req) {
  return http::problem(r.error(), req.path);
}

// What the table endpoints read: the unit, the range (a month by default) and
// the export format (none: JSON).
struct TableQuery {
  std::string unit;
  stats::Range range;
  std::optional<std::string> format;
};

Result<TableQuery> table_query(const http::Request& req, const StatsService& svc) {
  auto unit = unit_of(req);
  if (!unit) return unit.error();
  auto range = range_of(req, svc, "month");
  if (!range) return range.error();
  auto format = export_format(req);
  if (!format) return format.error();
  return TableQuery{*unit, *range, *format};
}

http::Response get_indicators(const StatsService& svc, const http::Request& req) {
  auto q = table_query(req, svc);
  if (!q) return fail(q, req);
  auto f = svc.figures(principal_of(req), q->unit, q->range);
  if (!f) return fail(f, req);
  if (q->format) return table_response(units_table(q->unit, {*f}), *q->format, req.path);
  return http::json_response(200, json::serialize(figures_json(*f)));
}

http::Response get_units(const StatsService& svc, const http::Request& req) {
  auto q = table_query(req, svc);
  if (!q) return fail(q, req);
  auto rows = svc.children(principal_of(req), q->unit, q->range);
  if (!rows) return fail(rows, req);
  if (q->format) return table_response(units_table(q->unit, *rows), *q->format, req.path);
  json::array items;
  for (const auto& f : *rows) items.push_back(figures_json(f));
  return http::json_response(200, json::serialize(json::object{{"unit", q->unit}, {"items", std::move(items)}}));
}

http::Response get_series(const StatsService& svc, const http::Request& req) {
  auto q = table_query(req, svc);
  if (!q) return fail(q, req);
  if (q->range.days() > 800) {
    return http::problem(bad_param("to", "Chuỗi theo ngày dài tối đa 800 ngày.",
                                   "A daily series covers at most 800 days."),
                         req.path);
  }
  auto days = svc.series(principal_of(req), q->unit, q->range);
  if (!days) return fail(days, req);
  if (q->format) {
    Table t{"chuoi-" + q->unit,
            {"Ngày / Date", "Tiếp nhận / Received", "Trực tuyến / Online", "Giải quyết / Finished",
             "Đúng hạn / On time", "Trễ hạn / Late"},
            {}};
    for (const auto& d : *days) {
      const auto& c = d.counters;
      t.rows.push_back({stats::day_iso(d.day), static_cast<long long>(c[Counter::kReceived]),
                        static_cast<long long>(c[Counter::kReceivedOnline] + c[Counter::kReceivedPortal]),
                        static_cast<long long>(c[Counter::kFinished]),
                        static_cast<long long>(c[Counter::kOnTime]), static_cast<long long>(c[Counter::kLate])});
    }
    return table_response(t, *q->format, req.path);
  }
  json::array items;
  for (const auto& d : *days) {
    const auto& c = d.counters;
    items.push_back(json::object{{"date", stats::day_iso(d.day)},
                                 {"received", c[Counter::kReceived]},
                                 {"online", c[Counter::kReceivedOnline] + c[Counter::kReceivedPortal]},
                                 {"finished", c[Counter::kFinished]},
                                 {"on_time", c[Counter::kOnTime]},
                                 {"late", c[Counter::kLate]}});
  }
  return http::json_response(200, json::serialize(json::object{{"unit", q->unit}, {"items", std::move(items)}}));
}

json::array watched_json(const std::vector<services::WatchedDossier>& list) {
  json::array out;
  for (const auto& d : list) {
    out.push_back(json::object{{"code", d.code},
                               {"procedure_code", d.procedure_code},
                               {"procedure_name", d.procedure_name},
                               {"competent_unit", d.competent_unit},
                               {"state", d.state},
                               {"due_at", calendar::to_rfc3339(calendar::Instant{d.due_at})}});
  }
  return out;
}

http::Response get_warnings(const StatsService& svc, const http::Request& req) {
  auto unit = unit_of(req);
  if (!unit) return fail(unit, req);
  auto w = svc.warnings(principal_of(req), *unit);
  if (!w) return fail(w, req);
  json::array units;
  for (const auto& u : w->units) {
    units.push_back(json::object{{"unit", unit_json(u.unit)}, {"kind", u.kind},
                                 {"before", std::round(u.before * 1000) / 1000},
                                 {"now", std::round(u.now * 1000) / 1000},
                                 {"message_vi", u.message_vi}, {"message_en", u.message_en}});
  }
  return http::json_response(
      200, json::serialize(json::object{{"unit", unit_json(w->unit)},
                                        {"due_soon", watched_json(w->due_soon)},
                                        {"overdue", watched_json(w->overdue)},
                                        {"units", std::move(units)}}));
}

http::Response get_forecast(const StatsService& svc, const http::Request& req) {
  auto unit = unit_of(req);
  if (!unit) return fail(unit, req);
  double per_staff = 30;
  if (auto v = req.query_param("per_staff")) {
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), per_staff);
    if (ec != std::errc() || p != v->data() + v->size() || per_staff < 1 || per_staff > 1000) {
      return http::problem(bad_param("per_staff",
                                     "Tham số 'per_staff' là số hồ sơ một cán bộ tiếp nhận mỗi ngày (1..1000).",
                                     "Parameter 'per_staff' is the dossiers one officer receives a day (1..1000)."),
                           req.path);
    }
  }
  auto format = export_format(req);
  if (!format) return fail(format, req);
  auto f = svc.forecast(principal_of(req), *unit, per_staff);
  if (!f) return fail(f, req);
  if (*format) {
    Table t{"du-bao-" + *unit, {"Ngày / Date", "Dự kiến tiếp nhận / Expected", "Cán bộ / Staff"}, {}};
    for (const auto& d : f->days) {
      t.rows.push_back({stats::day_iso(d.day), std::round(d.expected * 10) / 10, static_cast<long long>(d.staff)});
    }
    return table_response(t, **format, req.path);
  }
  json::array days;
  for (const auto& d : f->days) {
    days.push_back(json::object{{"date", stats::day_iso(d.day)},
                                {"expected", std::round(d.expected * 10) / 10},
                                {"staff", d.staff}});
  }
  json::value error = nullptr;
  if (f->error) {
    json::array held;
    for (std::size_t i = 0; i < f->error->actual.size(); ++i) {
      held.push_back(json::object{{"date", stats::day_iso(f->error->actual[i].day)},
                                  {"actual", f->error->actual[i].count},
                                  {"predicted", std::round(f->error->predicted[i] * 10) / 10}});
    }
    error = json::object{{"held_back_days", f->error->held_back_days},
                         {"mae", std::round(f->error->mae * 100) / 100},
                         {"wape", opt(f->error->wape)},
                         {"bias", std::round(f->error->bias * 100) / 100},
                         {"days", std::move(held)}};
  }
  return http::json_response(
      200, json::serialize(json::object{{"unit", unit_json(f->unit)},
                                        {"per_staff", f->per_staff},
                                        {"history_working_days", f->history_days},
                                        {"days", std::move(days)},
                                        {"error", std::move(error)}}));
}

}  // namespace

void add_stats_routes(http::Router& router, const StatsService& stats) {
  const StatsService* svc = &stats;
  router.add("GET", "/api/v1/stats/indicators", "stats.read",
             [svc](const http::Request& r) { return get_indicators(*svc, r); });
  router.add("GET", "/api/v1/stats/units", "stats.read",
             [svc](const http::Request& r) { return get_units(*svc, r); });
  router.add("GET", "/api/v1/stats/series", "stats.read",
             [svc](const http::Request& r) { return get_series(*svc, r); });
  router.add("GET", "/api/v1/stats/warnings", "stats.read",
             [svc](const http::Request& r) { return get_warnings(*svc, r); });
  router.add("GET", "/api/v1/stats/forecast", "stats.read",
             [svc](const http::Request& r) { return get_forecast(*svc, r); });
}

}  // namespace motcua::api
