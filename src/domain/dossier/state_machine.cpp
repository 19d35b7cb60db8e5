#include "domain/dossier/state_machine.hpp"

#include <algorithm>
#include <utility>

#include "common/json_text.hpp"
#include "domain/dossier/dossier_code.hpp"
#include "domain/dossier/identity.hpp"
#include "text/blank.hpp"

namespace motcua::dossier {
namespace {

constexpr std::uint32_t bit(State s) { return 1u << static_cast<unsigned>(s); }
constexpr std::uint32_t bit(Role r) { return 1u << static_cast<unsigned>(r); }

template <class... S>
constexpr std::uint32_t states(S... s) {
  return (bit(s) | ...);
}
template <class... R>
constexpr std::uint32_t roles(R... r) {
  return (bit(r) | ...);
}

using enum State;

constexpr std::uint32_t kDesk = roles(Role::kReceivingOfficer, Role::kPostalAgent);
// Until the leader approves: a proposal is still the unit's own step.
constexpr std::uint32_t kWithdrawable =
    states(kSubmitted, kReceived, kWaitingSupplement, kInProgress, kProposed);

constexpr Rule kRules[] = {
    {Action::kSubmit, states(kDraft), roles(Role::kCitizen), Scope::kOwner, Target::kState,
     kSubmitted},
    {Action::kReceive, states(kDraft, kSubmitted), kDesk, Scope::kReceivingUnit, Target::kState,
     kReceived},
    // Before receipt the desk asks for what is missing: of an online
    // submission, or of papers brought to the counter or sent by post.
    {Action::kRequestSupplement, states(kDraft, kSubmitted), kDesk, Scope::kReceivingUnit,
     Target::kState, kWaitingSupplement},
    {Action::kRequestSupplement, states(kInProgress), roles(Role::kSpecialist), Scope::kAssignee,
     Target::kState, kWaitingSupplement},
    {Action::kSupplement, states(kWaitingSupplement), roles(Role::kCitizen), Scope::kOwner,
     Target::kResume, kDraft},
    {Action::kSupplement, states(kWaitingSupplement), kDesk, Scope::kReceivingUnit, Target::kResume,
     kDraft},
    // Before receipt the desk refuses in writing (not this unit's, or a
    // supplement never brought); after it, the competent unit's leader.
    {Action::kRefuse, states(kDraft, kSubmitted, kWaitingSupplement),
     roles(Role::kReceivingOfficer), Scope::kReceivingUnit, Target::kState, kRefused,
     Receipt::kBefore},
    {Action::kRefuse, states(kReceived, kWaitingSupplement, kInProgress, kProposed),
     roles(Role::kLeader), Scope::kCompetentUnit, Target::kState, kRefused, Receipt::kAfter},
    {Action::kForward, states(kReceived, kInProgress), roles(Role::kLeader), Scope::kCompetentUnit,
     Target::kState, kReceived},
    {Action::kAssign, states(kReceived, kInProgress), roles(Role::kLeader), Scope::kCompetentUnit,
     Target::kState, kInProgress},
    {Action::kPropose, states(kInProgress), roles(Role::kSpecialist), Scope::kAssignee,
     Target::kState, kProposed},
    {Action::kApprove, states(kProposed), roles(Role::kLeader), Scope::kCompetentUnit,
     Target::kState, kApproved},
    {Action::kSendBack, states(kProposed), roles(Role::kLeader), Scope::kCompetentUnit,
     Target::kState, kInProgress},
    {Action::kIssueResult, states(kApproved), roles(Role::kSpecialist), Scope::kAssignee,
     Target::kState, kResultIssued},
    {Action::kIssueResult, states(kApproved), roles(Role::kLeader), Scope::kCompetentUnit,
     Target::kState, kResultIssued},
    {Action::kReturnResult, states(kResultIssued), kDesk, Scope::kReceivingUnit, Target::kState,
     kReturned},
    {Action::kWithdraw, kWithdrawable, roles(Role::kCitizen), Scope::kOwner, Target::kState,
     kWithdrawn},
    {Action::kWithdraw, kWithdrawable, roles(Role::kReceivingOfficer), Scope::kReceivingUnit,
     Target::kState, kWithdrawn},
    // A draft the desk opened (counter, post) and will not receive: withdrawn
    // with its reason rather than left in the inbox for good.
    {Action::kWithdraw, states(kDraft), kDesk, Scope::kReceivingUnit, Target::kState, kWithdrawn},
    {Action::kApologise, states(kReceived, kWaitingSupplement, kInProgress, kProposed, kApproved),
     roles(Role::kLeader), Scope::kCompetentUnit, Target::kSame, kDraft},
    {Action::kRate, states(kReturned, kRefused), roles(Role::kCitizen), Scope::kOwner,
     Target::kSame, kDraft},
    // The fees paid at the desk, from receipt on; after the hand-over too, so
    // that fees collected late can still be recorded.
    {Action::kPay,
     states(kReceived, kWaitingSupplement, kInProgress, kProposed, kApproved, kResultIssued,
            kReturned),
     kDesk, Scope::kReceivingUnit, Target::kSame, kDraft, Receipt::kAfter},
    // Paid online, from submission on: reported by the payment platform. A
    // notice may arrive after the dossier was withdrawn, refused or returned:
    // the money was taken, so it is recorded (a refund is then the desk's).
    {Action::kPayOnline,
     states(kSubmitted, kReceived, kWaitingSupplement, kInProgress, kProposed, kApproved,
            kResultIssued, kReturned, kWithdrawn, kRefused),
     roles(Role::kPaymentPlatform), Scope::kPlatform, Target::kSame, kDraft},
};

constexpr std::pair<Role, const char*> kRoleNames[] = {
    {Role::kCitizen, "citizen"},
    {Role::kReceivingOfficer, "receiving_officer"},
    {Role::kSpecialist, "specialist"},
    {Role::kLeader, "leader"},
    {Role::kUnitAdmin, "unit_admin"},
    {Role::kProvinceSupervisor, "province_supervisor"},
    {Role::kNationalViewer, "national_viewer"},
    {Role::kSystemAdmin, "system_admin"},
    {Role::kPostalAgent, "postal_agent"},
    {Role::kPaymentPlatform, "payment_platform"},
};

constexpr std::pair<Action, const char*> kActionNames[] = {
    {Action::kSubmit, "submit"},
    {Action::kReceive, "receive"},
    {Action::kRequestSupplement, "request_supplement"},
    {Action::kSupplement, "supplement"},
    {Action::kRefuse, "refuse"},
    {Action::kForward, "forward"},
    {Action::kAssign, "assign"},
    {Action::kPropose, "propose"},
    {Action::kApprove, "approve"},
    {Action::kSendBack, "send_back"},
    {Action::kIssueResult, "issue_result"},
    {Action::kReturnResult, "return_result"},
    {Action::kWithdraw, "withdraw"},
    {Action::kApologise, "apologise"},
    {Action::kRate, "rate"},
    {Action::kPay, "pay"},
    {Action::kPayOnline, "pay_online"},
};

// What a person reads: the words of the web app's role.* and action.* keys
// (web/src/i18n.ts), so that a message and the page name them alike.
constexpr std::pair<Role, const char*> kRoleLabelsVi[] = {
    {Role::kCitizen, "Công dân"},
    {Role::kReceivingOfficer, "Cán bộ tiếp nhận"},
    {Role::kSpecialist, "Chuyên viên"},
    {Role::kLeader, "Lãnh đạo"},
    {Role::kUnitAdmin, "Quản trị đơn vị"},
    {Role::kProvinceSupervisor, "Giám sát cấp tỉnh"},
    {Role::kNationalViewer, "Theo dõi toàn quốc"},
    {Role::kSystemAdmin, "Quản trị hệ thống"},
    {Role::kPostalAgent, "Nhân viên bưu chính"},
    {Role::kPaymentPlatform, "Nền tảng thanh toán"},
};

constexpr std::pair<Action, const char*> kActionLabelsVi[] = {
    {Action::kSubmit, "Nộp hồ sơ"},
    {Action::kReceive, "Tiếp nhận"},
    {Action::kRequestSupplement, "Yêu cầu bổ sung"},
    {Action::kSupplement, "Bổ sung giấy tờ"},
    {Action::kRefuse, "Từ chối"},
    {Action::kForward, "Chuyển đơn vị khác"},
    {Action::kAssign, "Giao chuyên viên"},
    {Action::kPropose, "Trình lãnh đạo"},
    {Action::kApprove, "Phê duyệt"},
    {Action::kSendBack, "Trả lại chuyên viên"},
    {Action::kIssueResult, "Ban hành kết quả"},
    {Action::kReturnResult, "Trả kết quả"},
    {Action::kWithdraw, "Rút hồ sơ"},
    {Action::kApologise, "Xin lỗi, hẹn lại"},
    {Action::kRate, "Đánh giá"},
    {Action::kPay, "Ghi nhận đã thu phí, lệ phí"},
    {Action::kPayOnline, "Thanh toán trực tuyến"},
};

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += sep;
    out += items[i];
  }
  return out;
}

Error bad(std::string_view field, std::string vi, std::string en) {
  return make_error(ErrorKind::kBadRequest, std::move(vi), std::move(en), std::string(field));
}

Error conflict(std::string vi, std::string en, std::string_view param = {}) {
  return make_error(ErrorKind::kConflict, std::move(vi), std::move(en), std::string(param));
}

Error forbidden(std::string vi, std::string en) {
  return make_error(ErrorKind::kForbidden, std::move(vi), std::move(en), "actor");
}

// A reason written by a person: required for refusals, send-backs, withdrawals, apologies.
Result<void> require_note(const ActionPayload& p, std::string_view what_vi,
                          std::string_view what_en) {
  if (text::blank(p.note)) {
    return bad("note", "Cần ghi rõ " + std::string(what_vi) + ".",
               "A written " + std::string(what_en) + " is required.");
  }
  return ok();
}

Result<void> check_scope(const Dossier& d, const Rule& rule, const Actor& actor) {
  switch (rule.scope) {
    case Scope::kOwner:
      if (d.applicant_user_id.empty() || actor.user_id != d.applicant_user_id) {
        return forbidden("Chỉ người nộp hồ sơ (tài khoản đã nộp) được thực hiện thao tác này.",
                         "Only the applicant's own account may take this action.");
      }
      return ok();
    case Scope::kReceivingUnit:
      if (actor.unit_code != d.desk_unit()) {
        return forbidden("Hồ sơ được tiếp nhận tại đơn vị " + quoted(d.desk_unit()) +
                             ", không phải đơn vị " + quoted(actor.unit_code) + " của bạn.",
                         "The dossier's receiving unit is " + quoted(d.desk_unit()) +
                             ", not your unit " + quoted(actor.unit_code) + ".");
      }
      return ok();
    case Scope::kCompetentUnit:
    case Scope::kAssignee:
      if (actor.unit_code != d.competent_unit) {
        return forbidden("Hồ sơ thuộc thẩm quyền của đơn vị " + quoted(d.competent_unit) +
                             ", không phải đơn vị " + quoted(actor.unit_code) + " của bạn.",
                         "The dossier's competent unit is " + quoted(d.competent_unit) +
                             ", not your unit " + quoted(actor.unit_code) + ".");
      }
      if (rule.scope == Scope::kAssignee && actor.user_id != d.assignee) {
        return forbidden(
            "Chỉ chuyên viên được phân công xử lý hồ sơ mới được thực hiện thao tác này.",
            "Only the specialist the dossier is assigned to may take this action.");
      }
      return ok();
    case Scope::kPlatform:
      return ok();
  }
  return ok();
}

// Whether the dossier's own facts refuse `a` whatever its payload: a second
// rating, returning a result it does not have, moving an appointment it does
// not have. apply() refuses these with 409 where it checks them among the
// payload's checks; allowed_actions(Dossier, Role) leaves them out.
bool facts_refuse(const Dossier& d, Action a) {
  switch (a) {
    case Action::kRate:
      return d.rating.has_value();
    case Action::kReturnResult:
      return !d.result.has_value();
    case Action::kApologise:
      return !d.appointment().has_value();
    case Action::kPay:
    case Action::kPayOnline:
      return std::none_of(d.fees.begin(), d.fees.end(),
                          [](const Fee& f) { return f.amount_vnd > 0 && !f.paid; });
    default:
      return false;
  }
}

std::string time_text(Instant t) { return calendar::to_rfc3339(t); }

Error nothing_due() {
  return conflict("Hồ sơ không còn phí, lệ phí nào phải nộp.", "The dossier has no fee left to pay.");
}

// Every fee still due, paid now at the desk or online with `receipt` (the
// desk's receipt, the platform's transaction); returns the amount.
std::int64_t settle_fees(Dossier& d, bool online, Instant now, const std::string& receipt) {
  std::int64_t paid = 0;
  for (Fee& f : d.fees) {
    if (f.amount_vnd <= 0 || f.paid) continue;
    f.paid = true;
    f.paid_online = online;
    f.paid_at = now;
    f.receipt = receipt;
    paid += f.amount_vnd;
  }
  return paid;
}

// Checks the payload and applies the action's effects to `d` (a copy).
// Returns the event's payload JSON.
Result<std::string> perform(Dossier& d, Action action, const Actor& actor, Instant now,
                            const ActionPayload& p) {
  JsonObjectText payload;
  switch (action) {
    case Action::kSubmit: {
      if (d.procedure_code.empty()) {
        return bad("procedure_code", "Chưa chọn thủ tục hành chính.", "No procedure is chosen.");
      }
      if (d.competent_unit.empty()) {
        return bad("competent_unit", "Chưa chọn đơn vị giải quyết.",
                   "No competent unit is chosen.");
      }
      if (auto r = validate_applicant(d.applicant, calendar::to_local(now).date.year); !r) {
        return r.error();
      }
      d.receiving_unit = d.desk_unit();
      d.submitted_at = now;
      payload.add("channel", channel_name(d.channel));
      if (!d.bundle_id.empty()) payload.add("bundle_id", d.bundle_id);
      break;
    }
    case Action::kReceive: {
      if (d.procedure_code.empty()) {
        return bad("procedure_code", "Chưa chọn thủ tục hành chính.", "No procedure is chosen.");
      }
      if (d.competent_unit.empty()) {
        return bad("competent_unit", "Chưa chọn đơn vị giải quyết.",
                   "No competent unit is chosen.");
      }
      if (d.desk_unit() != d.competent_unit && !d.province_wide) {
        return conflict("Hồ sơ của đơn vị " + quoted(d.competent_unit) +
                            " chỉ được tiếp nhận tại đơn vị khác khi thủ tục cho phép tiếp nhận "
                            "không phụ thuộc địa giới hành chính.",
                        "A dossier for unit " + quoted(d.competent_unit) +
                            " may be received at another unit only when its procedure may be "
                            "received anywhere in the province.",
                        "receiving_unit");
      }
      if (auto r = validate_applicant(d.applicant, calendar::to_local(now).date.year); !r) {
        return r.error();
      }
      if (auto c = parse_dossier_code(p.code, "code"); !c) {
        return c.error();
      } else if (c->date != calendar::to_local(now).date) {
        return bad("code",
                   "Mã hồ sơ phải chứa ngày tiếp nhận " +
                       calendar::to_string(calendar::to_local(now).date) + ".",
                   "The dossier code must carry the receipt date " +
                       calendar::to_string(calendar::to_local(now).date) + ".");
      }
      if (!p.due_at || *p.due_at <= now) {
        return bad("due_at", "Hạn giải quyết phải sau thời điểm tiếp nhận.",
                   "The due time must be after the receipt.");
      }
      if (p.clock_start && (*p.clock_start < now || *p.clock_start > *p.due_at)) {
        return bad("clock_start",
                   "Thời điểm bắt đầu tính thời hạn phải nằm giữa lúc tiếp nhận và hạn giải quyết.",
                   "The clock start must lie between the receipt and the due time.");
      }
      for (const ComponentProvided& c : p.components) d.components.push_back(c);
      const CompletenessReport report =
          check_completeness(p.required, d.components, p.applicable_conditional);
      if (!report.complete()) {
        return conflict("Hồ sơ chưa đầy đủ, cần yêu cầu bổ sung: " +
                            join(describe_missing_vi(report), "; ") + ".",
                        "The dossier is incomplete; ask for supplements: " +
                            join(describe_missing_en(report), "; ") + ".",
                        "components");
      }
      d.code = p.code;
      d.digitised = d.papers_digitised();
      d.received_at = now;
      d.clock_start = p.clock_start.value_or(now);
      d.due_at = p.due_at;
      payload.add("code", d.code).add("due_at", time_text(*p.due_at));
      payload.add("components", static_cast<std::int64_t>(d.components.size()));
      break;
    }
    case Action::kRequestSupplement: {
      if (p.missing.empty()) {
        return bad("missing", "Phải nêu rõ từng thành phần hồ sơ cần bổ sung.",
                   "Every missing item must be listed.");
      }
      for (const std::string& m : p.missing) {
        if (text::blank(m)) {
          return bad("missing", "Mỗi mục cần bổ sung phải có nội dung.",
                     "Each missing item must say what is missing.");
        }
      }
      d.resume_state = d.state;
      d.supplements.push_back(SupplementRequest{now, actor.user_id, p.missing, p.note,
                                                d.received_at.has_value(), std::nullopt});
      payload.add("missing", p.missing).add("clock_stopped", d.received_at.has_value());
      break;
    }
    case Action::kSupplement: {
      if (d.supplements.empty() || d.supplements.back().answered_at) {
        return conflict("Hồ sơ không có yêu cầu bổ sung nào đang chờ.",
                        "The dossier has no open supplement request.");
      }
      if (p.components.empty()) {
        return bad("components", "Chưa có thành phần hồ sơ bổ sung nào.",
                   "No supplementary component is given.");
      }
      std::vector<std::string> ids;
      for (const ComponentProvided& c : p.components) {
        d.components.push_back(c);
        ids.push_back(c.component_id);
      }
      d.supplements.back().answered_at = now;
      // Digitised stays as it was at receipt, as the service index counts it:
      // a paper brought weeks later does not change a closed period's rate.
      payload.add("components", ids);
      break;
    }
    case Action::kRefuse: {
      if (auto r = require_note(p, "lý do từ chối", "reason for the refusal"); !r) return r.error();
      d.refusal_reason = p.note;
      if (d.received_at) d.finished_at = now;
      if (!d.supplements.empty() && !d.supplements.back().answered_at) {
        d.supplements.back().answered_at = now;  // the wait ends with the refusal
      }
      break;
    }
    case Action::kForward: {
      if (p.target_unit.empty()) {
        return bad("target_unit", "Chưa chọn đơn vị chuyển đến.", "No target unit is given.");
      }
      if (p.target_unit == d.competent_unit) {
        return bad("target_unit", "Đơn vị chuyển đến trùng với đơn vị đang giải quyết.",
                   "The target unit is the unit already handling the dossier.");
      }
      payload.add("from_unit", d.competent_unit).add("to_unit", p.target_unit);
      // The desk stays: a dossier stored without one keeps the unit it leaves
      // (its receipt is counted there).
      d.receiving_unit = d.desk_unit();
      d.competent_unit = p.target_unit;
      d.assignee.clear();
      break;
    }
    case Action::kAssign: {
      if (p.assignee.empty()) {
        return bad("assignee", "Chưa chọn chuyên viên xử lý.", "No specialist is given.");
      }
      d.assignee = p.assignee;
      payload.add("assignee", p.assignee);
      break;
    }
    case Action::kPropose:
    case Action::kApprove:
      break;
    case Action::kSendBack: {
      if (auto r = require_note(p, "lý do trả lại", "reason for sending it back"); !r) {
        return r.error();
      }
      break;
    }
    case Action::kIssueResult: {
      if (!p.result || text::blank(p.result->number)) {
        return bad("result.number", "Chưa có số của kết quả giải quyết.",
                   "The result's number is missing.");
      }
      if (p.result->form == ResultForm::kElectronic && p.result->file_ref.empty()) {
        return bad("result.file_ref", "Kết quả điện tử phải có tệp kết quả.",
                   "An electronic result needs its file.");
      }
      DossierResult r = *p.result;
      r.issued_at = now;
      r.delivery.reset();
      r.tracking_number.clear();
      r.delivered_at.reset();
      d.result = std::move(r);
      d.finished_at = now;
      payload.add("number", d.result->number)
          .add("form", result_form_name(d.result->form))
          .add("file_ref", d.result->file_ref);
      break;
    }
    case Action::kReturnResult: {
      if (!p.delivery) {
        return bad("delivery", "Chưa chọn hình thức trả kết quả.",
                   "The way the result is delivered is missing.");
      }
      if (*p.delivery == Delivery::kPost && text::blank(p.tracking_number)) {
        return bad("tracking_number", "Trả kết quả qua bưu chính phải có mã vận đơn bưu chính.",
                   "A result sent by post needs its tracking number.");
      }
      if (facts_refuse(d, Action::kReturnResult)) {
        return conflict("Hồ sơ chưa có kết quả để trả.", "The dossier has no result to return.");
      }
      if (*p.delivery == Delivery::kElectronic && d.result->form != ResultForm::kElectronic) {
        return bad("delivery", "Kết quả bản giấy không thể trả bằng hình thức điện tử.",
                   "A paper result cannot be delivered electronically.");
      }
      d.result->delivery = p.delivery;
      d.result->tracking_number = p.tracking_number;
      d.result->delivered_at = now;
      d.returned_at = now;
      payload.add("delivery", delivery_name(*p.delivery));
      if (!p.tracking_number.empty()) payload.add("tracking_number", p.tracking_number);
      break;
    }
    case Action::kWithdraw: {
      if (auto r = require_note(p, "lý do rút hồ sơ", "reason for the withdrawal"); !r) {
        return r.error();
      }
      d.withdrawal_reason = p.note;
      if (!d.supplements.empty() && !d.supplements.back().answered_at) {
        d.supplements.back().answered_at = now;
      }
      break;
    }
    case Action::kApologise: {
      if (facts_refuse(d, Action::kApologise)) {
        return conflict("Hồ sơ chưa được tiếp nhận nên chưa có hẹn trả để xin lỗi và hẹn lại.",
                        "The dossier is not received yet, so it has no appointment to move.");
      }
      // Waiting for the applicant moved the promise on: the new date is
      // compared with, and recorded as replacing, the moved one.
      Instant current = *d.appointment();
      if (p.appointment_now && *p.appointment_now > current) current = *p.appointment_now;
      if (auto r = require_note(p, "lý do chậm trễ", "reason for the delay"); !r) return r.error();
      if (!p.new_due_at || *p.new_due_at <= current || *p.new_due_at <= now) {
        return bad("new_due_at",
                   "Ngày hẹn mới phải sau ngày hẹn hiện tại " + time_text(current) +
                       " và sau thời điểm hiện tại.",
                   "The new appointment must be after the current one, " + time_text(current) +
                       ", and after now.");
      }
      // A promise within a year (kMaxPromise).
      if (p.new_due_at->epoch_seconds > now.epoch_seconds + kMaxPromise) {
        return bad("new_due_at", "Ngày hẹn mới phải trong vòng một năm kể từ hôm nay.",
                   "The new appointment must be within a year from today.");
      }
      if (p.letter_ref.empty()) {
        return bad("letter_ref", "Phải đính kèm Phiếu xin lỗi và hẹn lại ngày trả kết quả.",
                   "The apology letter must be attached.");
      }
      d.apologies.push_back(
          Apology{now, actor.user_id, p.note, current, *p.new_due_at, p.letter_ref});
      payload.add("previous_due", time_text(current))
          .add("new_due", time_text(*p.new_due_at))
          .add("letter_ref", p.letter_ref);
      break;
    }
    case Action::kRate: {
      if (facts_refuse(d, Action::kRate)) {
        return conflict("Hồ sơ đã được đánh giá.", "The dossier has already been rated.");
      }
      if (!p.score || *p.score < 1 || *p.score > 5) {
        return bad("score", "Điểm đánh giá phải từ 1 đến 5.", "The score must be 1 to 5.");
      }
      d.rating = Rating{*p.score, p.note, now};
      payload.add("score", *p.score);
      break;
    }
    case Action::kPay: {
      if (facts_refuse(d, Action::kPay)) return nothing_due();
      if (text::blank(p.receipt)) {
        return bad("receipt", "Phải ghi số biên lai thu phí, lệ phí.",
                   "The receipt's number must be given.");
      }
      const std::int64_t paid = settle_fees(d, false, now, p.receipt);
      payload.add("amount_vnd", paid).add("receipt", p.receipt);
      break;
    }
    case Action::kPayOnline: {
      if (facts_refuse(d, Action::kPayOnline)) return nothing_due();
      if (text::blank(p.receipt)) {
        return bad("transaction", "Thiếu mã giao dịch của nền tảng thanh toán.",
                   "The payment platform's transaction is missing.");
      }
      const std::int64_t due = d.unpaid_vnd();
      if (!p.amount_vnd || *p.amount_vnd != due) {
        const std::string said = p.amount_vnd ? std::to_string(*p.amount_vnd) : "không rõ";
        return conflict("Số tiền đã thanh toán (" + said + " đồng) khác số phí, lệ phí phải nộp (" +
                            std::to_string(due) + " đồng).",
                        "The amount paid (" +
                            (p.amount_vnd ? std::to_string(*p.amount_vnd) : "none") +
                            " VND) is not the fees due (" + std::to_string(due) + " VND).",
                        "amount_vnd");
      }
      settle_fees(d, true, now, p.receipt);
      payload.add("amount_vnd", due).add("transaction", p.receipt);
      break;
    }
  }
  return payload.str();
}

}  // namespace

std::span<const Rule> rules() { return kRules; }

bool applies(const Rule& rule, const Dossier& dossier) {
  if (!(rule.from & bit(dossier.state))) return false;
  switch (rule.receipt) {
    case Receipt::kAny:
      return true;
    case Receipt::kBefore:
      return !dossier.received_at;
    case Receipt::kAfter:
      return dossier.received_at.has_value();
  }
  return true;
}

const char* role_name(Role r) {
  for (const auto& [v, n] : kRoleNames) {
    if (v == r) return n;
  }
  return "unknown";
}

std::optional<Role> parse_role(std::string_view name) {
  for (const auto& [v, n] : kRoleNames) {
    if (name == n) return v;
  }
  return std::nullopt;
}

const char* role_label_vi(Role r) {
  for (const auto& [v, n] : kRoleLabelsVi) {
    if (v == r) return n;
  }
  return "unknown";
}

const char* action_name(Action a) {
  for (const auto& [v, n] : kActionNames) {
    if (v == a) return n;
  }
  return "unknown";
}

std::optional<Action> parse_action(std::string_view name) {
  for (const auto& [v, n] : kActionNames) {
    if (name == n) return v;
  }
  return std::nullopt;
}

const char* action_label_vi(Action a) {
  for (const auto& [v, n] : kActionLabelsVi) {
    if (v == a) return n;
  }
  return "unknown";
}

std::vector<Action> allowed_actions(State state, Role role) {
  std::vector<Action> out;
  for (const Action a : kAllActions) {
    for (const Rule& r : kRules) {
      if (r.action == a && (r.from & bit(state)) && (r.roles & bit(role))) {
        out.push_back(a);
        break;
      }
    }
  }
  return out;
}

bool has_row(Action action, Role role, const Dossier& dossier) {
  return std::ranges::any_of(kRules, [&](const Rule& r) {
    return r.action == action && (r.roles & bit(role)) && applies(r, dossier);
  });
}

std::vector<Action> allowed_actions(const Dossier& dossier, Role role) {
  std::vector<Action> out;
  for (const Action a : kAllActions) {
    if (!facts_refuse(dossier, a) && has_row(a, role, dossier)) out.push_back(a);
  }
  return out;
}

std::vector<Action> allowed_actions(const Dossier& dossier, const Actor& actor) {
  std::vector<Action> out = allowed_actions(dossier, actor.role);
  std::erase_if(out, [&](Action a) {
    for (const Rule& r : kRules) {
      if (r.action == a && (r.roles & bit(actor.role)) && applies(r, dossier) &&
          check_scope(dossier, r, actor)) {
        return false;
      }
    }
    return true;
  });
  return out;
}

Result<Transition> apply(const Dossier& dossier, Action action, const Actor& actor, Instant now,
                         const ActionPayload& payload) {
  Dossier after = dossier;
  auto event = apply_in_place(after, action, actor, now, payload);
  if (!event) return event.error();
  const State to = after.state;
  return Transition{dossier.state, to, std::move(after), std::move(*event)};
}

namespace {

// The row by which `actor` takes `action` on the dossier as it stands, or
// the 409 or 403 saying why there is none.
Result<const Rule*> rule_for(const Dossier& dossier, Action action, const Actor& actor) {
  const State from = dossier.state;
  const Rule* in_state = nullptr;
  const Rule* rule = nullptr;
  std::uint32_t roles_in_state = 0;
  for (const Rule& r : kRules) {
    if (r.action != action || !applies(r, dossier)) continue;
    in_state = &r;
    roles_in_state |= r.roles;
    if ((r.roles & bit(actor.role)) && !rule) rule = &r;
  }
  if (!in_state) {
    // What this actor may do instead, on this dossier: an action its facts
    // or the actor's scope refuse would only be refused in turn. The English
    // names them by their stable names (clients read them), the Vietnamese
    // by the words the officer sees on the page; some of those hold a comma,
    // so the Vietnamese list is separated by semicolons.
    std::vector<std::string> names;
    std::vector<std::string> labels;
    for (const Action a : allowed_actions(dossier, actor)) {
      names.emplace_back(action_name(a));
      labels.emplace_back(action_label_vi(a));
    }
    const std::string state = quoted(state_name(from));
    const std::string list = join(names, ", ");
    return conflict("Không thể thực hiện " + quoted(action_label_vi(action)) +
                        " khi hồ sơ ở trạng thái " + quoted(state_label_vi(from)) + ". " +
                        (labels.empty() ? "Vai trò " + quoted(role_label_vi(actor.role)) +
                                              " không có thao tác nào ở trạng thái này."
                                        : "Các thao tác được phép: " + join(labels, "; ") + "."),
                    "The action " + quoted(action_name(action)) +
                        " is not allowed when the dossier is " + state + ". " +
                        (names.empty() ? "No action is allowed to the role " +
                                             quoted(role_name(actor.role)) + " in this state."
                                       : "Allowed: " + list + "."),
                    "action");
  }
  if (!rule) {
    std::vector<std::string> names;
    std::vector<std::string> labels;
    for (const Role r : kAllRoles) {
      if (roles_in_state & bit(r)) {
        names.emplace_back(role_name(r));
        labels.emplace_back(role_label_vi(r));
      }
    }
    return forbidden("Vai trò " + quoted(role_label_vi(actor.role)) + " không được thực hiện " +
                         quoted(action_label_vi(action)) + "; chỉ: " + join(labels, ", ") + ".",
                     "The role " + quoted(role_name(actor.role)) + " may not " +
                         quoted(action_name(action)) + "; only: " + join(names, ", ") + ".");
  }
  if (auto r = check_scope(dossier, *rule, actor); !r) return r.error();
  return rule;
}

}  // namespace

Result<void> may_act(const Dossier& dossier, Action action, const Actor& actor) {
  auto rule = rule_for(dossier, action, actor);
  if (!rule) return rule.error();
  return ok();
}

Result<Event> apply_in_place(Dossier& dossier, Action action, const Actor& actor, Instant now,
                             const ActionPayload& payload) {
  const State from = dossier.state;
  auto found = rule_for(dossier, action, actor);
  if (!found) return found.error();
  const Rule* rule = *found;

  const State resume = dossier.resume_state;  // as it was before the action
  Dossier& after = dossier;
  auto payload_json = perform(after, action, actor, now, payload);
  if (!payload_json) return payload_json.error();
  switch (rule->target) {
    case Target::kState:
      after.state = rule->to;
      break;
    case Target::kSame:
      break;
    case Target::kResume:
      after.state = resume;
      break;
  }

  Event e;
  e.dossier_id = after.id;
  e.dossier_code = after.code;
  e.at = now;
  e.actor_user_id = actor.user_id;
  e.actor_role = role_name(actor.role);
  e.actor_unit = actor.unit_code;
  e.action = action_name(action);
  e.from_state = state_name(from);
  e.to_state = state_name(after.state);
  e.note = payload.note;
  e.payload_json = std::move(*payload_json);
  return e;
}

Result<std::vector<Transition>> submit_bundle(std::span<const Dossier> dossiers, const Actor& actor,
                                              Instant now) {
  if (dossiers.size() < 2) {
    return bad("dossiers", "Hồ sơ liên thông phải gồm ít nhất hai thủ tục.",
               "A bundle must open at least two procedures.");
  }
  std::vector<Transition> out;
  for (std::size_t i = 0; i < dossiers.size(); ++i) {
    const Dossier& d = dossiers[i];
    const std::string where = "dossiers[" + std::to_string(i) + "]";
    if (d.bundle_id.empty() || d.bundle_id != dossiers[0].bundle_id) {
      return bad(where + ".bundle_id", "Các hồ sơ liên thông phải cùng một mã liên thông.",
                 "The dossiers of a bundle must share one bundle id.");
    }
    if (d.applicant_user_id != dossiers[0].applicant_user_id) {
      return bad(where + ".applicant_user_id", "Các hồ sơ liên thông phải do cùng một người nộp.",
                 "The dossiers of a bundle must have the same applicant account.");
    }
    auto t = apply(d, Action::kSubmit, actor, now);
    if (!t) {
      Error e = t.error();
      e.message_vi = "Hồ sơ thứ " + std::to_string(i + 1) + ": " + e.message_vi;
      e.message_en = "Dossier " + std::to_string(i + 1) + ": " + e.message_en;
      e.param = e.param.empty() ? where : where + "." + e.param;
      return e;
    }
    out.push_back(std::move(t).value());
  }
  return out;
}

}  // namespace motcua::dossier
