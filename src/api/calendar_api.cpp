#include "api/calendar_api.hpp"

#include <boost/json/serialize.hpp>
#include <charconv>

#include "api/access_guard.hpp"
#include "api/calendar_json.hpp"
#include "api/params.hpp"
#include "http/error_table.hpp"

namespace motcua::api {
namespace {

namespace json = boost::json;
namespace cal = calendar;
using services::CalendarService;
using services::DueKind;

constexpr std::size_t kMaxUnitCodeBytes = 16;

// Who made an administrative change, for the row's changed_by: the signed-in
// user, else (no guard installed) the peer address.
std::string actor_of(const http::Request& req) {
  if (const auto* session = session_of(req)) return session->principal.username;
  return "anonymous@" + req.remote;
}

Result<cal::Instant> instant_param(const http::Request& req, const char* name) {
  auto v = req.query_param(name);
  auto bad = [&] {
    return bad_param(name,
                     std::string("Tham số '") + name +
                         "' phải là thời điểm RFC 3339, ví dụ 2026-02-13T10:00:00+07:00.",
                     std::string("Parameter '") + name +
                         "' must be an RFC 3339 time, for example 2026-02-13T10:00:00+07:00.");
  };
  if (!v) return bad();
  std::string text(*v);
  // An unencoded '+' of the offset arrives as a space: read it back as '+'.
  if (auto space = text.find(' '); space != std::string::npos && space >= 19) text[space] = '+';
  auto t = cal::parse_rfc3339(text);
  if (!t) return bad();
  return *t;
}

Result<std::string> unit_param(const http::Request& req, const char* name, bool required) {
  auto v = req.query_param(name);
  if (!v) {
    if (!required) return std::string();
    return bad_param(
        name, std::string("Thiếu tham số '") + name + "': mã xã, phường hoặc tỉnh.",
        std::string("Parameter '") + name + "' is missing: a commune or province code.");
  }
  bool good = !v->empty() && v->size() <= kMaxUnitCodeBytes;
  for (char c : *v) good = good && c >= '0' && c <= '9';
  if (!good) {
    return bad_param(
        name, std::string("Tham số '") + name + "' phải là mã đơn vị gồm chữ số, ví dụ 00004.",
        std::string("Parameter '") + name + "' must be a unit code of digits, for example 00004.");
  }
  return std::string(*v);
}

Result<int> year_of(std::string_view text) {
  int year = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc() || p != text.data() + text.size() || text.size() != 4) {
    return bad_param("year", "Năm phải gồm 4 chữ số, ví dụ 2026.",
                     "The year must be 4 digits, for example 2026.");
  }
  return year;
}

struct Amount {
  DueKind kind;
  const char* name;
  int n;
};

// Exactly one of days, hours, calendar_days.
Result<Amount> amount_param(const http::Request& req) {
  const Amount kinds[] = {{DueKind::kWorkingDays, "days", 1000},
                          {DueKind::kWorkingHours, "hours", 8000},
                          {DueKind::kCalendarDays, "calendar_days", 3650}};
  std::optional<Amount> found;
  for (const Amount& k : kinds) {
    if (!req.query_param(k.name)) continue;
    if (found) {
      return bad_param(k.name, "Chỉ cho một trong 'days', 'hours', 'calendar_days'.",
                       "Give only one of 'days', 'hours', 'calendar_days'.");
    }
    auto n = size_param(req, k.name, 0, 0, static_cast<std::size_t>(k.n));
    if (!n) return n.error();
    found = Amount{k.kind, k.name, static_cast<int>(*n)};
  }
  if (!found) {
    return bad_param("days", "Thiếu thời hạn: cho 'days', 'hours' hoặc 'calendar_days'.",
                     "The time limit is missing: give 'days', 'hours' or 'calendar_days'.");
  }
  return *found;
}

http::Response get_due(const CalendarService& svc, const http::Request& req) {
  auto from = instant_param(req, "from");
  if (!from) return http::problem(from.error(), req.path);
  auto amount = amount_param(req);
  if (!amount) return http::problem(amount.error(), req.path);
  auto unit = unit_param(req, "unit", true);
  if (!unit) return http::problem(unit.error(), req.path);

  auto start = svc.clock_start(*unit, *from, amount->kind);
  if (!start) return http::problem(start.error(), req.path);
  auto due = svc.due(*unit, *from, amount->n, amount->kind);
  if (!due) {
    Error e = due.error();
    if (e.param == "n") e.param = amount->name;
    return http::problem(e, req.path);
  }
  json::object out;
  out["from"] = cal::to_rfc3339(*from);
  out["clock_start"] = cal::to_rfc3339(*start);
  out["due"] = cal::to_rfc3339(*due);
  out["unit"] = *unit;
  out["kind"] = services::due_kind_name(amount->kind);
  out["n"] = amount->n;
  return http::json_response(200, json::serialize(out));
}

http::Response get_working_time(const CalendarService& svc, const http::Request& req) {
  auto from = instant_param(req, "from");
  if (!from) return http::problem(from.error(), req.path);
  auto to = instant_param(req, "to");
  if (!to) return http::problem(to.error(), req.path);
  auto unit = unit_param(req, "unit", true);
  if (!unit) return http::problem(unit.error(), req.path);
  if (*to < *from) {
    return http::problem(bad_param("to", "Thời điểm 'to' không được sớm hơn 'from'.",
                                   "'to' must not be earlier than 'from'."),
                         req.path);
  }
  auto wt = svc.working_time(*unit, *from, *to);
  if (!wt) return http::problem(wt.error(), req.path);
  const double seconds = static_cast<double>(wt->seconds.count());
  json::object out;
  out["from"] = cal::to_rfc3339(*from);
  out["to"] = cal::to_rfc3339(*to);
  out["unit"] = *unit;
  out["seconds"] = wt->seconds.count();
  out["hours"] = seconds / 3600.0;
  out["working_days"] = seconds / static_cast<double>(wt->day_length.count());
  out["working_day_seconds"] = wt->day_length.count();
  return http::json_response(200, json::serialize(out));
}

http::Response get_year(const CalendarService& svc, const http::Request& req) {
  auto year = year_of(req.param("year"));
  if (!year) return http::problem(year.error(), req.path);
  auto unit = unit_param(req, "unit", false);
  if (!unit) return http::problem(unit.error(), req.path);
  auto view = svc.year(*year, *unit);
  if (!view) return http::problem(view.error(), req.path);

  json::array days;
  for (const auto& d : view->days) {
    days.push_back(json::object{{"date", cal::to_string(d.holiday.date)},
                                {"weekday", static_cast<int>(cal::weekday(d.holiday.date))},
                                {"kind", cal::holiday_kind_name(d.holiday.kind)},
                                {"name_vi", d.holiday.name_vi},
                                {"name_en", d.holiday.name_en},
                                {"working", d.working}});
  }
  json::object out;
  out["year"] = view->year;
  out["unit"] = unit->empty() ? json::value(nullptr) : json::value(*unit);
  out["days"] = std::move(days);
  out["overrides"] = view->overrides ? json::value(overrides_json(*year, &*view->overrides))
                                     : json::value(nullptr);
  out["working_hours"] = hours_json(view->settings.settings);
  out["settings_source"] = view->settings.source;
  return http::json_response(200, json::serialize(out));
}

http::Response get_overrides(const CalendarService& svc, const http::Request& req) {
  auto year = year_of(req.param("year"));
  if (!year) return http::problem(year.error(), req.path);
  auto record = svc.overrides(*year);
  if (!record) return http::problem(record.error(), req.path);
  return http::json_response(200,
                             json::serialize(overrides_json(*year, *record ? &**record : nullptr)));
}

http::Response put_overrides(CalendarService& svc, const http::Request& req) {
  auto year = year_of(req.param("year"));
  if (!year) return http::problem(year.error(), req.path);
  if (auto r = json_content_type(req); !r) return http::problem(r.error(), req.path);
  auto overrides = parse_overrides(*year, req.body);
  if (!overrides) return http::problem(overrides.error(), req.path);
  auto record = svc.set_overrides(std::move(*overrides), actor_of(req));
  if (!record) return http::problem(record.error(), req.path);
  return http::json_response(200, json::serialize(overrides_json(*year, &*record)));
}

http::Response get_settings(const CalendarService& svc, const http::Request& req) {
  auto settings = svc.unit_settings(req.param("code"));
  if (!settings) return http::problem(settings.error(), req.path);
  return http::json_response(200, json::serialize(settings_json(*settings)));
}

http::Response put_settings(CalendarService& svc, const http::Request& req) {
  if (auto r = json_content_type(req); !r) return http::problem(r.error(), req.path);
  auto parsed = parse_settings(req.body);
  if (!parsed) return http::problem(parsed.error(), req.path);
  auto settings = svc.set_unit_settings(req.param("code"), *parsed, actor_of(req));
  if (!settings) return http::problem(settings.error(), req.path);
  return http::json_response(200, json::serialize(settings_json(*settings)));
}

}  // namespace

void add_calendar_routes(http::Router& router, CalendarService& calendar) {
  CalendarService* svc = &calendar;
  router.add("GET", "/api/v1/calendar/due", "public",
             [svc](const http::Request& r) { return get_due(*svc, r); });
  router.add("GET", "/api/v1/calendar/working-time", "public",
             [svc](const http::Request& r) { return get_working_time(*svc, r); });
  router.add("GET", "/api/v1/calendar/{year}", "public",
             [svc](const http::Request& r) { return get_year(*svc, r); });
  router.add("GET", "/api/v1/calendar/{year}/overrides", "public",
             [svc](const http::Request& r) { return get_overrides(*svc, r); });
  router.add("PUT", "/api/v1/calendar/{year}/overrides", "calendar.admin",
             [svc](const http::Request& r) { return put_overrides(*svc, r); });
  router.add("GET", "/api/v1/units/{code}/calendar-settings", "public",
             [svc](const http::Request& r) { return get_settings(*svc, r); });
  router.add("PUT", "/api/v1/units/{code}/calendar-settings", "calendar.admin",
             [svc](const http::Request& r) { return put_settings(*svc, r); });
}

}  // namespace motcua::api
