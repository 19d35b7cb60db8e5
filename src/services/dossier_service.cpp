#include "services/dossier_service.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>

#include "common/dates.hpp"
#include "domain/dossier/dossier_code.hpp"
#include "domain/dossier/identity.hpp"
#include "services/dossier_figures.hpp"
#include "services/dossier_json.hpp"
#include "services/password_hash.hpp"

namespace motcua::services {
namespace {

namespace json = boost::json;
using dossier::Action;
using dossier::Dossier;
using dossier::State;

Error not_found(const std::string& ref) {
  return make_error(ErrorKind::kNotFound, "Không tìm thấy hồ sơ \"" + ref + "\".",
                    "There is no dossier \"" + ref + "\" that you may see.", "code");
}

Error unprocessable(const std::string& param, std::string vi, std::string en) {
  return make_error(ErrorKind::kUnprocessable, std::move(vi), std::move(en), param);
}

Error bad(const std::string& field, const std::string& vi, const std::string& en) {
  return make_error(ErrorKind::kBadRequest, "Trường '" + field + "' " + vi,
                    "Field '" + field + "' " + en, field);
}

// Random bytes from the kernel, taken 512 at a time per thread: a system
// call per id was a sixth of a submission's system calls.
void random_bytes(unsigned char* out, std::size_t n) {
  thread_local std::array<unsigned char, 512> pool;
  thread_local std::size_t used = pool.size();
  if (used + n > pool.size()) {
    randombytes_buf(pool.data(), pool.size());
    used = 0;
  }
  std::memcpy(out, pool.data() + used, n);
  used += n;
}

// "HS" + the time in milliseconds (12 hex digits) + 8 random hex digits:
// unique, and rising, so new rows and their events land at the end of the
// indexes instead of on random pages.
std::string new_id() {
  static constexpr char kHex[] = "0123456789abcdef";
  const auto ms =
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count());
  std::string out = "HS";
  for (int shift = 44; shift >= 0; shift -= 4) out += kHex[(ms >> shift) & 15];
  unsigned char bytes[4];
  random_bytes(bytes, sizeof bytes);
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

std::optional<dossier::Role> dossier_role(access::Role r) {
  return dossier::parse_role(access::role_name(r));
}

std::vector<dossier::Role> roles_of(const access::Principal& who) {
  std::vector<dossier::Role> out;
  for (int i = 0; i < access::kRoleCount; ++i) {
    const auto r = static_cast<access::Role>(i);
    if (!who.has(r)) continue;
    if (auto d = dossier_role(r)) out.push_back(*d);
  }
  return out;
}

}  // namespace

store::DossierRecord record_of(const Dossier& d, calendar::Instant now) {
  store::DossierRecord r;
  r.id = d.id;
  r.code = d.code;
  r.procedure_code = d.procedure_code;
  r.procedure_version = d.procedure_version;
  r.receiving_unit = d.receiving_unit;
  r.competent_unit = d.competent_unit;
  r.channel = dossier::channel_name(d.channel);
  r.state = dossier::state_name(d.state);
  r.applicant_user_id = d.applicant_user_id;
  r.assignee = d.assignee;
  r.updated_at = now.epoch_seconds;
  r.body = dossier_json_text(d);
  return r;
}

std::vector<dossier::RequiredComponent> required_components(const catalog::Procedure& p,
                                                            std::string_view channel) {
  std::vector<dossier::RequiredComponent> out;
  for (std::size_t i = 0; i < p.components.size(); ++i) {
    const auto& c = p.components[i];
    // Asked for on other channels only: required here only if the desk
    // says it applies, as a conditional paper is; given anyway, it is taken.
    const bool elsewhere = !channel.empty() && !c.channels.empty() &&
                           std::ranges::find(c.channels, channel) == c.channels.end();
    dossier::RequiredComponent r;
    r.id = "c" + std::to_string(i + 1);
    r.name = c.name;
    r.requirement = c.requirement == "conditional" || elsewhere ? dossier::Requirement::kConditional
                                                                : dossier::Requirement::kMandatory;
    r.form = (c.copy_kind == "original" || c.copy_kind == "original_and_copy")
                 ? dossier::RequiredForm::kOriginal
                 : dossier::RequiredForm::kCopy;
    r.quantity = c.quantity > 0 ? c.quantity : 1;
    out.push_back(std::move(r));
  }
  return out;
}

namespace {

// Each paper names one of the procedure's components, and an upload names its file.
Result<void> check_components(const catalog::Procedure& p,
                              const std::vector<dossier::ComponentProvided>& given,
                              const std::string& key) {
  for (std::size_t i = 0; i < given.size(); ++i) {
    const std::string& id = given[i].component_id;
    // "c1" to "cN" exactly: "c01" or "c1x" would be the same paper under
    // another name, past the check for repeats below.
    std::size_t n = 0;
    const char* const end = id.data() + id.size();
    const auto [stop, ec] = std::from_chars(id.data() + 1, end, n);
    const bool numeric =
        id.size() > 1 && id[0] == 'c' && id[1] != '0' && ec == std::errc() && stop == end;
    if (!numeric || n < 1 || n > p.components.size()) {
      return unprocessable(key + "[" + std::to_string(i) + "].component_id",
                           "Thủ tục " + p.code + " không có thành phần hồ sơ \"" + id +
                               "\" (có c1 đến c" + std::to_string(p.components.size()) + ").",
                           "Procedure " + p.code + " has no component \"" + id +
                               "\" (it has c1 to c" + std::to_string(p.components.size()) + ").");
    }
    if (given[i].form == dossier::ProvidedForm::kUploadedFile && given[i].file_ref.empty()) {
      return bad(key + "[" + std::to_string(i) + "].file_ref",
                 "là bắt buộc với giấy tờ nộp dạng tệp: mã SHA-256 của tệp đã tải lên.",
                 "is required for a paper given as an uploaded file: the SHA-256 of the upload.");
    }
    // The same paper listed again would be printed again on the receipt, as
    // often as it was sent (thousands of lines): its quantity says how many.
    for (std::size_t j = 0; j < i; ++j) {
      if (given[j].component_id == id && given[j].form == given[i].form &&
          given[j].file_ref == given[i].file_ref) {
        return bad(key + "[" + std::to_string(i) + "]",
                   "trùng với " + key + "[" + std::to_string(j) +
                       "] (cùng thành phần, hình thức và tệp); nhiều bản thì ghi số lượng "
                       "(quantity).",
                   "repeats " + key + "[" + std::to_string(j) +
                       "] (the same component, form and file); for several copies, give the "
                       "quantity.");
      }
    }
  }
  return ok();
}

Result<json::object> parse_body(const std::string& body) {
  if (body.find_first_not_of(" \t\r\n") == std::string::npos) return json::object();
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) {
    return make_error(ErrorKind::kBadRequest, "Nội dung phải là một đối tượng JSON hợp lệ.",
                      "The body must be a valid JSON object.", "body");
  }
  return std::move(v.get_object());
}

Result<std::optional<calendar::Instant>> time_field(const json::object& o, const char* key) {
  auto text = string_field(o, key, key);
  if (!text) return text.error();
  if (text->empty()) return std::optional<calendar::Instant>();
  auto t = calendar::parse_rfc3339(*text);
  if (!t) {
    return bad(key, "phải là thời điểm RFC 3339 (2025-07-01T08:30:00+07:00).",
               "must be an RFC 3339 time (2025-07-01T08:30:00+07:00).");
  }
  return std::optional<calendar::Instant>(*t);
}

}  // namespace

std::optional<dossier::Actor> actor_for(const access::Principal& who, Action action, State state) {
  const auto roles = roles_of(who);
  if (roles.empty()) return std::nullopt;
  dossier::Role chosen = roles.front();
  bool found = false;
  for (const dossier::Role r : roles) {
    for (const auto& rule : dossier::rules()) {
      if (rule.action == action && (rule.from & (1u << static_cast<unsigned>(state))) &&
          (rule.roles & (1u << static_cast<unsigned>(r)))) {
        chosen = r;
        found = true;
        break;
      }
    }
    if (found) break;
  }
  // A citizen has no unit; staff act for theirs.
  return dossier::Actor{std::to_string(who.user_id), chosen,
                        chosen == dossier::Role::kCitizen ? std::string() : who.unit_code};
}

std::optional<dossier::Actor> actor_for(const access::Principal& who, Action action,
                                        const Dossier& d) {
  // Of the roles that may take the action in this state, the first whose
  // scope this dossier satisfies: one person who is both specialist and
  // leader issues a result as the leader when another specialist holds it.
  std::optional<dossier::Actor> first;
  for (const dossier::Role r : roles_of(who)) {
    dossier::Actor a{std::to_string(who.user_id), r,
                     r == dossier::Role::kCitizen ? std::string() : who.unit_code};
    if (!dossier::has_row(action, r, d)) continue;
    if (!first) first = a;
    const auto here = dossier::allowed_actions(d, a);
    if (std::find(here.begin(), here.end(), action) != here.end()) return a;
  }
  // None: the first that may act in the state names why it is refused here.
  return first ? first : actor_for(who, action, d.state);
}

std::string DossierService::default_agency_code(const units::UnitVersion& unit) {
  if (unit.level == units::Level::kProvince) return "H" + unit.code;
  std::string code = unit.code;
  if (code.size() < 5) code.insert(0, 5 - code.size(), '0');
  return "H" + unit.province_code + "." + code.substr(0, 3) + "." + code.substr(3);
}

DossierService::DossierService(store::DossiersStore& store, const CatalogService& catalog,
                               const CalendarService& calendar, const UnitService& units,
                               ProvinceOf province_of, Clock clock)
    : store_(store),
      catalog_(catalog),
      calendar_(calendar),
      units_(units),
      province_of_(std::move(province_of)),
      clock_(std::move(clock)) {
  init_crypto();  // new dossier ids take random bytes from libsodium
  if (!clock_) {
    clock_ = [] {
      return calendar::Instant{std::chrono::duration_cast<std::chrono::seconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count()};
    };
  }
}

void DossierService::name_units(const Dossier& d, std::string& receiving,
                                std::string& competent) const {
  const std::string today = vn_today();
  const auto* c = units_.registry().at(d.competent_unit, today);
  competent = c ? c->full_name : std::string();
  if (d.receiving_unit == d.competent_unit) {
    receiving = competent;
  } else {
    const auto* r = units_.registry().at(d.receiving_unit, today);
    receiving = r ? r->full_name : std::string();
  }
}

Result<const units::UnitVersion*> DossierService::unit(const std::string& code,
                                                       const char* param) const {
  const auto* u = code.empty() ? nullptr : units_.registry().at(code, vn_today());
  if (!u || u->level == units::Level::kDistrict) {
    return unprocessable(param, "Không có đơn vị hành chính \"" + code + "\" đang hoạt động.",
                         "There is no administrative unit \"" + code + "\" in force today.");
  }
  return u;
}

Result<void> DossierService::check_level(const catalog::Procedure& p, const std::string& code,
                                         const char* param) const {
  auto u = unit(code, param);
  if (!u) return u.error();
  if ((p.competent_level == "commune") == ((*u)->level == units::Level::kCommune)) return ok();
  const std::string level_vi = p.competent_level == "commune" ? "xã" : "tỉnh";
  return unprocessable(param,
                       "Thủ tục " + p.code + " do cấp " + level_vi + " giải quyết; đơn vị \"" +
                           code + "\" không thuộc cấp đó.",
                       "Procedure " + p.code + " is settled at " + p.competent_level +
                           " level; unit \"" + code + "\" is not at that level.");
}

Result<void> DossierService::check_same_province(const std::string& receiving_unit,
                                                 const std::string& competent_unit,
                                                 const char* param) const {
  // Received anywhere in the province (phi địa giới), settled in that province.
  if (province_of_ && province_of_(receiving_unit) == province_of_(competent_unit)) return ok();
  return unprocessable(param, "Đơn vị giải quyết phải cùng tỉnh với nơi tiếp nhận.",
                       "The competent unit must be in the receiving unit's province.");
}

Result<std::optional<store::DossierRecord>> DossierService::find(const std::string& ref) {
  if (dossier::parse_dossier_code(ref)) return store_.get_by_code(ref);
  return store_.get(ref);
}

Result<std::optional<store::DossierRecord>> DossierService::find_at(const std::string& ref,
                                                                    std::int64_t if_match) {
  if (auto hit = recent_.at(ref, if_match)) return hit;
  auto read = find(ref);
  if (read && *read) recent_.put(**read);
  return read;
}

bool DossierService::can_read(const access::Principal& who, const store::DossierRecord& r) const {
  if (who.has(access::Role::kCitizen) && r.applicant_user_id == std::to_string(who.user_id)) {
    return true;
  }
  for (const std::string* u : {&r.competent_unit, &r.receiving_unit}) {
    access::Target t;
    t.unit_code = *u;
    if (province_of_) t.province_code = province_of_(*u).value_or("");
    // A staff target has no owner: kOwn never reaches it.
    if (access::decide(who, access::Permission::kDossierRead, t).allowed) return true;
  }
  return false;
}

DossierView DossierService::view_of(const access::Principal& who, Dossier d,
                                    std::int64_t version, std::string body) const {
  DossierView v;
  v.version = version;
  v.body = std::move(body);
  std::vector<bool> seen(std::size(dossier::kAllActions), false);
  // Only what this person may take on this dossier: a leader whose unit the
  // dossier was forwarded away from is offered nothing (each would be a 403).
  for (const dossier::Role r : roles_of(who)) {
    const dossier::Actor actor{std::to_string(who.user_id), r,
                               r == dossier::Role::kCitizen ? std::string() : who.unit_code};
    for (const Action a : dossier::allowed_actions(d, actor)) seen[static_cast<int>(a)] = true;
  }
  for (const Action a : dossier::kAllActions) {
    if (seen[static_cast<int>(a)]) v.allowed_actions.emplace_back(dossier::action_name(a));
  }
  v.time = time_at(d, *calendar_.snapshot(), clock_());
  // The name from the in-memory snapshot: no database round trip, so a view
  // may be built anywhere (never inside a store transaction, though).
  const auto catalog = catalog_.snapshot();
  if (const auto* p = catalog->index.find(d.procedure_code)) v.procedure_name = p->procedure.name;
  name_units(d, v.receiving_unit_name, v.competent_unit_name);
  v.dossier = std::move(d);
  return v;
}

Result<std::shared_ptr<DossierService::SubmitJob>> DossierService::prepare_submit(
    const access::Principal& who, const SubmitRequest& req) {
  const bool citizen = who.has(access::Role::kCitizen);
  const bool desk = who.has(access::Role::kReceivingOfficer) || who.has(access::Role::kPostalAgent);
  if (!citizen && !desk) {
    return make_error(ErrorKind::kForbidden, "Chỉ công dân hoặc cán bộ tiếp nhận được nộp hồ sơ.",
                      "Only a citizen or a desk officer may file a dossier.", "actor");
  }
  if (req.procedure_code.empty()) {
    return bad("procedure_code", "là bắt buộc.", "is required.");
  }
  // Only the current version is open for filing: an older one has other
  // fees, papers and time limits, and a retired procedure's older versions
  // are not marked retired themselves.
  auto procedure = catalog_.version(req.procedure_code, std::nullopt);
  if (!procedure) {
    if (procedure.error().kind != ErrorKind::kNotFound) return procedure.error();
    return unprocessable("procedure_code",
                         "Không có thủ tục \"" + req.procedure_code + "\" trong danh mục.",
                         "There is no procedure \"" + req.procedure_code + "\" in the catalog.");
  }
  const catalog::ProcedureVersion& pv = **procedure;
  if (pv.retired) {
    return unprocessable("procedure_code", "Thủ tục " + pv.procedure.code + " đã bị bãi bỏ.",
                         "Procedure " + pv.procedure.code + " is retired.");
  }
  if (req.procedure_version && *req.procedure_version != pv.version) {
    const std::string asked = std::to_string(*req.procedure_version);
    const std::string current = std::to_string(pv.version);
    return unprocessable("procedure_version",
                         "Phiên bản " + asked + " của thủ tục " + pv.procedure.code +
                             " không còn nhận hồ sơ; phiên bản hiện hành là " + current + ".",
                         "Version " + asked + " of procedure " + pv.procedure.code +
                             " no longer takes dossiers; the current version is " + current + ".");
  }
  if (req.competent_unit.empty()) return bad("competent_unit", "là bắt buộc.", "is required.");
  if (auto c = check_level(pv.procedure, req.competent_unit, "competent_unit"); !c)
    return c.error();

  Dossier d;
  d.procedure_code = pv.procedure.code;
  d.procedure_version = std::to_string(pv.version);
  d.competent_unit = req.competent_unit;
  d.applicant = req.applicant;
  d.form_data_json = req.form_data_json;
  d.components = req.components;
  d.bundle_id = req.bundle_id;
  if (citizen) {
    d.channel = dossier::Channel::kOnline;
    if (req.channel && *req.channel != dossier::Channel::kOnline) {
      return bad("channel", "của công dân tự nộp phải là online.",
                 "must be online for a citizen's own submission.");
    }
    d.applicant_user_id = std::to_string(who.user_id);
    d.receiving_unit = d.competent_unit;
  } else {
    d.channel = req.channel.value_or(
        who.has(access::Role::kPostalAgent) ? dossier::Channel::kPost : dossier::Channel::kCounter);
    // A dossier of the national portal is not a desk's to file: filed at one
    // it would take the online fee and count as received online.
    if (d.channel != dossier::Channel::kCounter && d.channel != dossier::Channel::kPost) {
      return bad("channel", "tại quầy phải là counter hoặc post.",
                 "at a desk must be counter or post.");
    }
    d.receiving_unit = req.receiving_unit.empty() ? who.unit_code : req.receiving_unit;
    if (d.receiving_unit != who.unit_code) {
      return make_error(ErrorKind::kForbidden,
                        "Cán bộ chỉ tiếp nhận hồ sơ tại đơn vị của mình (" + who.unit_code + ").",
                        "Staff file dossiers at their own unit (" + who.unit_code + ").",
                        "receiving_unit");
    }
    if (d.receiving_unit != d.competent_unit) {
      auto desk_unit = unit(d.receiving_unit, "receiving_unit");
      if (!desk_unit) return desk_unit.error();
      if (auto c = check_same_province(d.receiving_unit, d.competent_unit, "competent_unit"); !c) {
        return c.error();
      }
      d.province_wide = true;
    }
  }
  const char* channel_name =
      d.channel == dossier::Channel::kNationalPortal ? "online" : dossier::channel_name(d.channel);
  const catalog::Channel* filed_by = nullptr;
  for (const auto& c : pv.procedure.channels) {
    if (!filed_by && c.channel == channel_name) filed_by = &c;
  }
  if (!filed_by) {
    // The channel's name as the person reading Vietnamese calls it.
    const std::string_view channel_vi = channel_name == std::string_view("online") ? "trực tuyến"
                                        : channel_name == std::string_view("counter") ? "tại quầy"
                                                                                      : "bưu chính";
    return unprocessable("channel",
                         std::string("Thủ tục ") + pv.procedure.code + " không nhận hồ sơ " +
                             std::string(channel_vi) + ".",
                         std::string("Procedure ") + pv.procedure.code +
                             " does not take dossiers by " + channel_name + ".");
  }
  const calendar::Instant now = clock_();
  if (auto r = dossier::validate_applicant(d.applicant, calendar::to_local(now).date.year); !r) {
    return r.error();
  }
  if (auto r = dossier::check_applicant_lengths(d.applicant); !r) return r.error();
  if (auto r = check_components(pv.procedure, d.components, "components"); !r) return r.error();
  if (auto r = check_files(who, d.components); !r) return r.error();
  // The fee of the channel it came by, as the catalog sets it; one the
  // province sets elsewhere (no amount) is not recorded.
  if (filed_by->fee_vnd && *filed_by->fee_vnd > 0) {
    dossier::Fee fee;
    fee.name = filed_by->fee_text.empty() ? "Phí, lệ phí" : filed_by->fee_text;
    fee.amount_vnd = *filed_by->fee_vnd;
    d.fees.push_back(std::move(fee));
  }

  auto job = std::make_shared<SubmitJob>();
  job->who = who;
  job->filed = std::move(d);
  job->key =
      req.idempotency_key.empty() ? "" : std::to_string(who.user_id) + ":" + req.idempotency_key;
  job->request_hash = req.request_hash;
  job->raw_hash = req.raw_hash;
  job->now = now;
  job->citizen = citizen;
  if (auto b = job->build(); !b) return b.error();
  return job;
}

// The transaction of a submission: answers a known Idempotency-Key with its
// dossier, else files the draft (a citizen's is submitted at once; a desk's
// is recorded, then received by an action).
Result<void> DossierService::SubmitJob::run(store::DossierTxn& txn) {
  out.reset();
  if (!key.empty()) {
    auto seen = txn.find_idempotency(key);
    if (!seen) return seen.error();
    if (*seen) {
      if ((*seen)->request_hash != request_hash && (*seen)->request_hash != raw_hash) {
        return unprocessable("Idempotency-Key",
                             "Khoá Idempotency-Key này đã dùng cho một yêu cầu khác.",
                             "This Idempotency-Key was used for a different request.");
      }
      auto rec = txn.load((*seen)->dossier_id);
      if (!rec) return rec.error();
      if (!*rec) return not_found((*seen)->dossier_id);
      auto existing = dossier_from_row(**rec);
      if (!existing) return existing.error();
      out = Written{std::move(*existing), (*rec)->version, false, std::move(**rec)};
      return ok();
    }
  }
  // Chained in build(): the committer thread only writes.
  if (auto s = txn.save_prepared(record, 0, event); !s) return s;
  if (!key.empty()) {
    if (auto s = txn.put_idempotency({key, request_hash, filed.id, now.epoch_seconds}); !s)
      return s;
  }
  out = Written{std::nullopt, record.version, true, std::nullopt};
  return ok();
}

// The new dossier, its row and its first event, built before the
// transaction: the committer thread then only writes.
Result<void> DossierService::SubmitJob::build() {
  filed.id = new_id();
  filed.created_at = now;
  if (citizen) {
    // In place: a refused submission drops the job, and with it the draft.
    auto actor = actor_for(who, Action::kSubmit, State::kDraft);
    auto e = dossier::apply_in_place(filed, Action::kSubmit, *actor, now);
    if (!e) return e.error();
    event = std::move(*e);
  } else {
    // A draft opened at the desk: recorded, then received by an action.
    auto actor = actor_for(who, Action::kReceive, State::kDraft);
    event.at = now;
    event.actor_user_id = actor->user_id;
    event.actor_role = dossier::role_name(actor->role);
    event.actor_unit = actor->unit_code;
    event.action = "create";
    event.from_state = event.to_state = dossier::state_name(State::kDraft);
    event.payload_json =
        R"({"channel":")" + std::string(dossier::channel_name(filed.channel)) + "\"}";
  }
  record = record_of(filed, now);
  // The first entry of a new chain, and the row at version 1.
  event.dossier_id = record.id;
  event.dossier_code = record.code;
  record.head = dossier::append_event(event, {}, record.body);
  record.version = 1;
  return ok();
}

// A replayed key answers with the dossier as it is now, which its filer
// may no longer read (staff moved to another unit since): then nothing of it.
Result<void> DossierService::replay_out_of_reach(const SubmitJob& job) const {
  if (job.out->created || !job.out->earlier || can_read(job.who, *job.out->earlier)) return ok();
  return make_error(ErrorKind::kForbidden,
                    "Hồ sơ đã nộp với Idempotency-Key này không còn trong phạm vi bạn được xem.",
                    "The dossier filed with this Idempotency-Key is no longer yours to see.",
                    "Idempotency-Key");
}

void DossierService::submit(const access::Principal& who, const SubmitRequest& req,
                            Done<SubmitOutcome> done) {
  auto job = prepare_submit(who, req);
  if (!job) return done(job.error());
  commit_submit(*job, std::move(done), false);
}

void DossierService::commit_submit(std::shared_ptr<SubmitJob> job, Done<SubmitOutcome> done,
                                   bool retried) {
  write(
      [job](store::DossierTxn& txn) { return job->run(txn); },
      [this, job, done = std::move(done), retried](Result<void> r) mutable {
        // Two retries racing with one key: the loser's insert of the key
        // fails; run it once more to answer with the winner's dossier.
        if (!r && !retried && !job->key.empty() && r.error().kind == ErrorKind::kInternal) {
          return commit_submit(job, std::move(done), true);
        }
        if (!r) return done(r.error());
        if (auto no = replay_out_of_reach(*job); !no) return done(no.error());
        // A new dossier answers with the body of the row just written; an
        // earlier one's is read back and written again.
        std::string body;
        if (job->out->created) {
          body = job->record.body;
          recent_.put(std::move(job->record));
        }
        Dossier d = job->out->dossier ? std::move(*job->out->dossier) : std::move(job->filed);
        done(SubmitOutcome{view_of(job->who, std::move(d), job->out->version, std::move(body)),
                           job->out->created});
      });
}

Result<SubmitOutcome> DossierService::submit(const access::Principal& who,
                                             const SubmitRequest& req) {
  return wait_for<SubmitOutcome>(
      [&](Done<SubmitOutcome> done) { submit(who, req, std::move(done)); });
}

void DossierService::write(store::DossierWrite fn, std::function<void(Result<void>)> done) {
  if (committer_) return committer_->submit(std::move(fn), std::move(done));
  done(store_.write(fn));
}

void DossierService::submit_bundle(const access::Principal& who, const BundleRequest& req,
                                   Done<BundleOutcome> done) {
  const auto snap = catalog_.snapshot();
  const catalog::Bundle* bundle = nullptr;
  for (const auto& b : snap->bundles) {
    if (b.code == req.bundle_code) bundle = &b;
  }
  if (!bundle) {  // the path names it: 404, as for any resource that is not there
    return done(make_error(
        ErrorKind::kNotFound, "Không có nhóm thủ tục liên thông \"" + req.bundle_code + "\".",
        "There is no bundle \"" + req.bundle_code + "\" in the catalog.", "bundle"));
  }
  for (const auto& [code, _] : req.components) {
    if (std::find(bundle->members.begin(), bundle->members.end(), code) == bundle->members.end()) {
      return done(unprocessable("components." + code,
                                "Thủ tục " + code + " không thuộc nhóm " + bundle->code + ".",
                                "Procedure " + code + " is not in bundle " + bundle->code + "."));
    }
  }
  auto commune = unit(req.base.competent_unit, "competent_unit");
  if (!commune) return done(commune.error());
  if ((*commune)->level != units::Level::kCommune) {
    return done(unprocessable("competent_unit", "Hồ sơ liên thông nộp tại một xã, phường.",
                              "A bundle is filed at a commune or ward."));
  }
  const std::string bundle_id = "LT" + new_id().substr(2);
  std::vector<std::shared_ptr<SubmitJob>> jobs;
  for (const std::string& member : bundle->members) {
    auto procedure = catalog_.version(member, std::nullopt);
    if (!procedure) {
      return done(unprocessable("bundle",
                                "Thủ tục " + member + " của nhóm không có trong danh mục.",
                                "Procedure " + member + " of the bundle is not in the catalog."));
    }
    SubmitRequest r = req.base;
    r.procedure_code = member;
    r.procedure_version.reset();
    r.competent_unit = (*procedure)->procedure.competent_level == "commune"
                           ? (*commune)->code
                           : (*commune)->province_code;
    auto c = req.components.find(member);
    r.components =
        c == req.components.end() ? std::vector<dossier::ComponentProvided>{} : c->second;
    // One key per member: a retried bundle finds every dossier it made.
    if (!r.idempotency_key.empty()) r.idempotency_key += "#" + member;
    r.bundle_id = bundle_id;
    auto job = prepare_submit(who, r);
    if (!job) return done(job.error());
    jobs.push_back(std::move(*job));
  }
  write(
      [jobs](store::DossierTxn& txn) -> Result<void> {
        for (const auto& job : jobs) {
          if (auto r = job->run(txn); !r) return r;
        }
        return ok();
      },
      [this, jobs, done = std::move(done)](Result<void> r) {
        if (!r) return done(r.error());
        for (const auto& job : jobs)
          if (auto no = replay_out_of_reach(*job); !no) return done(no.error());
        BundleOutcome out;
        for (const auto& job : jobs) {
          Dossier d = job->out->dossier ? std::move(*job->out->dossier) : std::move(job->filed);
          out.created = job->out->created;
          out.bundle_id = d.bundle_id;
          out.dossiers.push_back(view_of(job->who, std::move(d), job->out->version));
        }
        done(std::move(out));
      });
}

Result<DossierView> DossierService::get(const access::Principal& who, const std::string& ref) {
  auto rec = find(ref);
  if (!rec) return rec.error();
  if (!*rec || !can_read(who, **rec)) return not_found(ref);
  auto d = dossier_from_row(**rec);
  if (!d) return d.error();
  return view_of(who, std::move(*d), (*rec)->version);
}

Result<std::vector<dossier::Event>> DossierService::events(const access::Principal& who,
                                                           const std::string& ref) {
  auto rec = find(ref);
  if (!rec) return rec.error();
  if (!*rec || !can_read(who, **rec)) return not_found(ref);
  return store_.events((*rec)->id);
}

Result<std::shared_ptr<DossierService::ActJob>> DossierService::prepare_act(
    const access::Principal& who, const std::string& ref, Action action, const std::string& body,
    std::int64_t if_match) {
  auto parsed = parse_body(body);
  if (!parsed) return parsed.error();
  const json::object& o = *parsed;
  dossier::ActionPayload p;
  auto note = string_field(o, "note", "note");
  if (!note) return note.error();
  p.note = *note;
  // Fields every action may carry, read up front so a bad one is a 400
  // before anything is locked.
  auto components = components_from_json(o, "components");
  if (!components) return components.error();
  p.components = *components;
  auto missing = string_list_field(o, "missing", "missing");
  if (!missing) return missing.error();
  p.missing = *missing;
  auto conditional = string_list_field(o, "applicable_conditional", "applicable_conditional");
  if (!conditional) return conditional.error();
  p.applicable_conditional.insert(conditional->begin(), conditional->end());
  for (auto [key, out] :
       {std::pair{"target_unit", &p.target_unit}, std::pair{"tracking_number", &p.tracking_number},
        std::pair{"letter_ref", &p.letter_ref}, std::pair{"receipt", &p.receipt}}) {
    auto v = string_field(o, key, key);
    if (!v) return v.error();
    *out = *v;
  }
  // The assignee as text, or the number /specialists lists a person's id as:
  // a client sends back what it read.
  if (const auto* a = o.if_contains("assignee");
      a && ((a->is_int64() && a->get_int64() > 0) || a->is_uint64())) {
    p.assignee = a->is_int64() ? std::to_string(a->get_int64()) : std::to_string(a->get_uint64());
  } else if (a && !a->is_null() && !a->is_string()) {
    return bad("assignee",
               "phải là mã của chuyên viên, dạng chuỗi hoặc số nguyên dương (id trong "
               "/api/v1/specialists).",
               "must be the specialist's id, as a string or a positive whole number (the id of "
               "/api/v1/specialists).");
  } else {
    auto v = string_field(o, "assignee", "assignee");
    if (!v) return v.error();
    p.assignee = *v;
  }
  if (const auto* r = o.if_contains("result"); r && !r->is_null()) {
    if (!r->is_object()) return bad("result", "phải là đối tượng JSON.", "must be a JSON object.");
    dossier::DossierResult res;
    auto number = string_field(r->get_object(), "number", "result.number");
    if (!number) return number.error();
    res.number = *number;
    auto file = string_field(r->get_object(), "file_ref", "result.file_ref");
    if (!file) return file.error();
    res.file_ref = *file;
    auto form = string_field(r->get_object(), "form", "result.form");
    if (!form) return form.error();
    if (!form->empty()) {
      auto f = dossier::parse_result_form(*form);
      if (!f)
        return bad("result.form", "phải là electronic hoặc paper.", "must be electronic or paper.");
      res.form = *f;
    }
    p.result = std::move(res);
  }
  auto delivery = string_field(o, "delivery", "delivery");
  if (!delivery) return delivery.error();
  if (!delivery->empty()) {
    p.delivery = dossier::parse_delivery(*delivery);
    if (!p.delivery) {
      return bad("delivery", "phải là counter, post hoặc electronic.",
                 "must be counter, post or electronic.");
    }
  }
  auto new_due = time_field(o, "new_due_at");
  if (!new_due) return new_due.error();
  p.new_due_at = *new_due;
  auto desk_due = time_field(o, "due_at");
  if (!desk_due) return desk_due.error();
  p.desk_due_at = *desk_due;
  if (const auto* s = o.if_contains("score"); s && !s->is_null()) {
    if (!s->is_int64()) return bad("score", "phải là số nguyên.", "must be a whole number.");
    // Range first: 4294967297 cast to int is 1, a valid score.
    const std::int64_t score = s->get_int64();
    if (score < 1 || score > 5)
      return bad("score", "Điểm đánh giá phải từ 1 đến 5.", "The score must be 1 to 5.");
    p.score = static_cast<int>(score);
  }

  // The result's file and the apology letter are documents of the dossier too.
  if (auto r =
          check_files(who, p.components,
                      {{"result.file_ref", p.result ? std::string_view(p.result->file_ref) : ""},
                       {"letter_ref", p.letter_ref}});
      !r) {
    return r.error();
  }
  // The dossier as committed now. Unless the action is a receipt, the change
  // is made from it here; the transaction writes it only if the row is still
  // at this version.
  auto pre = find_at(ref, if_match);
  if (!pre) return pre.error();
  if (!*pre || !can_read(who, **pre)) return not_found(ref);
  // Whether this person may act here at all comes before the checks of the
  // payload below (papers, the unit forwarded to, the assignee): a 409 or
  // 403 rather than a 422 about a step they may not take. A stale version is
  // the transaction's 412.
  if ((*pre)->version == if_match && (action == Action::kReceive || action == Action::kSupplement ||
                                      action == Action::kForward || action == Action::kAssign)) {
    auto d = dossier_from_row(**pre);
    if (!d) return d.error();
    if (const auto actor = actor_for(who, action, *d)) {
      if (auto may = dossier::may_act(*d, action, *actor); !may) return may.error();
    }
  }
  // The procedure the dossier was filed under, read before the transaction
  // (its code and version never change after filing).
  std::shared_ptr<const catalog::ProcedureVersion> filed_under;
  if (action == Action::kReceive || action == Action::kForward || action == Action::kSupplement) {
    int version_number = 0;
    std::from_chars((*pre)->procedure_version.data(),
                    (*pre)->procedure_version.data() + (*pre)->procedure_version.size(),
                    version_number);
    auto proc = catalog_.version((*pre)->procedure_code, version_number);
    if (!proc) {
      return unprocessable("procedure_code", "Không còn phiên bản thủ tục mà hồ sơ đã nộp theo.",
                           "The procedure version the dossier was filed under is gone.");
    }
    filed_under = std::move(*proc);
  }
  // The papers a receipt or a supplement adds, checked here rather than in
  // the transaction: the procedure does not change with the row.
  if (action == Action::kReceive || action == Action::kSupplement) {
    if (auto c = check_components(filed_under->procedure, p.components, "components"); !c) {
      return c.error();
    }
  }
  if (action == Action::kForward && !p.target_unit.empty()) {
    // To a unit that can settle it: at the procedure's level, in the province that received it.
    if (auto c = check_level(filed_under->procedure, p.target_unit, "target_unit"); !c)
      return c.error();
    if (p.target_unit != (*pre)->receiving_unit) {
      if (auto c = check_same_province((*pre)->receiving_unit, p.target_unit, "target_unit"); !c) {
        return c.error();
      }
    }
  }
  if (action == Action::kAssign && assignee_check_ && (*pre)->version == if_match) {
    // Against the competent unit of the version the action was made from. A
    // stale If-Match is the transaction's to refuse (412): a forward since
    // has changed the unit, and the assignee would be judged by the new one.
    auto fits = assignee_check_(p.assignee, (*pre)->competent_unit);
    if (!fits) return fits.error();
    if (!*fits) {
      return unprocessable("assignee",
                           "Người được giao \"" + p.assignee +
                               "\" không phải chuyên viên đang làm việc tại đơn vị " +
                               (*pre)->competent_unit + ".",
                           "Assignee \"" + p.assignee + "\" is not an active specialist of unit " +
                               (*pre)->competent_unit + ".");
    }
  }

  auto job = std::make_shared<ActJob>();
  job->who = who;
  job->ref = ref;
  job->action = action;
  job->payload = std::move(p);
  job->if_match = if_match;
  job->filed_under = std::move(filed_under);
  job->now = clock_();
  if (action != Action::kReceive) {
    auto change = change_of(*job, **pre, nullptr);
    if (!change) return change.error();
    job->prepared = std::move(*change);
  }
  return job;
}

Result<void> DossierService::check_files(
    const access::Principal& who, const std::vector<dossier::ComponentProvided>& components,
    std::initializer_list<std::pair<const char*, std::string_view>> named) const {
  if (!file_check_) return ok();
  std::vector<std::pair<std::string, std::string>> refs;
  for (std::size_t i = 0; i < components.size(); ++i) {
    if (!components[i].file_ref.empty()) {
      refs.emplace_back("components[" + std::to_string(i) + "].file_ref", components[i].file_ref);
    }
  }
  for (const auto& [field, ref] : named) {
    if (!ref.empty()) refs.emplace_back(field, ref);
  }
  if (refs.empty()) return ok();
  return file_check_(who, refs);
}

Result<DossierService::ActJob::Change> DossierService::change_of(
    const ActJob& job, const store::DossierRecord& current, store::DossierTxn* txn) const {
  const access::Principal& who = job.who;
  const Action action = job.action;
  const calendar::Instant now = job.now;
  const auto& filed_under = job.filed_under;
  const std::int64_t if_match = job.if_match;
  if (current.version != if_match) {
    return make_error(ErrorKind::kPreconditionFailed,
                      "Hồ sơ đã thay đổi (phiên bản hiện tại " + std::to_string(current.version) +
                          "): hãy tải lại rồi thử lại.",
                      "The dossier has changed (it is at version " +
                          std::to_string(current.version) + "): reload it and try again.",
                      "If-Match");
  }
  auto d = dossier_from_row(current);
  if (!d) return d.error();
  auto actor = job.system_actor ? job.system_actor : actor_for(who, action, *d);
  if (!actor) {
    return make_error(ErrorKind::kForbidden, "Tài khoản không có vai trò xử lý hồ sơ.",
                      "The account has no role that acts on dossiers.", "actor");
  }
  dossier::ActionPayload payload = job.payload;
  if (action == Action::kReceive) {
    if (!filed_under) return not_found(job.ref);
    const catalog::Procedure& procedure = filed_under->procedure;
    const char* wanted = d->channel == dossier::Channel::kNationalPortal
                             ? "online"
                             : dossier::channel_name(d->channel);
    payload.required = required_components(procedure, wanted);
    // The time limits of the channel it came by (else of any channel). The
    // catalog may list several, told apart by its text (a facility the
    // commune manages: 10 working days; one the province manages: 15): the
    // one promised is the shortest, so that no case is counted on time past
    // its own limit, and the catalog's order decides nothing.
    std::vector<const catalog::Channel*> limits;
    for (const auto& c : procedure.channels) {
      if (c.channel == wanted && c.time_amount) limits.push_back(&c);
    }
    for (const auto& c : procedure.channels) {
      if (limits.empty() && c.time_amount) limits.push_back(&c);
    }
    // Where a receipt is not allowed, apply() below says so (409 with what
    // is): the appointment is checked only for a receipt that may happen.
    // Asked only then: an ordinary receipt does not list the actions.
    const auto receivable = [&] {
      const auto allowed = dossier::allowed_actions(*d, *actor);
      return std::ranges::find(allowed, Action::kReceive) != allowed.end();
    };
    if (!limits.empty() && payload.desk_due_at && receivable()) {
      return bad("due_at",
                 "không được ghi: thủ tục " + procedure.code +
                     " quy định thời hạn giải quyết, ngày hẹn trả được tính theo lịch làm việc.",
                 "must be left out: procedure " + procedure.code +
                     " sets its processing time, and the appointment is worked out from it.");
    }
    const auto kind_of = [](const catalog::Channel& c) {
      return c.time_unit == "working_hours"   ? DueKind::kWorkingHours
             : c.time_unit == "calendar_days" ? DueKind::kCalendarDays
                                              : DueKind::kWorkingDays;
    };
    const catalog::Channel* ch = nullptr;
    for (const catalog::Channel* c : limits) {
      auto due = calendar_.due(d->competent_unit, now, *c->time_amount, kind_of(*c));
      if (!due && due.error().param == "n") {  // a limit stored before it was refused
        return unprocessable(
            "procedure_code",
            "Thủ tục " + procedure.code +
                " có thời hạn giải quyết không dùng được: " + due.error().message_vi,
            "Procedure " + procedure.code +
                " has a processing time that cannot be "
                "used: " +
                due.error().message_en);
      }
      if (!due) return due.error();
      if (!ch || *due < *payload.due_at) {
        ch = c;
        payload.due_at = *due;
      }
    }
    if (ch) {
      const DueKind kind = kind_of(*ch);
      auto start = calendar_.clock_start(d->competent_unit, now, kind);
      if (!start) return start.error();
      payload.clock_start = *start;
    } else if (payload.desk_due_at && receivable()) {
      // Some catalog entries say "Không xác định": the desk writes the
      // appointment on the receipt, as on paper.
      if (auto r = check_appointment(d->competent_unit, *payload.desk_due_at, now, "due_at"); !r) {
        return r.error();
      }
      payload.due_at = payload.desk_due_at;
    } else if (receivable()) {
      return bad("due_at",
                 "là ngày hẹn trả cần ghi khi tiếp nhận: thủ tục " + procedure.code +
                     " không quy định thời hạn giải quyết.",
                 "is the appointment to set at receipt: procedure " + procedure.code +
                     " sets no processing time.");
    }
    const std::string& desk = d->desk_unit();
    auto desk_unit = unit(desk, "receiving_unit");
    if (!desk_unit) return desk_unit.error();
    // Only when the action will be taken: an unallowed receive must not
    // even touch the sequence (the rollback would give it back anyway).
    if (auto trial = dossier::apply(*d, action, *actor, now,
                                    [&] {
                                      dossier::ActionPayload t = payload;
                                      t.code = *dossier::format_dossier_code(
                                          default_agency_code(**desk_unit), now, 1);
                                      return t;
                                    }());
        !trial) {
      return trial.error();
    }
    const std::string agency = default_agency_code(**desk_unit);
    const auto local = calendar::to_local(now).date;
    char day[8];
    std::snprintf(day, sizeof day, "%02d%02d%02d", local.year % 100, local.month, local.day);
    if (!txn) {  // a receipt is made in its transaction, which gives its number
      return make_error(ErrorKind::kInternal, "Tiếp nhận hồ sơ phải chạy trong giao dịch.",
                        "A receipt must run in its transaction.");
    }
    auto seq = txn->next_sequence(agency, day);
    if (!seq) return seq.error();
    auto code = dossier::format_dossier_code(agency, now, *seq);
    if (!code) return code.error();
    payload.code = *code;
  }
  const auto calendars = calendar_.snapshot();
  if (action == Action::kApologise && d->received_at && d->due_at) {
    // The appointment the new date must follow, as the dossier's page shows
    // it: moved on by the time waiting for the applicant.
    auto cal = calendars->calendar_for(d->competent_unit, now);
    if (!cal) return cal.error();
    dossier::CalendarClock clock(**cal);
    auto time = dossier::evaluate_time(*d, now, clock);
    if (!time) return time.error();
    payload.appointment_now = time->effective_appointment;
  }
  auto t = dossier::apply(*d, action, *actor, now, payload);
  if (!t) return t.error();
  if (action == Action::kApologise) {
    if (auto r = check_appointment(d->competent_unit, *payload.new_due_at, now, "new_due_at"); !r) {
      return r.error();
    }
  }
  auto figures = figures_change(*d, t->dossier, *calendars, province_of_);
  if (!figures) return figures.error();
  store::DossierRecord next = record_of(t->dossier, now);
  index_due_times(next, t->dossier, *calendars);
  ActJob::Change change;
  change.record = std::move(next);
  change.event = std::move(t->event);
  change.event.dossier_id = current.id;
  change.event.dossier_code = change.record.code;
  change.record.head = dossier::append_event(change.event, current.head, change.record.body);
  change.record.version = current.version + 1;
  change.figures = std::move(*figures);
  change.dossier = std::move(t->dossier);
  change.calendars = calendars;
  return change;
}

Result<void> DossierService::check_appointment(const std::string& unit, calendar::Instant at,
                                               calendar::Instant now,
                                               const std::string& field) const {
  if (at <= now || at.epoch_seconds > now.epoch_seconds + dossier::kMaxPromise) {
    return bad(field, "phải sau thời điểm hiện tại và trong vòng một năm.",
               "must be after now and within a year.");
  }
  // The second before or the one after is working time: a moment of the
  // unit's working hours on a working day, its opening and closing included.
  auto before = calendar_.working_time(unit, calendar::Instant{at.epoch_seconds - 1}, at);
  if (!before) return before.error();
  auto after = calendar_.working_time(unit, at, calendar::Instant{at.epoch_seconds + 1});
  if (!after) return after.error();
  if (before->seconds.count() == 0 && after->seconds.count() == 0) {
    return bad(field,
               "phải trong giờ làm việc của một ngày làm việc của đơn vị " + unit + " (" +
                   calendar::to_rfc3339(at) + " không phải).",
               "must be in the working hours of a working day of unit " + unit + " (" +
                   calendar::to_rfc3339(at) + " is not).");
  }
  return ok();
}

// The transaction of an action: the prepared change written if the row is
// still at if_match; a receipt read, locked and made here (its number).
Result<void> DossierService::run_act(ActJob& job, store::DossierTxn& txn) const {
  job.made.reset();
  const ActJob::Change* change = job.prepared ? &*job.prepared : nullptr;
  // Prepared before a calendar change was published: its figures would keep
  // the old working time after the change's recount, so it is made again
  // from the row, with the calendars in force now.
  if (change && change->calendars != calendar_.snapshot()) change = nullptr;
  if (!change) {
    const bool by_code = dossier::parse_dossier_code(job.ref).ok();
    auto rec = by_code ? txn.load_by_code(job.ref) : txn.load(job.ref);
    if (!rec) return rec.error();
    // A prepared job was let through when it was prepared (a payment
    // platform's notice has no principal to check).
    if (!*rec || (!job.prepared && !can_read(job.who, **rec))) return not_found(job.ref);
    auto c = change_of(job, **rec, &txn);
    if (!c) return c.error();
    job.made = std::move(*c);
    change = &*job.made;
  }
  if (auto s = txn.save_prepared(change->record, job.if_match, change->event); !s) return s;
  if (!change->figures.empty()) txn.add_stats(change->figures);
  // Nothing is copied here: the committer thread only writes. The answer
  // reads the change once the batch is durable.
  return ok();
}

void DossierService::act(const access::Principal& who, const std::string& ref, Action action,
                         const std::string& body, std::int64_t if_match, Done<DossierView> done) {
  auto job = prepare_act(who, ref, action, body, if_match);
  if (!job) return done(job.error());
  write([this, job = *job](store::DossierTxn& txn) { return run_act(*job, txn); },
        [this, job = *job, done = std::move(done)](Result<void> r) {
          if (!r) return done(r.error());
          auto& change = job->written_change();
          const std::int64_t version = change.record.version;
          std::string body = change.record.body;  // the answer's, as written
          recent_.put(std::move(change.record));
          if (on_change_ && !change.dossier.code.empty()) on_change_(change.dossier.code);
          done(view_of(job->who, std::move(change.dossier), version, std::move(body)));
        });
}

void DossierService::record_online_payment(const std::string& dossier_id, std::int64_t amount_vnd,
                                           const std::string& transaction,
                                           Done<PaymentRecorded> done, int attempts) {
  auto rec = find(dossier_id);
  if (!rec) return done(rec.error());
  if (!*rec) return done(not_found(dossier_id));
  auto d = dossier_from_row(**rec);
  if (!d) return done(d.error());
  // Platforms repeat a notice until it is answered: the same transaction,
  // already recorded and nothing left due, changes nothing.
  const bool recorded = std::any_of(d->fees.begin(), d->fees.end(), [&](const dossier::Fee& f) {
    return f.paid && f.paid_online && f.receipt == transaction;
  });
  if (recorded && d->unpaid_vnd() == 0) {
    return done(PaymentRecorded{d->id, d->code, (*rec)->version, true});
  }
  auto job = std::make_shared<ActJob>();
  job->ref = dossier_id;
  job->action = Action::kPayOnline;
  job->payload.receipt = transaction;
  job->payload.amount_vnd = amount_vnd;
  job->if_match = (*rec)->version;
  job->now = clock_();
  job->system_actor = dossier::Actor{"payment-platform", dossier::Role::kPaymentPlatform, ""};
  auto change = change_of(*job, **rec, nullptr);
  if (!change) return done(change.error());
  job->prepared = std::move(*change);
  write([this, job](store::DossierTxn& txn) { return run_act(*job, txn); },
        [this, job, dossier_id, amount_vnd, transaction, attempts,
         done = std::move(done)](Result<void> r) mutable {
          if (!r) {
            // Changed by someone else since it was read: read it again.
            if (r.error().kind == ErrorKind::kPreconditionFailed && attempts > 1) {
              return record_online_payment(dossier_id, amount_vnd, transaction, std::move(done),
                                           attempts - 1);
            }
            return done(r.error());
          }
          auto& c = job->written_change();
          PaymentRecorded out{c.dossier.id, c.dossier.code, c.record.version, false};
          recent_.put(std::move(c.record));
          if (on_change_ && !out.code.empty()) on_change_(out.code);
          done(std::move(out));
        });
}

Result<DossierView> DossierService::act(const access::Principal& who, const std::string& ref,
                                        Action action, const std::string& body,
                                        std::int64_t if_match) {
  return wait_for<DossierView>(
      [&](Done<DossierView> done) { act(who, ref, action, body, if_match, std::move(done)); });
}

Result<InboxPage> DossierService::inbox(const access::Principal& who, const InboxFilter& f) {
  using Column = store::InboxClause::Column;
  // One clause per (column, assignee): the states in which one of the
  // principal's roles has an action of that scope.
  std::map<std::pair<int, bool>, std::vector<std::string>> clauses;
  for (const dossier::Role role : roles_of(who)) {
    for (const auto& rule : dossier::rules()) {
      if (!(rule.roles & (1u << static_cast<unsigned>(role)))) continue;
      std::pair<int, bool> key;
      switch (rule.scope) {
        case dossier::Scope::kOwner:
          key = {static_cast<int>(Column::kApplicant), false};
          break;
        case dossier::Scope::kReceivingUnit:
          key = {static_cast<int>(Column::kReceivingUnit), false};
          break;
        case dossier::Scope::kCompetentUnit:
          key = {static_cast<int>(Column::kCompetentUnit), false};
          break;
        case dossier::Scope::kAssignee:
          key = {static_cast<int>(Column::kCompetentUnit), true};
          break;
        case dossier::Scope::kPlatform:  // no account's inbox
          continue;
      }
      if (key.first != static_cast<int>(Column::kApplicant) && who.unit_code.empty()) continue;
      if (key.first == static_cast<int>(Column::kApplicant) && role != dossier::Role::kCitizen) {
        continue;
      }
      auto& states = clauses[key];
      for (const State s : dossier::kAllStates) {
        // A fee recorded after the hand-over is done from the dossier's page:
        // the inbox is the work waiting, and finished dossiers only pile up.
        if (dossier::is_final(s)) continue;
        const std::string name = dossier::state_name(s);
        if ((rule.from & (1u << static_cast<unsigned>(s))) &&
            std::find(states.begin(), states.end(), name) == states.end()) {
          states.push_back(name);
        }
      }
    }
  }
  // A citizen's list is every dossier of theirs, whatever waits on whom.
  if (who.has(access::Role::kCitizen)) {
    auto& states = clauses[{static_cast<int>(Column::kApplicant), false}];
    states.clear();
    for (const State st : dossier::kAllStates) {
      if (st != State::kDraft) states.push_back(dossier::state_name(st));
    }
  }
  store::InboxQuery q;
  for (auto& [key, states] : clauses) {
    store::InboxClause c;
    c.column = static_cast<Column>(key.first);
    c.value = c.column == Column::kApplicant ? std::to_string(who.user_id) : who.unit_code;
    if (key.second) c.assignee = std::to_string(who.user_id);
    c.states = std::move(states);
    q.clauses.push_back(std::move(c));
  }
  q.state = f.state;
  q.procedure_code = f.procedure_code;
  q.channel = f.channel;
  q.limit = f.limit + 1;
  if (!f.cursor.empty()) {
    const auto tilde = f.cursor.find('~');
    std::int64_t due = 0;
    const bool good = tilde != std::string::npos && tilde + 1 < f.cursor.size() &&
                      std::from_chars(f.cursor.data(), f.cursor.data() + tilde, due).ptr ==
                          f.cursor.data() + tilde;
    if (!good) {
      return make_error(ErrorKind::kBadRequest,
                        "Tham số 'cursor' không hợp lệ: hãy dùng đúng next_cursor của trang trước.",
                        "Parameter 'cursor' is not valid: pass the previous page's next_cursor.",
                        "cursor");
    }
    q.after = std::make_pair(due, f.cursor.substr(tilde + 1));
  }
  auto rows = store_.inbox(q);
  if (!rows) return rows.error();
  InboxPage page;
  for (std::size_t i = 0; i < rows->size() && i < f.limit; ++i) {
    auto d = dossier_from_row((*rows)[i]);
    if (!d) return d.error();
    page.items.push_back(view_of(who, std::move(*d), (*rows)[i].version));
  }
  if (rows->size() > f.limit) {
    const auto& last = (*rows)[f.limit - 1];
    page.next_cursor = std::to_string(last.due_at.value_or(store::kNoDueSortKey)) + "~" + last.id;
  }
  return page;
}

Result<PublicStatus> DossierService::public_status(const std::string& ref) {
  if (!dossier::parse_dossier_code(ref)) return not_found(ref);
  auto rec = store_.get_by_code(ref);
  if (!rec) return rec.error();
  if (!*rec) return not_found(ref);
  auto d = dossier_from_row(**rec);
  if (!d) return d.error();
  PublicStatus s;
  s.code = d->code;
  s.state = dossier::state_name(d->state);
  s.procedure_code = d->procedure_code;
  if (const auto* p = catalog_.snapshot()->index.find(d->procedure_code)) {
    s.procedure_name = p->procedure.name;
  }
  s.receiving_unit = d->receiving_unit;
  s.competent_unit = d->competent_unit;
  name_units(*d, s.receiving_unit_name, s.competent_unit_name);
  s.received_at = d->received_at;
  s.due_at = d->due_at;
  // The date the applicant was promised: the last apology's, or the due
  // time, either moved on by the working time spent waiting for their
  // supplements (the clock stops then).
  s.appointment = d->appointment();
  if (auto t = time_at(*d, *calendar_.snapshot(), clock_()); t && t->effective_appointment) {
    s.appointment = t->effective_appointment;
  }
  s.finished_at = d->finished_at;
  s.returned_at = d->returned_at;
  return s;
}

}  // namespace motcua::services
