#include "services/dossier_json.hpp"

#include "common/json_text.hpp"
#include "services/request_text.hpp"

namespace motcua::services {
namespace {

namespace json = boost::json;
using namespace motcua::dossier;

std::string time_text(Instant t) { return calendar::to_rfc3339(t); }

Error bad(const std::string& field, const std::string& vi, const std::string& en) {
  return make_error(ErrorKind::kBadRequest, "Trường '" + field + "' " + vi,
                    "Field '" + field + "' " + en, field);
}

}  // namespace

std::optional<std::string> time_or_null(const std::optional<Instant>& t) {
  if (!t) return std::nullopt;
  return time_text(*t);
}

std::string dossier_json_text(const Dossier& d) {
  JsonWriter w(2048);  // a dossier's body is 1-2 KB
  w.begin_object()
      .member("id", d.id)
      .member("code", d.code)
      .member("bundle_id", d.bundle_id)
      .member("procedure_code", d.procedure_code)
      .member("procedure_version", d.procedure_version)
      .member("receiving_unit", d.receiving_unit)
      .member("competent_unit", d.competent_unit)
      .member("province_wide", d.province_wide)
      .member("channel", channel_name(d.channel));
  const Applicant& a = d.applicant;
  w.key("applicant")
      .begin_object()
      .member("kind", applicant_kind_name(a.kind))
      .member("name", a.name)
      .member("id_number", a.id_number)
      .member("tax_code", a.tax_code)
      .member("phone", a.phone)
      .member("email", a.email)
      .member("address", a.address)
      .end_object();
  w.member("applicant_user_id", d.applicant_user_id);
  // Always JSON text: json::serialize's of the request, or the stored body's
  // own (dossier_json_read.cpp).
  w.key("form_data").raw(d.form_data_json.empty() ? "{}" : d.form_data_json);
  w.key("components").begin_array();
  for (const auto& c : d.components) {
    w.begin_object()
        .member("component_id", c.component_id)
        .member("form", provided_form_name(c.form))
        .member("file_ref", c.file_ref)
        .member("quantity", c.quantity)
        .end_object();
  }
  w.end_array().key("fees").begin_array();
  for (const auto& f : d.fees) {
    w.begin_object()
        .member("name", f.name)
        .member("amount_vnd", f.amount_vnd)
        .member("paid", f.paid)
        .member("paid_online", f.paid_online)
        .member("paid_at", time_or_null(f.paid_at))
        .member("receipt", f.receipt)
        .end_object();
  }
  w.end_array()
      .member("state", state_name(d.state))
      .member("resume_state", state_name(d.resume_state))
      .member("assignee", d.assignee)
      .member("created_at", time_or_null(d.created_at))
      .member("submitted_at", time_or_null(d.submitted_at))
      .member("received_at", time_or_null(d.received_at))
      .member("clock_start", time_or_null(d.clock_start))
      .member("due_at", time_or_null(d.due_at))
      .member("appointment", time_or_null(d.appointment()))
      .member("finished_at", time_or_null(d.finished_at))
      .member("returned_at", time_or_null(d.returned_at));
  w.key("supplements").begin_array();
  for (const auto& r : d.supplements) {
    w.begin_object()
        .member("requested_at", time_text(r.requested_at))
        .member("requested_by", r.requested_by);
    w.key("missing").begin_array();
    for (const auto& m : r.missing) w.str(m);
    w.end_array()
        .member("note", r.note)
        .member("after_receipt", r.after_receipt)
        .member("answered_at", time_or_null(r.answered_at))
        .end_object();
  }
  w.end_array().key("apologies").begin_array();
  for (const auto& x : d.apologies) {
    w.begin_object()
        .member("at", time_text(x.at))
        .member("by", x.by)
        .member("reason", x.reason)
        .member("previous_due", time_text(x.previous_due))
        .member("new_due", time_text(x.new_due))
        .member("letter_ref", x.letter_ref)
        .end_object();
  }
  w.end_array()
      .member("refusal_reason", d.refusal_reason)
      .member("withdrawal_reason", d.withdrawal_reason);
  w.key("result");
  if (d.result) {
    const auto& r = *d.result;
    w.begin_object()
        .member("number", r.number)
        .member("file_ref", r.file_ref)
        .member("form", result_form_name(r.form))
        .member("issued_at", time_text(r.issued_at))
        .key("delivery");
    if (r.delivery) {
      w.str(delivery_name(*r.delivery));
    } else {
      w.raw("null");
    }
    w.member("tracking_number", r.tracking_number)
        .member("delivered_at", time_or_null(r.delivered_at))
        .end_object();
  } else {
    w.raw("null");
  }
  w.member("digitised", d.digitised).key("rating");
  if (d.rating) {
    w.begin_object()
        .member("score", d.rating->score)
        .member("comment", d.rating->comment)
        .member("at", time_text(d.rating->at))
        .end_object();
  } else {
    w.raw("null");
  }
  return w.end_object().take();
}

Result<std::string> string_field(const json::object& o, std::string_view key,
                                 const std::string& where, bool required) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) {
    if (required) return bad(where, "là bắt buộc.", "is required.");
    return std::string();
  }
  if (!v->is_string()) return bad(where, "phải là chuỗi.", "must be a string.");
  if (v->get_string().size() > 10000) {
    return bad(where, "dài quá 10000 byte.", "is longer than 10000 bytes.");
  }
  return request_text(v->get_string(), where);
}

Result<std::vector<std::string>> string_list_field(const json::object& o, std::string_view key,
                                                   const std::string& where) {
  std::vector<std::string> out;
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return out;
  if (!v->is_array()) return bad(where, "phải là mảng chuỗi.", "must be an array of strings.");
  for (std::size_t i = 0; i < v->get_array().size(); ++i) {
    const auto& item = v->get_array()[i];
    const std::string at = where + "[" + std::to_string(i) + "]";
    if (!item.is_string()) return bad(at, "phải là chuỗi.", "must be a string.");
    auto kept = request_text(item.get_string(), at);
    if (!kept) return kept.error();
    out.push_back(std::move(*kept));
  }
  return out;
}

Result<Applicant> applicant_from_json(const json::value& v, const std::string& where) {
  if (!v.is_object()) return bad(where, "phải là đối tượng JSON.", "must be a JSON object.");
  const auto& o = v.get_object();
  Applicant a;
  auto kind = string_field(o, "kind", where + ".kind");
  if (!kind) return kind.error();
  if (!kind->empty()) {
    auto k = parse_applicant_kind(*kind);
    if (!k) {
      return bad(where + ".kind", "phải là person hoặc business.", "must be person or business.");
    }
    a.kind = *k;
  }
  std::pair<const char*, std::string*> fields[] = {
      {"name", &a.name},   {"id_number", &a.id_number}, {"tax_code", &a.tax_code},
      {"phone", &a.phone}, {"email", &a.email},         {"address", &a.address}};
  for (auto& [key, out] : fields) {
    auto r = string_field(o, key, where + "." + key);
    if (!r) return r.error();
    *out = std::move(*r);
  }
  return a;
}

Result<std::vector<ComponentProvided>> components_from_json(const json::object& o,
                                                            std::string_view key) {
  std::vector<ComponentProvided> out;
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return out;
  const std::string name(key);
  if (!v->is_array()) return bad(name, "phải là mảng.", "must be an array.");
  // A procedure asks for a few papers, each given in one or two forms; the
  // checks after this compare each with those before it.
  constexpr std::size_t kMostPapers = 500;
  if (v->get_array().size() > kMostPapers) {
    return bad(name, "có nhiều nhất " + std::to_string(kMostPapers) + " giấy tờ.",
               "holds at most " + std::to_string(kMostPapers) + " papers.");
  }
  for (std::size_t i = 0; i < v->get_array().size(); ++i) {
    const std::string where = name + "[" + std::to_string(i) + "]";
    const auto& item = v->get_array()[i];
    if (!item.is_object()) return bad(where, "phải là đối tượng JSON.", "must be a JSON object.");
    const auto& c = item.get_object();
    ComponentProvided p;
    auto id = string_field(c, "component_id", where + ".component_id", true);
    if (!id) return id.error();
    p.component_id = *id;
    auto form = string_field(c, "form", where + ".form");
    if (!form) return form.error();
    if (!form->empty()) {
      auto f = parse_provided_form(*form);
      if (!f) {
        return bad(where + ".form",
                   "phải là uploaded_file, electronic_original, paper_original hoặc paper_copy.",
                   "must be uploaded_file, electronic_original, paper_original or paper_copy.");
      }
      p.form = *f;
    }
    auto file = string_field(c, "file_ref", where + ".file_ref");
    if (!file) return file.error();
    p.file_ref = *file;
    if (const auto* q = c.if_contains("quantity"); q && !q->is_null()) {
      if (!q->is_int64() || q->get_int64() < 1 || q->get_int64() > 1000) {
        return bad(where + ".quantity", "phải là số nguyên từ 1 đến 1000.",
                   "must be a whole number from 1 to 1000.");
      }
      p.quantity = static_cast<int>(q->get_int64());
    }
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace motcua::services
