#include "api/unit_json.hpp"

namespace motcua::api {

namespace {
boost::json::value or_null(const std::string& s) {
  if (s.empty()) return nullptr;
  return boost::json::string(s);
}
}  // namespace

boost::json::object unit_json(const units::UnitVersion& v) {
  boost::json::object o;
  o["code"] = v.code;
  o["level"] = units::level_name(v.level);
  o["name"] = v.name;
  o["full_name"] = v.full_name;
  o["name_en"] = or_null(v.name_en);
  o["full_name_en"] = or_null(v.full_name_en);
  o["unit_type"] = v.unit_type;
  o["province_code"] = or_null(v.province_code);
  o["district_code"] = or_null(v.district_code);
  o["valid_from"] = or_null(v.valid_from);
  o["valid_to"] = or_null(v.valid_to);
  return o;
}

boost::json::object predecessor_json(const units::Predecessor& p) {
  boost::json::object o;
  o["old_code"] = p.old_code;
  o["old_name"] = p.old_name;
  o["old_level"] = p.old_level;
  o["old_district_code"] = or_null(p.old_district_code);
  o["old_district_name"] = or_null(p.old_district_name);
  o["old_province_code"] = or_null(p.old_province_code);
  o["old_province_name"] = or_null(p.old_province_name);
  o["kind"] = p.kind;
  o["note"] = or_null(p.note);
  o["effective"] = or_null(p.effective);
  return o;
}

boost::json::object successor_json(const units::Succession& s) {
  boost::json::object o;
  o["new_code"] = s.new_commune_code;
  o["new_name"] = s.new_commune_name;
  o["new_province_code"] = s.new_province_code;
  o["new_province_name"] = s.new_province_name;
  o["kind"] = s.kind;
  o["note"] = or_null(s.note);
  o["effective"] = or_null(s.effective);
  return o;
}

boost::json::object candidate_json(const units::Candidate& c) {
  boost::json::object o;
  o["code"] = c.code;
  o["full_name"] = c.full_name;
  o["province_code"] = c.province_code;
  o["province_name"] = c.province_name;
  o["score"] = c.score;
  if (c.via) {
    boost::json::object via;
    via["old_commune_code"] = or_null(c.via->old_commune_code);
    via["old_district_code"] = or_null(c.via->old_district_code);
    via["kind"] = c.via->kind;
    o["via"] = std::move(via);
  } else {
    o["via"] = nullptr;
  }
  return o;
}

}  // namespace motcua::api
