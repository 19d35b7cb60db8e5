#include "services/catalog_json.hpp"

#include <boost/json/parse.hpp>
#include <cmath>
#include <initializer_list>
#include <utility>

#include "text/fold.hpp"

namespace motcua::services {
namespace {

namespace json = boost::json;
using catalog::Bundle;
using catalog::Channel;
using catalog::Component;
using catalog::Decentralisation;
using catalog::Procedure;
using catalog::VerifyFlag;

Error bad(const std::string& field, const std::string& vi, const std::string& en) {
  return make_error(ErrorKind::kBadRequest, "Trường '" + field + "' " + vi,
                    "Field '" + field + "' " + en, field);
}

std::string at(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

// Reads the members of one JSON object by name, with the path for errors.
class Reader {
 public:
  Reader(const json::object& o, std::string path) : o_(o), path_(std::move(path)) {}

  // Fails on a key that is neither known nor read-only.
  Result<void> only(std::initializer_list<std::string_view> known,
                    std::initializer_list<std::string_view> ignored = {}) const {
    for (const auto& kv : o_) {
      bool found = false;
      for (auto k : known) found = found || kv.key() == k;
      for (auto k : ignored) found = found || kv.key() == k;
      if (!found)
        return bad(at(path_, kv.key()), "không có trong mô hình thủ tục (viết sai tên trường?).",
                   "is not part of the procedure model (a misspelt field name?).");
    }
    return ok();
  }

  const json::value* get(std::string_view key) const {
    const auto* v = o_.if_contains(key);
    return v && !v->is_null() ? v : nullptr;
  }

  Result<void> text(std::string_view key, std::string& out, bool required = false) const {
    const auto* v = get(key);
    if (!v) {
      if (required) return bad(at(path_, key), "là bắt buộc.", "is required.");
      return ok();
    }
    if (!v->is_string()) return bad(at(path_, key), "phải là chuỗi.", "must be a string.");
    out = text::nfc(v->get_string());
    return ok();
  }

  template <class Int>
  Result<void> integer(std::string_view key, Int& out) const {
    const auto* v = get(key);
    if (!v) return ok();
    long long n = 0;
    if (v->is_int64())
      n = v->get_int64();
    else if (v->is_uint64() && v->get_uint64() <= 1'000'000'000'000'000ull)
      n = static_cast<long long>(v->get_uint64());
    else if (v->is_double() && std::abs(v->get_double()) < 1e18 &&
             v->get_double() == static_cast<double>(static_cast<long long>(v->get_double())))
      n = static_cast<long long>(v->get_double());
    else
      return bad(at(path_, key), "phải là số nguyên.", "must be a whole number.");
    // Range first: 4294967311 cast to a 32-bit field is 15, a plausible value.
    if (!std::in_range<Int>(n))
      return bad(at(path_, key), "là số quá lớn.", "is a number too large.");
    out = static_cast<Int>(n);
    return ok();
  }

  template <class Int>
  Result<void> optional_integer(std::string_view key, std::optional<Int>& out) const {
    if (!get(key)) {
      out.reset();
      return ok();
    }
    Int v{};
    if (auto r = integer(key, v); !r) return r;
    out = v;
    return ok();
  }

  Result<void> texts(std::string_view key, std::vector<std::string>& out) const {
    const auto* v = get(key);
    if (!v) return ok();
    if (!v->is_array())
      return bad(at(path_, key), "phải là mảng chuỗi.", "must be an array of strings.");
    const auto& a = v->get_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (!a[i].is_string())
        return bad(at(path_, key) + "[" + std::to_string(i) + "]", "phải là chuỗi.",
                   "must be a string.");
      out.push_back(text::nfc(a[i].get_string()));
    }
    return ok();
  }

  // Calls fn(Reader, index) for each object of an array member.
  template <class F>
  Result<void> objects(std::string_view key, F&& fn) const {
    const auto* v = get(key);
    if (!v) return ok();
    if (!v->is_array()) return bad(at(path_, key), "phải là mảng.", "must be an array.");
    const auto& a = v->get_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto p = at(path_, key) + "[" + std::to_string(i) + "]";
      if (!a[i].is_object()) return bad(p, "phải là đối tượng JSON.", "must be a JSON object.");
      if (auto r = fn(Reader(a[i].get_object(), p)); !r) return r;
    }
    return ok();
  }

  const std::string& path() const { return path_; }

 private:
  const json::object& o_;
  std::string path_;
};

#define MOTCUA_TRY(expr)                          \
  do {                                            \
    if (auto r_ = (expr); !r_) return r_.error(); \
  } while (0)

json::value or_null(const std::optional<std::int64_t>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::array strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

json::array verify_json(const std::vector<VerifyFlag>& flags) {
  json::array a;
  for (const auto& f : flags) a.push_back(json::object{{"field", f.field}, {"note", f.note}});
  return a;
}

Result<void> read_verify(const Reader& r, std::vector<VerifyFlag>& out) {
  return r.objects("verify", [&](const Reader& f) -> Result<void> {
    VerifyFlag flag;
    MOTCUA_TRY(f.only({"field", "note"}));
    MOTCUA_TRY(f.text("field", flag.field, true));
    MOTCUA_TRY(f.text("note", flag.note));
    out.push_back(std::move(flag));
    return ok();
  });
}

}  // namespace

json::object procedure_to_json(const Procedure& p) {
  json::object o;
  o["code"] = p.code;
  o["name"] = p.name;
  o["field"] = p.field;
  o["group"] = p.group;
  o["competent_level"] = p.competent_level;
  o["competent_agency"] = p.competent_agency;
  o["online_level"] = p.online_level;
  json::array channels;
  for (const auto& c : p.channels) {
    json::object j;
    j["channel"] = c.channel;
    j["time_amount"] = c.time_amount ? json::value(*c.time_amount) : json::value(nullptr);
    j["time_unit"] = c.time_unit.empty() ? json::value(nullptr) : json::value(c.time_unit);
    j["time_text"] = c.time_text;
    j["fee_vnd"] = or_null(c.fee_vnd);
    j["fee_text"] = c.fee_text;
    j["note"] = c.note;
    channels.push_back(std::move(j));
  }
  o["channels"] = std::move(channels);
  json::array components;
  for (const auto& c : p.components) {
    json::object j;
    j["name"] = c.name;
    j["copy_kind"] = c.copy_kind;
    j["presentation"] = c.presentation;
    j["quantity"] = c.quantity;
    j["requirement"] = c.requirement;
    j["condition"] = c.condition;
    j["form"] = c.form;
    j["quantity_text"] = c.quantity_text;
    j["channels"] = strings(c.channels);
    components.push_back(std::move(j));
  }
  o["components"] = std::move(components);
  o["component_notes"] = strings(p.component_notes);
  o["steps"] = strings(p.steps);
  o["legal_basis"] = strings(p.legal_basis);
  o["result"] = p.result;
  if (p.decentralisation) {
    const auto& d = *p.decentralisation;
    o["decentralisation"] = json::object{{"before_level", d.before_level},
                                         {"before_agency", d.before_agency},
                                         {"after_level", d.after_level},
                                         {"after_agency", d.after_agency},
                                         {"since", d.since},
                                         {"decree", d.decree},
                                         {"note", d.note}};
  } else {
    o["decentralisation"] = nullptr;
  }
  o["verify"] = verify_json(p.verify);
  o["source"] = p.source;
  json::object original;
  for (const auto& [k, v] : p.original) original[k] = v;
  o["original"] = std::move(original);
  return o;
}

Result<Procedure> procedure_from_json(const json::value& v) {
  if (!v.is_object()) return bad("procedure", "phải là đối tượng JSON.", "must be a JSON object.");
  Reader r(v.get_object(), "");
  Procedure p;
  MOTCUA_TRY(r.only({"code", "name", "field", "group", "competent_level", "competent_agency",
                     "online_level", "channels", "components", "component_notes", "steps",
                     "legal_basis", "result", "decentralisation", "verify", "source", "original"},
                    {"version", "retired", "created_at", "versions", "current_version"}));
  MOTCUA_TRY(r.text("code", p.code, true));
  MOTCUA_TRY(r.text("name", p.name, true));
  MOTCUA_TRY(r.text("field", p.field, true));
  MOTCUA_TRY(r.text("group", p.group));
  MOTCUA_TRY(r.text("competent_level", p.competent_level, true));
  MOTCUA_TRY(r.text("competent_agency", p.competent_agency));
  MOTCUA_TRY(r.text("online_level", p.online_level, true));
  MOTCUA_TRY(r.objects("channels", [&](const Reader& c) -> Result<void> {
    Channel ch;
    MOTCUA_TRY(c.only(
        {"channel", "time_amount", "time_unit", "time_text", "fee_vnd", "fee_text", "note"}));
    MOTCUA_TRY(c.text("channel", ch.channel, true));
    MOTCUA_TRY(c.optional_integer("time_amount", ch.time_amount));
    MOTCUA_TRY(c.text("time_unit", ch.time_unit));
    MOTCUA_TRY(c.text("time_text", ch.time_text));
    MOTCUA_TRY(c.optional_integer("fee_vnd", ch.fee_vnd));
    MOTCUA_TRY(c.text("fee_text", ch.fee_text));
    MOTCUA_TRY(c.text("note", ch.note));
    p.channels.push_back(std::move(ch));
    return ok();
  }));
  MOTCUA_TRY(r.objects("components", [&](const Reader& c) -> Result<void> {
    Component co;
    MOTCUA_TRY(c.only({"name", "copy_kind", "presentation", "quantity", "requirement", "condition",
                       "form", "quantity_text", "channels"}));
    MOTCUA_TRY(c.text("name", co.name, true));
    MOTCUA_TRY(c.text("copy_kind", co.copy_kind));
    MOTCUA_TRY(c.text("presentation", co.presentation));
    MOTCUA_TRY(c.integer("quantity", co.quantity));
    MOTCUA_TRY(c.text("requirement", co.requirement));
    MOTCUA_TRY(c.text("condition", co.condition));
    MOTCUA_TRY(c.text("form", co.form));
    MOTCUA_TRY(c.text("quantity_text", co.quantity_text));
    MOTCUA_TRY(c.texts("channels", co.channels));
    p.components.push_back(std::move(co));
    return ok();
  }));
  MOTCUA_TRY(r.texts("component_notes", p.component_notes));
  MOTCUA_TRY(r.texts("steps", p.steps));
  MOTCUA_TRY(r.texts("legal_basis", p.legal_basis));
  MOTCUA_TRY(r.text("result", p.result));
  if (const auto* d = r.get("decentralisation")) {
    if (!d->is_object())
      return bad("decentralisation", "phải là đối tượng JSON.", "must be a JSON object.");
    Reader dr(d->get_object(), "decentralisation");
    Decentralisation dec;
    MOTCUA_TRY(dr.only({"before_level", "before_agency", "after_level", "after_agency", "since",
                        "decree", "note"}));
    MOTCUA_TRY(dr.text("before_level", dec.before_level, true));
    MOTCUA_TRY(dr.text("before_agency", dec.before_agency));
    MOTCUA_TRY(dr.text("after_level", dec.after_level, true));
    MOTCUA_TRY(dr.text("after_agency", dec.after_agency));
    MOTCUA_TRY(dr.text("since", dec.since, true));
    MOTCUA_TRY(dr.text("decree", dec.decree));
    MOTCUA_TRY(dr.text("note", dec.note));
    p.decentralisation = std::move(dec);
  }
  MOTCUA_TRY(read_verify(r, p.verify));
  MOTCUA_TRY(r.text("source", p.source));
  if (const auto* o = r.get("original")) {
    if (!o->is_object())
      return bad("original", "phải là đối tượng JSON.", "must be a JSON object.");
    for (const auto& kv : o->get_object()) {
      if (!kv.value().is_string())
        return bad("original." + std::string(kv.key()), "phải là chuỗi.", "must be a string.");
      p.original[std::string(kv.key())] = text::nfc(kv.value().get_string());
    }
  }
  return p;
}

json::object bundle_to_json(const Bundle& b) {
  return json::object{{"code", b.code},
                      {"name", b.name},
                      {"description", b.description},
                      {"members", strings(b.members)},
                      {"legal_basis", strings(b.legal_basis)},
                      {"verify", verify_json(b.verify)}};
}

Result<Bundle> bundle_from_json(const json::value& v) {
  if (!v.is_object()) return bad("bundle", "phải là đối tượng JSON.", "must be a JSON object.");
  Reader r(v.get_object(), "");
  Bundle b;
  MOTCUA_TRY(
      r.only({"code", "name", "description", "members", "legal_basis", "verify"}, {"procedures"}));
  MOTCUA_TRY(r.text("code", b.code, true));
  MOTCUA_TRY(r.text("name", b.name, true));
  MOTCUA_TRY(r.text("description", b.description));
  MOTCUA_TRY(r.texts("members", b.members));
  MOTCUA_TRY(r.texts("legal_basis", b.legal_basis));
  MOTCUA_TRY(read_verify(r, b.verify));
  return b;
}

Result<json::value> parse_json(std::string_view text, const char* what) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec)
    return make_error(ErrorKind::kBadRequest,
                      std::string("Nội dung không phải JSON hợp lệ: ") + ec.message(),
                      std::string("The body is not valid JSON: ") + ec.message(), what);
  return v;
}

}  // namespace motcua::services
