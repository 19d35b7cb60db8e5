#include "api/dossiers_api.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <chrono>
#include <cmath>
#include <optional>

#include "api/access_guard.hpp"
#include "api/params.hpp"
#include "api/response_cache.hpp"
#include "common/json_text.hpp"
#include "http/error_table.hpp"
#include "services/dossier_json.hpp"
#include "services/password_hash.hpp"
#include "services/request_text.hpp"

namespace motcua::api {
namespace {

namespace json = boost::json;
using services::DossierService;
using services::DossierView;

constexpr std::size_t kMaxKeyBytes = 200;

json::value time_value(const std::optional<calendar::Instant>& t) {
  if (!t) return nullptr;
  return json::value(calendar::to_rfc3339(*t));
}

// The dossier as the API shows it: its body's text (dossier_json_text, the
// row's own when the service has it), then the members of this view. `more`:
// further members for a listing, without braces ("\"due_soon\":true").
std::string view_text(const DossierView& v, std::string_view more = {}) {
  // Written straight as text: every answer to a submission or an action
  // builds one, and a tree of values first cost more than the writing.
  JsonWriter w(256);
  w.begin_object()
      .member("version", v.version)
      .member("procedure_name", v.procedure_name)
      .member("receiving_unit_name", v.receiving_unit_name)
      .member("competent_unit_name", v.competent_unit_name);
  w.key("allowed_actions").begin_array();
  for (const auto& a : v.allowed_actions) w.str(a);
  w.end_array().key("time");
  if (v.time) {
    const auto& t = *v.time;
    w.begin_object()
        .member("status", std::string_view(dossier::time_status_name(t.status)))
        .member("effective_due", services::time_or_null(t.effective_due))
        .member("effective_appointment", services::time_or_null(t.effective_appointment))
        .member("waiting_for_applicant", t.waiting_for_applicant)
        .member("due_soon", t.due_soon)
        .member("overdue", t.status == dossier::TimeStatus::kOverdue)
        .member("supplement_requests", t.supplement_requests)
        .end_object();
  } else {
    w.raw("null");
  }
  const std::string members = w.end_object().take();
  std::string out = v.body.empty() ? services::dossier_json_text(v.dossier) : v.body;
  // Both are JSON objects: "{...}" + "{...}" becomes "{...,...}".
  out.back() = ',';
  out.append(members, 1, members.size() - 2);
  if (!more.empty()) {
    out += ',';
    out += more;
  }
  out += '}';
  return out;
}

std::string etag(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

http::Response dossier_response(int status, const DossierView& v) {
  auto r = http::json_response(status, view_text(v));
  r.headers.emplace_back("ETag", etag(v.version));
  return r;
}

// If-Match: "3", W/"3" (a proxy compressing the answer may weaken the ETag)
// or 3; required on every action: 428 without it, 400 for one unreadable.
Result<std::int64_t> if_match(const http::Request& req) {
  auto h = req.header("if-match");
  Error missing = make_error(
      ErrorKind::kBadRequest,
      "Cần tiêu đề If-Match mang ETag của phiên bản hồ sơ đã đọc, ví dụ \"3\".",
      "The If-Match header must carry the ETag of the dossier version you read, for example \"3\".",
      "If-Match");
  if (!h) {
    missing.kind = ErrorKind::kPreconditionRequired;
    return missing;
  }
  std::string_view s = *h;
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.starts_with("W/")) s.remove_prefix(2);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  std::int64_t out = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || out < 1) return missing;
  return out;
}

// `v` written compactly with every object's members in key order: the same
// JSON however a client lays it out or orders its members, for the
// Idempotency-Key's fingerprint.
void canonical_append(const json::value& v, std::string& out) {
  if (!v.is_object()) {
    if (!v.is_array()) {
      out += json::serialize(v);
      return;
    }
    out += '[';
    bool first = true;
    for (const auto& x : v.get_array()) {
      if (!first) out += ',';
      first = false;
      canonical_append(x, out);
    }
    out += ']';
    return;
  }
  std::vector<const json::key_value_pair*> members;
  for (const auto& kv : v.get_object()) members.push_back(&kv);
  std::sort(members.begin(), members.end(),
            [](const auto* a, const auto* b) { return a->key() < b->key(); });
  out += '{';
  bool first = true;
  for (const auto* kv : members) {
    if (!first) out += ',';
    first = false;
    out += json::serialize(json::value(kv->key()));
    out += ':';
    canonical_append(kv->value(), out);
  }
  out += '}';
}

std::string canonical_text(const json::object& o) {
  std::string out;
  canonical_append(json::value(o), out);
  return out;
}

// The path below `v` of its first number past a double's range (1e400 is
// read as infinity), built only when there is one; nullopt when none.
std::optional<std::string> first_non_finite(const json::value& v) {
  if (v.is_double()) {
    if (std::isfinite(v.get_double())) return std::nullopt;
    return std::string();
  }
  if (v.is_array()) {
    const auto& a = v.get_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (auto at = first_non_finite(a[i])) return "[" + std::to_string(i) + "]" + *at;
    }
  } else if (v.is_object()) {
    for (const auto& kv : v.get_object()) {
      if (auto at = first_non_finite(kv.value())) return "." + std::string(kv.key()) + *at;
    }
  }
  return std::nullopt;
}

// form_data is kept as the request's own JSON, read by no field reader: its
// keys and strings get the text rule of every other field here, and an
// infinite number is refused, since json::serialize writes it as Infinity,
// which no JSON reader (the stored body's included) takes.
Result<std::string> form_data_text(const json::value& f) {
  if (auto r = services::plain_texts(f, "form_data"); !r) return r.error();
  if (auto below = first_non_finite(f)) {
    const std::string at = "form_data" + *below;
    return make_error(ErrorKind::kBadRequest,
                      "Trường '" + at +
                          "' là số vượt quá giới hạn của JSON (khoảng ±1,8e308): hãy gửi một số "
                          "nhỏ hơn, hoặc gửi dưới dạng chuỗi.",
                      "Field '" + at +
                          "' is a number beyond JSON's range (about ±1.8e308): send a smaller "
                          "number, or send it as a string.",
                      at);
  }
  return json::serialize(f);
}

// A submission's fields from the body's object (and the Idempotency-Key).
Result<services::SubmitRequest> submit_request(const json::object& o, const http::Request& req) {
  services::SubmitRequest s;
  for (auto [key, out] : {std::pair{"procedure_code", &s.procedure_code},
                          std::pair{"competent_unit", &s.competent_unit},
                          std::pair{"receiving_unit", &s.receiving_unit}}) {
    auto f = services::string_field(o, key, key);
    if (!f) return f.error();
    *out = std::move(*f);
  }
  if (const auto* pv = o.if_contains("procedure_version"); pv && !pv->is_null()) {
    // A number, or its digits as text: a dossier shows "procedure_version":"1",
    // and a client sends back what it read.
    std::int64_t n = 0;
    bool ok = false;
    if (pv->is_int64()) {
      n = pv->get_int64();
      ok = true;
    } else if (pv->is_string()) {
      const json::string& t = pv->get_string();
      const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
      ok = !t.empty() && ec == std::errc() && end == t.data() + t.size();  // "-1": n < 1
    }
    if (!ok || n < 1 || n > 1'000'000) {
      return bad_param("procedure_version",
                       "Trường 'procedure_version' phải là số nguyên dương (số hoặc chuỗi chữ "
                       "số, ví dụ 1 hoặc \"1\").",
                       "Field 'procedure_version' must be a positive whole number (a number or a "
                       "string of digits, for example 1 or \"1\").");
    }
    s.procedure_version = static_cast<int>(n);
  }
  auto channel = services::string_field(o, "channel", "channel");
  if (!channel) return channel.error();
  if (!channel->empty()) {
    s.channel = dossier::parse_channel(*channel);
    if (!s.channel) {
      return bad_param(
          "channel",
          "Trường 'channel' phải là online (công dân tự nộp), counter hoặc post (tại "
          "bộ phận một cửa).",
          "Field 'channel' must be online (a citizen's own filing), counter or post (at "
          "a desk).");
    }
  }
  const auto* applicant = o.if_contains("applicant");
  if (!applicant || applicant->is_null()) {
    return bad_param("applicant", "Trường 'applicant' là bắt buộc.",
                     "Field 'applicant' is required.");
  }
  auto a = services::applicant_from_json(*applicant, "applicant");
  if (!a) return a.error();
  s.applicant = std::move(*a);
  if (const auto* f = o.if_contains("form_data"); f && !f->is_null()) {
    if (!f->is_object()) {
      return bad_param("form_data", "Trường 'form_data' phải là đối tượng JSON.",
                       "Field 'form_data' must be a JSON object.");
    }
    auto text = form_data_text(*f);
    if (!text) return text.error();
    s.form_data_json = std::move(*text);
  }
  auto components = services::components_from_json(o, "components");
  if (!components) return components.error();
  s.components = std::move(*components);
  if (auto key = req.header("idempotency-key")) {
    // Visible ASCII, as a structured-field string is: other bytes were kept
    // as they came, and PostgreSQL refused those that are not UTF-8 (a 500).
    const bool ascii = std::all_of(key->begin(), key->end(), [](char c) {
      return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7F;
    });
    if (key->empty() || key->size() > kMaxKeyBytes || !ascii) {
      return make_error(ErrorKind::kBadRequest,
                        "Idempotency-Key phải có từ 1 đến 200 ký tự ASCII in được (chữ không "
                        "dấu, số, dấu câu), ví dụ một UUID.",
                        "Idempotency-Key must be 1 to 200 printable ASCII characters (letters, "
                        "digits, punctuation), for example a UUID.",
                        "Idempotency-Key");
    }
    s.idempotency_key = std::string(*key);
    s.request_hash = services::token_hash(canonical_text(o));
    s.raw_hash = services::token_hash(req.body);
  }
  return s;
}

Result<services::SubmitRequest> submit_request(const http::Request& req) {
  auto o = body_object(req);
  if (!o) return o.error();
  return submit_request(*o, req);
}

// A bundle's body: a submission without procedure_code, whose `components`
// is an object of arrays keyed by the member procedures' codes.
Result<services::BundleRequest> bundle_request(const http::Request& req) {
  auto o = body_object(req);
  if (!o) return o.error();
  services::BundleRequest b;
  b.bundle_code = std::string(req.param("code"));
  // Its components are taken out below: the key's fingerprint is of the whole body.
  const std::string whole = req.header("idempotency-key") ? canonical_text(*o) : std::string();
  json::object per_member;
  if (const auto* c = o->if_contains("components"); c && !c->is_null()) {
    if (!c->is_object()) {
      return bad_param(
          "components", "Trường 'components' phải là đối tượng theo mã thủ tục của nhóm.",
          "Field 'components' must be an object keyed by the bundle's procedure codes.");
    }
    per_member = c->get_object();
    o->erase("components");
  }
  auto base = submit_request(*o, req);
  if (!base) return base.error();
  b.base = std::move(*base);
  if (!b.base.idempotency_key.empty()) b.base.request_hash = services::token_hash(whole);
  for (const auto& [code, list] : per_member) {
    const std::string key = "components." + std::string(code);
    auto parsed = services::components_from_json(json::object{{key, list}}, key);
    if (!parsed) return parsed.error();
    b.components[std::string(code)] = std::move(*parsed);
  }
  return b;
}

// Staff looking at a dossier is a view of personal data; the applicant
// looking at their own is not.
Result<void> log_view(services::PersonalDataLog& log, const access::Principal& who,
                      const DossierView& v, const services::ViewContext& where,
                      const char* action) {
  if (v.dossier.applicant_user_id == std::to_string(who.user_id)) return ok();
  return log.record(who, "dossier", v.dossier.id, action, where);
}

Result<void> log_view(services::PersonalDataLog& log, const access::Principal& who,
                      const DossierView& v, const http::Request& req, const char* pattern,
                      const char* action) {
  return log_view(log, who, v, {req.method + " " + pattern, req.request_id, req.remote}, action);
}

json::object event_json(const dossier::Event& e) {
  json::object payload;
  boost::system::error_code ec;
  json::value p = json::parse(e.payload_json, ec);
  return {
      {"seq", e.seq},
      {"at", calendar::to_rfc3339(e.at)},
      {"actor",
       json::object{{"user_id", e.actor_user_id}, {"role", e.actor_role}, {"unit", e.actor_unit}}},
      {"action", e.action},
      {"from", e.from_state},
      {"to", e.to_state},
      {"note", e.note},
      {"payload", ec ? json::value(json::object()) : p},
      {"prev_hash", e.prev_hash},
      {"hash", e.hash}};
}

std::string public_status_body(const services::PublicStatus& s) {
  json::object o{{"code", s.code},
                 {"state", s.state},
                 {"procedure_code", s.procedure_code},
                 {"procedure_name", s.procedure_name},
                 {"receiving_unit", s.receiving_unit},
                 {"competent_unit", s.competent_unit},
                 {"receiving_unit_name", s.receiving_unit_name},
                 {"competent_unit_name", s.competent_unit_name},
                 {"received_at", time_value(s.received_at)},
                 {"due_at", time_value(s.due_at)},
                 {"appointment", time_value(s.appointment)},
                 {"finished_at", time_value(s.finished_at)},
                 {"returned_at", time_value(s.returned_at)}};
  return json::serialize(o);
}

}  // namespace

void add_dossier_routes(http::Router& router, services::DossierService& dossiers,
                        services::PersonalDataLog& views) {
  auto* svc = &dossiers;
  auto* log = &views;

  // The writes answer once their group commit is durable (deferred routes).
  router.add_deferred(
      "POST", "/api/v1/dossiers", "dossier.submit",
      [svc, log](const http::Request& req, http::Reply reply) {
        auto in = submit_request(req);
        if (!in) return reply(http::problem(in.error(), req.path));
        const auto& who = session_of(req)->principal;
        svc->submit(who, *in,
                    [reply, path = req.path, log, who,
                     where =
                         services::ViewContext{"POST /api/v1/dossiers", req.request_id,
                                               req.remote}](Result<services::SubmitOutcome> out) {
                      if (!out) return reply(http::problem(out.error(), path));
                      // A replay shows the dossier as it is now: a read like any other.
                      if (!out->created) {
                        if (auto r = log_view(*log, who, out->view, where, "read"); !r)
                          return reply(http::problem(r.error(), path));
                      }
                      auto r = dossier_response(out->created ? 201 : 200, out->view);
                      const auto& d = out->view.dossier;
                      r.headers.emplace_back(
                          "Location", "/api/v1/dossiers/" + (d.code.empty() ? d.id : d.code));
                      if (!out->created) r.headers.emplace_back("Idempotent-Replayed", "true");
                      reply(std::move(r));
                    });
      });

  router.add("GET", "/api/v1/dossiers/{code}", "dossier.read",
             [svc, log](const http::Request& req) {
               const auto& who = session_of(req)->principal;
               auto v = svc->get(who, std::string(req.param("code")));
               if (!v) return http::problem(v.error(), req.path);
               if (auto r = log_view(*log, who, *v, req, "/api/v1/dossiers/{code}", "read"); !r) {
                 return http::problem(r.error(), req.path);
               }
               return dossier_response(200, *v);
             });

  router.add_deferred(
      "POST", "/api/v1/bundles/{code}/dossiers", "dossier.submit",
      [svc, log](const http::Request& req, http::Reply reply) {
        auto in = bundle_request(req);
        if (!in) return reply(http::problem(in.error(), req.path));
        const auto& who = session_of(req)->principal;
        svc->submit_bundle(
            who, *in,
            [reply, path = req.path, log, who,
             where = services::ViewContext{"POST /api/v1/bundles/{code}/dossiers", req.request_id,
                                           req.remote}](Result<services::BundleOutcome> out) {
              if (!out) return reply(http::problem(out.error(), path));
              for (const auto& v : out->dossiers) {
                if (out->created) break;
                if (auto r = log_view(*log, who, v, where, "read"); !r)
                  return reply(http::problem(r.error(), path));
              }
              std::string text = "{\"bundle_id\":" + json::serialize(json::value(out->bundle_id)) +
                                 ",\"dossiers\":[";
              for (std::size_t i = 0; i < out->dossiers.size(); ++i) {
                if (i > 0) text += ',';
                text += view_text(out->dossiers[i]);
              }
              text += "]}";
              auto r = http::json_response(out->created ? 201 : 200, std::move(text));
              if (!out->created) r.headers.emplace_back("Idempotent-Replayed", "true");
              reply(std::move(r));
            });
      });

  router.add_deferred(
      "POST", "/api/v1/dossiers/{code}/actions/{action}", "dossier.read",
      [svc](const http::Request& req, http::Reply reply) {
        auto action = dossier::parse_action(req.param("action"));
        if (!action) {
          return reply(http::problem(
              bad_param("action", "Không có thao tác \"" + std::string(req.param("action")) + "\".",
                        "There is no action \"" + std::string(req.param("action")) + "\"."),
              req.path));
        }
        auto version = if_match(req);
        if (!version) return reply(http::problem(version.error(), req.path));
        if (auto r = json_content_type(req); !r) return reply(http::problem(r.error(), req.path));
        svc->act(session_of(req)->principal, std::string(req.param("code")), *action, req.body,
                 *version, [reply, path = req.path](Result<services::DossierView> v) {
                   if (!v) return reply(http::problem(v.error(), path));
                   reply(dossier_response(200, *v));
                 });
      });

  router.add(
      "GET", "/api/v1/dossiers/{code}/events", "dossier.read",
      [svc, log](const http::Request& req) {
        const auto& who = session_of(req)->principal;
        const std::string ref(req.param("code"));
        auto v = svc->get(who, ref);
        if (!v) return http::problem(v.error(), req.path);
        auto events = svc->events(who, ref);
        if (!events) return http::problem(events.error(), req.path);
        if (auto r = log_view(*log, who, *v, req, "/api/v1/dossiers/{code}/events", "read"); !r) {
          return http::problem(r.error(), req.path);
        }
        json::array items;
        for (const auto& e : *events) items.push_back(event_json(e));
        json::object o{
            {"dossier_id", v->dossier.id}, {"code", v->dossier.code}, {"items", std::move(items)}};
        return http::json_response(200, json::serialize(o));
      });

  router.add("GET", "/api/v1/inbox", "dossier.read", [svc, log](const http::Request& req) {
    services::InboxFilter f;
    for (auto [name, out] :
         {std::pair{"state", &f.state}, std::pair{"procedure", &f.procedure_code},
          std::pair{"channel", &f.channel}, std::pair{"cursor", &f.cursor}}) {
      auto v = text_param(req, name, 200, false);
      if (!v) return http::problem(v.error(), req.path);
      *out = std::move(*v);
    }
    if (!f.state.empty() && !dossier::parse_state(f.state)) {
      return http::problem(bad_param("state", "Trạng thái \"" + f.state + "\" không tồn tại.",
                                     "There is no state \"" + f.state + "\"."),
                           req.path);
    }
    if (!f.channel.empty() && !dossier::parse_channel(f.channel)) {
      return http::problem(bad_param("channel", "Kênh \"" + f.channel + "\" không tồn tại.",
                                     "There is no channel \"" + f.channel + "\"."),
                           req.path);
    }
    auto limit = size_param(req, "limit", 50, 1, 200);
    if (!limit) return http::problem(limit.error(), req.path);
    f.limit = *limit;
    const auto& who = session_of(req)->principal;
    auto page = svc->inbox(who, f);
    if (!page) return http::problem(page.error(), req.path);
    // The page shows each applicant: every dossier on it is a view, logged in
    // one write before it is sent (one's own dossiers are not).
    std::vector<std::string> shown;
    for (const auto& v : page->items)
      if (v.dossier.applicant_user_id != std::to_string(who.user_id)) shown.push_back(v.dossier.id);
    if (auto r = log->record_all(who, "dossier", shown, "list",
                                 {req.method + " /api/v1/inbox", req.request_id, req.remote});
        !r) {
      return http::problem(r.error(), req.path);
    }
    std::string text = "{\"items\":[";
    for (std::size_t i = 0; i < page->items.size(); ++i) {
      const auto& v = page->items[i];
      if (i > 0) text += ',';
      const bool due_soon = v.time && v.time->due_soon;
      const bool overdue = v.time && v.time->status == dossier::TimeStatus::kOverdue;
      text += view_text(v, std::string("\"due_soon\":") + (due_soon ? "true" : "false") +
                               ",\"overdue\":" + (overdue ? "true" : "false"));
    }
    text += "],\"next_cursor\":";
    text += page->next_cursor.empty() ? "null" : json::serialize(json::value(page->next_cursor));
    text += '}';
    return http::json_response(200, std::move(text));
  });

  // Public status: cached for a second at most, and dropped at once when an
  // action of this process changes the dossier.
  auto cache = std::make_shared<ResponseCache>(100000);
  dossiers.on_change([cache](const std::string& code) { cache->erase(code); });
  router.add(
      "GET", "/api/v1/public/dossiers/{code}", "public", [svc, cache](const http::Request& req) {
        // A code is upper case: typed in lower case on a phone, it is the same code.
        std::string code(req.param("code"));
        std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) {
          return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : static_cast<char>(c);
        });
        if (auto hit = cache->find(code, std::chrono::seconds(1))) {
          return http::json_response(200, *hit);
        }
        auto s = svc->public_status(code);
        if (!s) return http::problem(s.error(), req.path);  // misses are not cached
        return http::json_response(200, *cache->put(code, public_status_body(*s)));
      });
}

}  // namespace motcua::api
