#include "api/stats_api.hpp"

#include <charconv>
#include <cmath>

#include "api/access_guard.hpp"
#include "api/params.hpp"
#include "api/table_export.hpp"
#include "common/json_text.hpp"
#include "http/error_table.hpp"

namespace motcua::api {
namespace {

using services::StatsService;
using stats::Counter;

const access::Principal& principal_of(const http::Request& req) {
  static const access::Principal nobody;
  const auto* s = session_of(req);
  return s ? s->principal : nobody;
}

Result<services::UnitAsked> unit_of(const http::Request& req) {
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
  const auto scope = stats::parse_unit_scope(req.query_param("scope").value_or("all"));
  if (!scope) {
    return bad_param("scope",
                     "Tham số 'scope' là all (cả tỉnh, mặc định) hoặc own (chỉ hồ sơ mà chính tỉnh "
                     "có thẩm quyền giải quyết).",
                     "Parameter 'scope' is all (the whole province, the default) or own (only the "
                     "dossiers whose competent unit is the province itself).");
  }
  return services::UnitAsked(std::string(*v), *scope);
}

// The stem of an exported file: the unit's code, marked for the province's
// own agencies so that the two files of a province are told apart.
std::string stem_of(const services::UnitAsked& u) {
  return u.scope == stats::UnitScope::kOwn ? u.code + "-co-quan-tinh" : u.code;
}

Result<stats::Range> range_of(const http::Request& req, const StatsService& svc,
                              const char* default_period) {
  auto get = [&](const char* n) { return std::string(req.query_param(n).value_or("")); };
  std::string period = get("period");
  if (period.empty() && get("from").empty() && get("to").empty()) period = default_period;
  return stats::parse_range(period, get("date"), get("from"), get("to"), svc.today());
}

// Answers are written as text (common/json_text): the ranking of a
// province's communes is 127 units of figures, where a tree of values cost
// more than the query behind it.

// Rates, shares and the index go out as computed: a client that shows them
// rounds once (a rate rounded here to four decimals, 6/11 as 0.5455, was
// shown as 54.6% where it is 54.5%).

void write_range(JsonWriter& w, const stats::Range& r) {
  w.key("range")
      .begin_object()
      .member("from", stats::day_iso(r.from_day))
      .member("to", stats::day_iso(r.to_day))
      .member("days", r.days())
      .end_object();
}

void write_unit(JsonWriter& w, const services::StatsUnit& u) {
  w.begin_object()
      .member("code", u.code)
      .member("level", u.level)
      .member("name", u.name)
      .member("name_en", u.name_en)
      .member("province_code", u.province_code)
      .end_object();
}

// `brief` (a ranking's items): each group's key, weight and points only. The
// names of the groups and inputs are the same for every unit and were most
// of a province's ranking (478 KB for its 127 units); a unit's own
// indicators give them in full.
void write_index(JsonWriter& w, const stats::ServiceIndex& s, bool brief) {
  w.begin_object()
      .member("score", s.score)
      .member("points", s.points)
      .member("out_of", s.out_of)
      .key("groups")
      .begin_array();
  for (const auto& g : s.groups) {
    if (brief) {
      w.begin_object()
          .member("key", g.key)
          .member("weight", g.weight)
          .member("points", g.points)
          .end_object();
      continue;
    }
    w.begin_object()
        .member("key", g.key)
        .member("name_vi", g.name_vi)
        .member("name_en", g.name_en)
        .member("weight", g.weight)
        .member("points", g.points)
        .key("inputs")
        .begin_array();
    for (const auto& in : g.inputs) {
      w.begin_object()
          .member("key", in.key)
          .member("name_vi", in.name_vi)
          .member("name_en", in.name_en)
          .member("value", in.value)
          .member("missing", in.missing)
          .end_object();
    }
    w.end_array().end_object();
  }
  w.end_array().key("missing_inputs").begin_array();
  for (const auto& g : s.groups) {
    for (const auto& in : g.inputs) {
      if (in.missing) w.str(in.key);
    }
  }
  w.end_array().end_object();
}

void write_figures(JsonWriter& w, const services::UnitFigures& f, bool brief_index = false) {
  const auto& i = f.indicators;
  const auto& c = i.sums;
  w.begin_object().key("unit");
  write_unit(w, f.unit);
  write_range(w, f.range);
  w.member("received", c[Counter::kReceived])
      .key("received_by_channel")
      .begin_object()
      .member("online", c[Counter::kReceivedOnline])
      .member("counter", c[Counter::kReceivedCounter])
      .member("post", c[Counter::kReceivedPost])
      .member("national_portal", c[Counter::kReceivedPortal])
      .end_object()
      .member("received_at_desk", c[Counter::kReceivedAtDesk])
      .member("online_rate", i.online_rate)
      .member("online_target", stats::kOnlineTarget)
      .member("finished", c[Counter::kFinished])
      .member("on_time", c[Counter::kOnTime])
      .member("late", c[Counter::kLate])
      .member("on_time_rate", i.on_time_rate)
      .member("open_now", i.open_now)
      .member("overdue_now", i.overdue_now)
      .member("avg_processing_days", i.avg_processing_days)
      .member("supplement_rate", i.supplement_rate)
      .member("digitisation_rate", i.digitisation_rate)
      .member("electronic_result_rate", i.electronic_result_rate)
      .member("online_payment_rate", i.online_payment_rate)
      .member("ratings", c[Counter::kRatings])
      .member("average_rating", i.average_rating)
      .member("satisfaction_rate", i.satisfaction_rate)
      .key("counters")
      .begin_object();
  for (int k = 0; k < stats::kCounterCount; ++k) {
    if (static_cast<Counter>(k) == Counter::kOpen) continue;
    w.member(stats::counter_name(static_cast<Counter>(k)), c.v[k]);
  }
  w.end_object().key("service_index");
  write_index(w, f.index, brief_index);
  if (f.rank) w.member("rank", *f.rank);
  w.end_object();
}

http::Response json_ok(JsonWriter& w) { return http::json_response(200, w.take()); }

Cell pct(const std::optional<double>& v) {
  if (!v) return std::monostate{};
  return std::round(*v * 1000) / 10;
}

// A unit's name in an export; the province's own agencies are labelled, not
// named as the province they belong to.
std::string export_name(const services::StatsUnit& u) {
  if (u.level != "province_agencies") return u.name;
  return "Các cơ quan cấp tỉnh / Province agencies (" + u.name + ")";
}

// `ranked`: the rows are a ranking (/units) and the table has its rank
// column. A unit's own indicators carry no rank, as their JSON does not: its
// rank is in its province's table.
Table units_table(const std::string& stem, const std::vector<services::UnitFigures>& rows,
                  bool ranked) {
  Table t{
      "chi-so-" + stem,
      {"Mã / Code", "Đơn vị / Unit", "Hạng / Rank", "Chỉ số 766 / Index", "Tiếp nhận / Received",
       "Tiếp nhận tại bộ phận một cửa / Received at the desk", "Trực tuyến % / Online %",
       "Đã giải quyết / Finished", "Đúng hạn % / On time %", "Đang quá hạn / Overdue now",
       "Đang giải quyết / Open", "Thời gian giải quyết TB (ngày) / Avg days",
       "Bổ sung % / Supplements %", "Số hoá % / Digitised %", "Hài lòng % / Satisfied %"},
      {}};
  for (const auto& f : rows) {
    const auto& i = f.indicators;
    t.rows.push_back(
        {f.unit.code, export_name(f.unit), f.rank ? Cell(static_cast<long long>(*f.rank)) : Cell(),
         f.index.score ? Cell(std::round(*f.index.score * 10) / 10) : Cell(),
         static_cast<long long>(i.sums[Counter::kReceived]),
         static_cast<long long>(i.sums[Counter::kReceivedAtDesk]), pct(i.online_rate),
         static_cast<long long>(i.sums[Counter::kFinished]), pct(i.on_time_rate),
         static_cast<long long>(i.overdue_now), static_cast<long long>(i.open_now),
         i.avg_processing_days ? Cell(std::round(*i.avg_processing_days * 100) / 100) : Cell(),
         pct(i.supplement_rate), pct(i.digitisation_rate), pct(i.satisfaction_rate)});
    if (!ranked) t.rows.back().erase(t.rows.back().begin() + 2);
  }
  if (!ranked) t.headers.erase(t.headers.begin() + 2);
  return t;
}

template <class T>
http::Response fail(const Result<T>& r, const http::Request& req) {
  return http::problem(r.error(), req.path);
}

// What the table endpoints read: the unit, the range (a month by default) and
// the export format (none: JSON).
struct TableQuery {
  services::UnitAsked unit;
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
  if (q->format) {
    return table_response(units_table(stem_of(q->unit), {*f}, false), *q->format, req.path);
  }
  JsonWriter w;
  write_figures(w, *f);
  return json_ok(w);
}

http::Response get_units(const StatsService& svc, const http::Request& req) {
  auto q = table_query(req, svc);
  if (!q) return fail(q, req);
  auto rows = svc.children(principal_of(req), q->unit, q->range);
  if (!rows) return fail(rows, req);
  if (q->format) {
    return table_response(units_table(stem_of(q->unit), *rows, true), *q->format, req.path);
  }
  JsonWriter w;
  w.begin_object()
      .member("unit", q->unit.code)
      .member("scope", stats::unit_scope_name(q->unit.scope))
      .key("items")
      .begin_array();
  for (const auto& f : *rows) write_figures(w, f, /*brief_index=*/true);
  w.end_array().end_object();
  return json_ok(w);
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
    Table t{"chuoi-" + stem_of(q->unit),
            {"Ngày / Date", "Tiếp nhận / Received", "Trực tuyến / Online",
             "Đã giải quyết / Finished", "Đúng hạn / On time", "Trễ hạn / Late"},
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
  JsonWriter w;
  w.begin_object()
      .member("unit", q->unit.code)
      .member("scope", stats::unit_scope_name(q->unit.scope))
      .key("items")
      .begin_array();
  for (const auto& d : *days) {
    const auto& c = d.counters;
    w.begin_object()
        .member("date", stats::day_iso(d.day))
        .member("received", c[Counter::kReceived])
        .member("online", c[Counter::kReceivedOnline] + c[Counter::kReceivedPortal])
        .member("finished", c[Counter::kFinished])
        .member("on_time", c[Counter::kOnTime])
        .member("late", c[Counter::kLate])
        .end_object();
  }
  w.end_array().end_object();
  return json_ok(w);
}

void write_watched(JsonWriter& w, const std::vector<services::WatchedDossier>& list) {
  w.begin_array();
  for (const auto& d : list) {
    w.begin_object()
        .member("code", d.code)
        .member("procedure_code", d.procedure_code)
        .member("procedure_name", d.procedure_name)
        .member("competent_unit", d.competent_unit)
        .member("state", d.state)
        .member("due_at", calendar::to_rfc3339(calendar::Instant{d.due_at}))
        .end_object();
  }
  w.end_array();
}

http::Response get_warnings(const StatsService& svc, const http::Request& req) {
  auto unit = unit_of(req);
  if (!unit) return fail(unit, req);
  auto limit = size_param(req, "limit", services::kWatchLimit, 1, services::kWatchLimitMax);
  if (!limit) return fail(limit, req);
  auto w = svc.warnings(principal_of(req), *unit, *limit);
  if (!w) return fail(w, req);
  JsonWriter out;
  out.begin_object().key("unit");
  write_unit(out, w->unit);
  out.member("due_soon_total", w->due_soon_total).member("overdue_total", w->overdue_total);
  out.key("due_soon");
  write_watched(out, w->due_soon);
  out.key("overdue");
  write_watched(out, w->overdue);
  out.key("units").begin_array();
  for (const auto& u : w->units) {
    out.begin_object().key("unit");
    write_unit(out, u.unit);
    out.member("kind", u.kind)
        .member("before", std::round(u.before * 1000) / 1000)
        .member("now", std::round(u.now * 1000) / 1000)
        .member("message_vi", u.message_vi)
        .member("message_en", u.message_en)
        .end_object();
  }
  out.end_array().end_object();
  return json_ok(out);
}

http::Response get_forecast(const StatsService& svc, const http::Request& req) {
  auto unit = unit_of(req);
  if (!unit) return fail(unit, req);
  double per_staff = 30;
  if (auto v = req.query_param("per_staff")) {
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), per_staff);
    // from_chars reads "nan" and "inf" too: NaN fails every comparison, so
    // the range is asked the way NaN cannot pass.
    const bool in_range = per_staff >= 1 && per_staff <= 1000;
    if (ec != std::errc() || p != v->data() + v->size() || !in_range) {
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
    Table t{"du-bao-" + stem_of(*unit),
            {"Ngày / Date", "Dự kiến tiếp nhận / Expected", "Cán bộ / Staff"},
            {}};
    for (const auto& d : f->days) {
      t.rows.push_back({stats::day_iso(d.day), std::round(d.expected * 10) / 10, static_cast<long long>(d.staff)});
    }
    return table_response(t, **format, req.path);
  }
  JsonWriter w;
  w.begin_object().key("unit");
  write_unit(w, f->unit);
  w.member("per_staff", f->per_staff)
      .member("history_working_days", f->history_days)
      .member("history_from", f->history_from
                                  ? std::optional<std::string>(stats::day_iso(*f->history_from))
                                  : std::nullopt)
      .key("days")
      .begin_array();
  for (const auto& d : f->days) {
    w.begin_object()
        .member("date", stats::day_iso(d.day))
        .member("expected", std::round(d.expected * 10) / 10)
        .member("staff", d.staff)
        .end_object();
  }
  w.end_array().key("error");
  if (!f->error) {
    w.raw("null");
  } else {
    const auto& e = *f->error;
    w.begin_object()
        .member("held_back_days", e.held_back_days)
        .member("mae", std::round(e.mae * 100) / 100)
        .member("wape", e.wape)
        .member("bias", std::round(e.bias * 100) / 100)
        .key("days")
        .begin_array();
    for (std::size_t i = 0; i < e.actual.size(); ++i) {
      w.begin_object()
          .member("date", stats::day_iso(e.actual[i].day))
          .member("actual", e.actual[i].count)
          .member("predicted", std::round(e.predicted[i] * 10) / 10)
          .end_object();
    }
    w.end_array().end_object();
  }
  w.end_object();
  return json_ok(w);
}

Result<stats::ListKind> list_kind_of(const http::Request& req) {
  const auto v = req.query_param("status").value_or("received");
  if (auto k = stats::parse_list_kind(v)) return *k;
  return bad_param(
      "status", "Tham số 'status' là một trong: received, finished, on_time, late, open, overdue.",
      "Parameter 'status' is one of: received, finished, on_time, late, open, overdue.");
}

std::optional<std::string> instant_text(const std::optional<std::int64_t>& t) {
  if (!t) return std::nullopt;
  return calendar::to_rfc3339(calendar::Instant{*t});
}

Cell time_cell(const std::optional<std::int64_t>& t) {
  auto text = instant_text(t);
  return text ? Cell(std::move(*text)) : Cell();
}

http::Response get_dossier_list(const StatsService& svc, const http::Request& req) {
  auto q = table_query(req, svc);
  if (!q) return fail(q, req);
  auto kind = list_kind_of(req);
  if (!kind) return fail(kind, req);
  auto limit = size_param(req, "limit", services::kListLimit, 1, services::kListLimitMax);
  if (!limit) return fail(limit, req);
  auto offset = size_param(req, "offset", 0, 0, 100'000'000);
  if (!offset) return fail(offset, req);
  // A download is the whole list, whatever page the screen shows.
  auto list = q->format
                  ? svc.dossier_list(principal_of(req), q->unit, q->range, *kind, 0, 0)
                  : svc.dossier_list(principal_of(req), q->unit, q->range, *kind, *offset, *limit);
  if (!list) return fail(list, req);
  if (q->format) {
    Table t{"ho-so-" + stem_of(q->unit) + "-" + std::string(stats::list_kind_name(*kind)),
            {"Mã hồ sơ / Code", "Thủ tục / Procedure", "Tên thủ tục / Procedure name",
             "Kênh / Channel", "Trạng thái / State", "Tiếp nhận / Received", "Hạn / Due",
             "Hoàn thành / Finished", "Tiến độ / Time status", "Lần bổ sung / Supplements"},
            {}};
    for (const auto& d : list->items) {
      t.rows.push_back({d.code, d.procedure_code, d.procedure_name, d.channel, d.state,
                        time_cell(d.received_at), time_cell(d.due_at), time_cell(d.finished_at),
                        d.time_status, static_cast<long long>(d.supplement_requests)});
    }
    return table_response(t, *q->format, req.path);
  }
  JsonWriter w;
  w.begin_object().key("unit");
  write_unit(w, list->unit);
  write_range(w, list->range);
  w.member("status", stats::list_kind_name(list->kind))
      .member("total", list->total)
      .member("offset", list->offset)
      .member("limit", *limit)
      .key("items")
      .begin_array();
  for (const auto& d : list->items) {
    w.begin_object()
        .member("code", d.code)
        .member("procedure_code", d.procedure_code)
        .member("procedure_name", d.procedure_name)
        .member("channel", d.channel)
        .member("state", d.state)
        .member("received_at", instant_text(d.received_at))
        .member("due_at", instant_text(d.due_at))
        .member("finished_at", instant_text(d.finished_at))
        .member("time_status", d.time_status)
        .member("supplement_requests", d.supplement_requests)
        .end_object();
  }
  w.end_array().end_object();
  return json_ok(w);
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
  router.add("GET", "/api/v1/stats/dossiers", "stats.read",
             [svc](const http::Request& r) { return get_dossier_list(*svc, r); });
  router.add("GET", "/api/v1/stats/forecast", "stats.read",
             [svc](const http::Request& r) { return get_forecast(*svc, r); });
}

}  // namespace motcua::api
