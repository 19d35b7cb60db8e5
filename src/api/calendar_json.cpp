#include "api/calendar_json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include "services/request_text.hpp"
#include "text/blank.hpp"

namespace motcua::api {
namespace {

namespace json = boost::json;
namespace cal = calendar;

constexpr std::size_t kMaxNameBytes = 300;
constexpr std::size_t kMaxListLength = 366;

Error bad_field(const std::string& field, const std::string& vi, const std::string& en) {
  return make_error(ErrorKind::kBadRequest, vi, en, field);
}

Error not_a_date(const std::string& field) {
  return bad_field(field, "Trường '" + field + "' phải là một ngày dạng YYYY-MM-DD.",
                   "Field '" + field + "' must be a date written YYYY-MM-DD.");
}

Result<json::object> parse_object(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return bad_field("body", "Nội dung yêu cầu phải là một đối tượng JSON.",
                     "The request body must be a JSON object.");
  }
  return std::move(v.get_object());
}

Result<void> only_known(const json::object& o, std::initializer_list<std::string_view> known,
                        const std::string& prefix) {
  for (const auto& [key, value] : o) {
    bool found = false;
    for (auto k : known) found = found || key == k;
    if (!found) {
      const std::string field = prefix + std::string(key);
      return bad_field(field, "Trường '" + field + "' không được hỗ trợ.",
                       "Field '" + field + "' is not supported.");
    }
  }
  return ok();
}

Result<cal::CivilDate> date_field(const json::value& v, const std::string& field) {
  if (!v.is_string()) return not_a_date(field);
  auto d = cal::parse_civil_date(std::string_view(v.get_string()));
  if (!d) return not_a_date(field);
  return *d;
}

Result<std::string> name_field(const json::object& o, const char* key, const std::string& prefix) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::string();
  const std::string field = prefix + key;
  // Boost.JSON has already checked that strings are valid UTF-8.
  if (!v->is_string() || v->get_string().size() > kMaxNameBytes) {
    return bad_field(
        field,
        "Trường '" + field + "' phải là văn bản tối đa " + std::to_string(kMaxNameBytes) + " byte.",
        "Field '" + field + "' must be text of at most " + std::to_string(kMaxNameBytes) +
            " bytes.");
  }
  auto text = services::request_text(v->get_string(), field);
  // A name with nothing to read is no name: the day keeps its default one.
  if (text && text::blank(*text)) return std::string();
  return text;
}

Error not_a_list(const char* key) {
  return bad_field(key,
                   std::string("Trường '") + key + "' phải là danh sách tối đa " +
                       std::to_string(kMaxListLength) + " phần tử.",
                   std::string("Field '") + key + "' must be a list of at most " +
                       std::to_string(kMaxListLength) + " items.");
}

Result<std::vector<cal::NamedDate>> named_dates(const json::object& o, const char* key) {
  std::vector<cal::NamedDate> out;
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array() || v->get_array().size() > kMaxListLength) return not_a_list(key);
  const json::array& items = v->get_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string prefix = std::string(key) + "[" + std::to_string(i) + "].";
    if (!items[i].is_object()) {
      return bad_field(
          prefix.substr(0, prefix.size() - 1),
          "Mỗi phần tử của '" + std::string(key) + "' phải là {date, name_vi, name_en}.",
          "Each item of '" + std::string(key) + "' must be {date, name_vi, name_en}.");
    }
    const json::object& item = items[i].get_object();
    if (auto r = only_known(item, {"date", "name_vi", "name_en"}, prefix); !r) return r.error();
    const json::value* date = item.if_contains("date");
    if (date == nullptr) return not_a_date(prefix + "date");
    auto d = date_field(*date, prefix + "date");
    if (!d) return d.error();
    auto vi = name_field(item, "name_vi", prefix);
    if (!vi) return vi.error();
    auto en = name_field(item, "name_en", prefix);
    if (!en) return en.error();
    out.push_back(cal::NamedDate{*d, std::move(*vi), std::move(*en)});
  }
  return out;
}

Result<std::optional<cal::TimeOfDay>> time_field(const json::object& o, const char* key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::optional<cal::TimeOfDay>();
  std::optional<cal::TimeOfDay> t;
  if (v->is_string()) {
    auto parsed = cal::parse_time_of_day(std::string_view(v->get_string()));
    if (parsed) t = *parsed;
  }
  if (!t) {
    return bad_field(
        key, std::string("Trường '") + key + "' phải là giờ dạng HH:MM, ví dụ 07:30.",
        std::string("Field '") + key + "' must be a time written HH:MM, for example 07:30.");
  }
  return t;
}

json::array named_dates_json(const std::vector<cal::NamedDate>& list) {
  json::array out;
  for (const auto& d : list) {
    out.push_back(json::object{
        {"date", cal::to_string(d.date)}, {"name_vi", d.name_vi}, {"name_en", d.name_en}});
  }
  return out;
}

}  // namespace

Result<cal::YearOverrides> parse_overrides(int year, std::string_view body) {
  auto doc = parse_object(body);
  if (!doc) return doc.error();
  const json::object& o = *doc;
  // changed_by and changed_at are the server's, read-only: taken and ignored,
  // so that the body a GET gave can be edited and PUT back as it is.
  if (auto r = only_known(o,
                          {"year", "tet_days", "national_day_adjacent", "days_off", "working_days",
                           "changed_by", "changed_at"},
                          "");
      !r) {
    return r.error();
  }
  cal::YearOverrides out;
  out.year = year;
  if (const json::value* y = o.if_contains("year"); y && !y->is_null()) {
    if (!y->is_int64() || y->get_int64() != year) {
      return bad_field(
          "year",
          "Trường 'year' phải trùng với năm trong đường dẫn (" + std::to_string(year) + ").",
          "Field 'year' must match the year in the path (" + std::to_string(year) + ").");
    }
  }
  if (const json::value* t = o.if_contains("tet_days"); t && !t->is_null()) {
    if (!t->is_array() || t->get_array().size() > kMaxListLength) return not_a_list("tet_days");
    std::vector<cal::CivilDate> days;
    const json::array& items = t->get_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      auto d = date_field(items[i], "tet_days[" + std::to_string(i) + "]");
      if (!d) return d.error();
      days.push_back(*d);
    }
    out.tet_days = std::move(days);
  }
  if (const json::value* n = o.if_contains("national_day_adjacent"); n && !n->is_null()) {
    auto d = date_field(*n, "national_day_adjacent");
    if (!d) return d.error();
    out.national_day_adjacent = *d;
  }
  auto off = named_dates(o, "days_off");
  if (!off) return off.error();
  out.days_off = std::move(*off);
  auto work = named_dates(o, "working_days");
  if (!work) return work.error();
  out.working_days = std::move(*work);
  return out;
}

Result<services::UnitCalendarSettings> parse_settings(std::string_view body) {
  auto doc = parse_object(body);
  if (!doc) return doc.error();
  const json::object& o = *doc;
  if (auto r = only_known(
          o, {"morning_start", "morning_end", "afternoon_start", "afternoon_end", "receipt_cutoff"},
          "");
      !r) {
    return r.error();
  }
  services::UnitCalendarSettings s;
  std::pair<const char*, cal::TimeOfDay*> times[] = {{"morning_start", &s.hours.morning_start},
                                                     {"morning_end", &s.hours.morning_end},
                                                     {"afternoon_start", &s.hours.afternoon_start},
                                                     {"afternoon_end", &s.hours.afternoon_end}};
  for (auto& [key, target] : times) {
    auto t = time_field(o, key);
    if (!t) return t.error();
    if (*t) *target = **t;
  }
  auto cutoff = time_field(o, "receipt_cutoff");
  if (!cutoff) return cutoff.error();
  s.receipt_cutoff = *cutoff;
  return s;
}

json::object overrides_json(int year, const store::YearOverridesRecord* record) {
  json::object out;
  out["year"] = year;
  const cal::YearOverrides empty;
  const cal::YearOverrides& o = record ? record->overrides : empty;
  if (o.tet_days) {
    json::array days;
    for (const auto& d : *o.tet_days) days.push_back(json::value(cal::to_string(d)));
    out["tet_days"] = std::move(days);
  } else {
    out["tet_days"] = nullptr;
  }
  out["national_day_adjacent"] = o.national_day_adjacent
                                     ? json::value(cal::to_string(*o.national_day_adjacent))
                                     : json::value(nullptr);
  out["days_off"] = named_dates_json(o.days_off);
  out["working_days"] = named_dates_json(o.working_days);
  out["changed_by"] = record ? json::value(record->changed_by) : json::value(nullptr);
  out["changed_at"] =
      record ? json::value(cal::to_rfc3339(record->changed_at)) : json::value(nullptr);
  return out;
}

json::object hours_json(const services::UnitCalendarSettings& s) {
  json::object out;
  out["morning_start"] = cal::to_string(s.hours.morning_start);
  out["morning_end"] = cal::to_string(s.hours.morning_end);
  out["afternoon_start"] = cal::to_string(s.hours.afternoon_start);
  out["afternoon_end"] = cal::to_string(s.hours.afternoon_end);
  // Unset, the cut-off is the end of the working day: show that time.
  out["receipt_cutoff"] = cal::to_string(s.receipt_cutoff.value_or(s.hours.afternoon_end));
  return out;
}

json::object settings_json(const services::EffectiveSettings& s) {
  json::object out;
  out["unit"] = s.unit_code;
  out["source"] = s.source;
  out["working_hours"] = hours_json(s.settings);
  out["changed_by"] = s.record ? json::value(s.record->changed_by) : json::value(nullptr);
  out["changed_at"] =
      s.record ? json::value(cal::to_rfc3339(s.record->changed_at)) : json::value(nullptr);
  return out;
}

}  // namespace motcua::api
