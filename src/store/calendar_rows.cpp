#include "store/calendar_rows.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace motcua::store {
namespace {

namespace json = boost::json;

json::array named_dates(const std::vector<calendar::NamedDate>& list) {
  json::array out;
  for (const auto& d : list) {
    out.push_back(json::object{
        {"date", calendar::to_string(d.date)}, {"name_vi", d.name_vi}, {"name_en", d.name_en}});
  }
  return out;
}

Error corrupt(int year, const std::string& what) {
  return make_error(
      ErrorKind::kInternal,
      "Bảng ngày nghỉ năm " + std::to_string(year) + " trong cơ sở dữ liệu bị hỏng: " + what,
      "The stored holiday table of " + std::to_string(year) + " is corrupt: " + what);
}

Result<calendar::CivilDate> date_of(int year, const json::value* v) {
  if (v == nullptr || !v->is_string()) return corrupt(year, "date is not text");
  auto d = calendar::parse_civil_date(std::string_view(v->get_string()));
  if (!d) return corrupt(year, "bad date");
  return *d;
}

Result<std::vector<calendar::NamedDate>> named_dates_of(int year, const json::object& o,
                                                        const char* key) {
  std::vector<calendar::NamedDate> out;
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return out;
  if (!v->is_array()) return corrupt(year, std::string(key) + " is not a list");
  for (const json::value& item : v->get_array()) {
    if (!item.is_object()) return corrupt(year, std::string(key) + " holds a non-object");
    const json::object& e = item.get_object();
    auto date = date_of(year, e.if_contains("date"));
    if (!date) return date.error();
    calendar::NamedDate nd{*date, "", ""};
    if (const auto* s = e.if_contains("name_vi"); s && s->is_string()) nd.name_vi = s->get_string();
    if (const auto* s = e.if_contains("name_en"); s && s->is_string()) nd.name_en = s->get_string();
    out.push_back(std::move(nd));
  }
  return out;
}

}  // namespace

std::string overrides_document(const calendar::YearOverrides& o) {
  json::object doc;
  if (o.tet_days) {
    json::array days;
    for (const auto& d : *o.tet_days) days.push_back(json::value(calendar::to_string(d)));
    doc["tet_days"] = std::move(days);
  } else {
    doc["tet_days"] = nullptr;
  }
  doc["national_day_adjacent"] = o.national_day_adjacent
                                     ? json::value(calendar::to_string(*o.national_day_adjacent))
                                     : json::value(nullptr);
  doc["days_off"] = named_dates(o.days_off);
  doc["working_days"] = named_dates(o.working_days);
  return json::serialize(doc);
}

Result<calendar::YearOverrides> overrides_from_document(int year, std::string_view document) {
  boost::system::error_code ec;
  json::value v = json::parse(document, ec);
  if (ec || !v.is_object()) return corrupt(year, "not a JSON object");
  const json::object& doc = v.get_object();
  calendar::YearOverrides o;
  o.year = year;
  if (const auto* t = doc.if_contains("tet_days"); t && !t->is_null()) {
    if (!t->is_array()) return corrupt(year, "tet_days is not a list");
    std::vector<calendar::CivilDate> days;
    for (const json::value& d : t->get_array()) {
      auto date = date_of(year, &d);
      if (!date) return date.error();
      days.push_back(*date);
    }
    o.tet_days = std::move(days);
  }
  if (const auto* n = doc.if_contains("national_day_adjacent"); n && !n->is_null()) {
    auto date = date_of(year, n);
    if (!date) return date.error();
    o.national_day_adjacent = *date;
  }
  auto off = named_dates_of(year, doc, "days_off");
  if (!off) return off.error();
  o.days_off = std::move(*off);
  auto work = named_dates_of(year, doc, "working_days");
  if (!work) return work.error();
  o.working_days = std::move(*work);
  return o;
}

}  // namespace motcua::store
