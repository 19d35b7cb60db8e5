// The one-stop state machine: every action in every state for every role,
// allowed or refused (409 listing what is allowed, 403 naming who may), the
// unit and owner rules, payload checks naming the field, a whole dossier's
// life chained into a verifiable log, and bundle submission.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "domain/dossier/state_machine.hpp"

namespace motcua::dossier {
namespace {

using calendar::make_instant;

const Instant kNow = make_instant({2025, 7, 8}, 9, 0);  // a Tuesday
constexpr const char* kUnit = "00004";                  // Phường Ba Đình
constexpr const char* kOtherUnit = "00007";
constexpr const char* kOwner = "u-citizen";
constexpr const char* kSpecialist = "u-specialist";

std::vector<RequiredComponent> required() {
  return {{"to_khai", "Tờ khai", Requirement::kMandatory, RequiredForm::kOriginal, 1},
          {"giay_to", "Giấy tờ chứng minh", Requirement::kMandatory, RequiredForm::kCopy, 1}};
}

DossierResult result(const char* number, const char* file_ref, ResultForm form,
                     Instant issued_at = {}) {
  DossierResult r;
  r.number = number;
  r.file_ref = file_ref;
  r.form = form;
  r.issued_at = issued_at;
  return r;
}

Dossier draft() {
  Dossier d;
  d.id = "d-1";
  d.procedure_code = "1.001193";
  d.procedure_version = "2025-07-01";
  d.receiving_unit = kUnit;
  d.competent_unit = kUnit;
  d.channel = Channel::kOnline;
  d.applicant = Applicant{ApplicantKind::kPerson,
                          "Nguyễn Thị Lan",
                          "001190012345",
                          "",
                          "0912345678",
                          "lan@gmail.com",
                          "Số 5 Đội Cấn, Ba Đình, Hà Nội"};
  d.applicant_user_id = kOwner;
  d.form_data_json = "{}";
  d.components = {{"to_khai", ProvidedForm::kElectronicOriginal, "file:1", 1},
                  {"giay_to", ProvidedForm::kUploadedFile, "file:2", 1}};
  d.fees = {{"Lệ phí", 8000, false, false, std::nullopt, ""}};
  d.created_at = make_instant({2025, 7, 7}, 8, 0);
  return d;
}

// A consistent dossier in each state: received states have a code and a due
// time, processing states an assignee, waiting_supplement an open request.
Dossier dossier_in(State s) {
  Dossier d = draft();
  d.state = s;
  if (s == State::kDraft) return d;
  d.submitted_at = make_instant({2025, 7, 7}, 8, 30);
  if (s == State::kSubmitted) return d;
  d.code = "H29.01.05-250707-0003";
  d.received_at = make_instant({2025, 7, 7}, 10, 0);
  d.clock_start = make_instant({2025, 7, 7}, 17, 0);
  d.due_at = make_instant({2025, 7, 10}, 17, 0);
  if (s == State::kWithdrawn) {
    d.withdrawal_reason = "Không còn nhu cầu";
    return d;
  }
  if (s == State::kReceived) return d;
  d.assignee = kSpecialist;
  if (s == State::kWaitingSupplement) {
    d.resume_state = State::kInProgress;
    d.supplements.push_back({make_instant({2025, 7, 8}, 8, 0),
                             kSpecialist,
                             {"Bản sao giấy khai sinh"},
                             "",
                             true,
                             std::nullopt});
    return d;
  }
  if (s == State::kRefused) {
    d.refusal_reason = "Không đủ điều kiện";
    d.finished_at = make_instant({2025, 7, 8}, 8, 0);
    return d;
  }
  if (s == State::kInProgress || s == State::kProposed || s == State::kApproved) return d;
  d.result =
      result("123/QĐ-UBND", "file:kq", ResultForm::kElectronic, make_instant({2025, 7, 8}, 8, 0));
  d.finished_at = d.result->issued_at;
  if (s == State::kResultIssued) return d;
  d.result->delivery = Delivery::kCounter;
  d.result->delivered_at = make_instant({2025, 7, 8}, 8, 30);
  d.returned_at = d.result->delivered_at;
  return d;  // returned
}

// An actor of each role, in the scope of dossier_in()'s dossiers.
Actor actor(Role r) {
  switch (r) {
    case Role::kCitizen:
      return {kOwner, r, ""};
    case Role::kSpecialist:
      return {kSpecialist, r, kUnit};
    default:
      return {std::string("u-") + role_name(r), r, kUnit};
  }
}

// A valid payload for each action.
ActionPayload payload(Action a) {
  ActionPayload p;
  switch (a) {
    case Action::kReceive:
      p.code = "H29.01.05-250708-0001";
      p.due_at = make_instant({2025, 7, 11}, 17, 0);
      p.required = required();
      break;
    case Action::kRequestSupplement:
      p.missing = {"Bản sao giấy khai sinh"};
      break;
    case Action::kSupplement:
      p.components = {{"giay_to", ProvidedForm::kUploadedFile, "file:3", 1}};
      break;
    case Action::kRefuse:
      p.note = "Không thuộc thẩm quyền";
      break;
    case Action::kForward:
      p.target_unit = kOtherUnit;
      break;
    case Action::kAssign:
      p.assignee = "u-specialist-2";
      break;
    case Action::kSendBack:
      p.note = "Cần xác minh thêm";
      break;
    case Action::kIssueResult:
      p.result = result("45/GCN", "file:kq", ResultForm::kElectronic);
      break;
    case Action::kReturnResult:
      p.delivery = Delivery::kCounter;
      break;
    case Action::kWithdraw:
      p.note = "Không còn nhu cầu";
      break;
    case Action::kApologise:
      p.note = "Chờ kết quả xác minh của cơ quan khác";
      p.new_due_at = make_instant({2025, 7, 15}, 17, 0);
      p.letter_ref = "file:xin-loi";
      break;
    case Action::kRate:
      p.score = 5;
      break;
    case Action::kPay:
      p.receipt = "BL-0042";
      break;
    case Action::kPayOnline:
      p.receipt = "GD-20250708-77";
      p.amount_vnd = 8000;  // dossier_in's fee
      break;
    default:
      break;
  }
  return p;
}

// The expected table, written out apart from the implementation's:
// "action: from states -> to : roles" (to "=" unchanged, "<" the state left).
const char* const kExpected = R"(
submit: draft -> submitted : citizen
receive: draft submitted -> received : receiving_officer postal_agent
request_supplement: draft submitted -> waiting_supplement : receiving_officer postal_agent
request_supplement: in_progress -> waiting_supplement : specialist
supplement: waiting_supplement -> < : citizen receiving_officer postal_agent
refuse: draft submitted -> refused : receiving_officer
refuse: received waiting_supplement in_progress proposed -> refused : leader
forward: received in_progress -> received : leader
assign: received in_progress -> in_progress : leader
propose: in_progress -> proposed : specialist
approve: proposed -> approved : leader
send_back: proposed -> in_progress : leader
issue_result: approved -> result_issued : specialist leader
return_result: result_issued -> returned : receiving_officer postal_agent
withdraw: submitted received waiting_supplement in_progress proposed -> withdrawn : citizen receiving_officer
withdraw: draft -> withdrawn : receiving_officer postal_agent
apologise: received waiting_supplement in_progress proposed approved -> = : leader
rate: returned refused -> = : citizen
pay: received waiting_supplement in_progress proposed approved result_issued returned -> = : receiving_officer postal_agent
pay_online: submitted received waiting_supplement in_progress proposed approved result_issued returned withdrawn refused -> = : payment_platform
)";

struct Expected {
  std::map<std::string, std::string> to;  // "action/state/role" -> to
  std::set<std::string> action_in_state;  // "action/state", for any role
};

Expected expected() {
  Expected e;
  std::istringstream in(kExpected);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto colon = line.find(':');
    const auto arrow = line.find("->");
    const auto roles_at = line.find(" : ");
    const std::string action = line.substr(0, colon);
    std::istringstream froms(line.substr(colon + 1, arrow - colon - 1));
    const std::string to = line.substr(arrow + 3, roles_at - arrow - 3);
    std::vector<std::string> roles;
    std::istringstream rs(line.substr(roles_at + 3));
    for (std::string r; rs >> r;) roles.push_back(r);
    for (std::string s; froms >> s;) {
      e.action_in_state.insert(action + "/" + s);
      for (const auto& r : roles) e.to[action + "/" + s + "/" + r] = to;
    }
  }
  return e;
}

// The actions the table allows `r` in `s`, as a message lists them: by
// `name`, joined by `sep`.
std::string listed_as(const Expected& e, State s, Role r, const char* (*name)(Action),
                      const char* sep) {
  std::string out;
  for (const Action a : kAllActions) {
    if (e.to.contains(std::string(action_name(a)) + "/" + state_name(s) + "/" + role_name(r))) {
      out += (out.empty() ? "" : sep) + std::string(name(a));
    }
  }
  return out;
}

std::string allowed_list(const Expected& e, State s, Role r) {
  return listed_as(e, s, r, action_name, ", ");
}

// The same list as the Vietnamese message gives it: the actions' Vietnamese
// labels, separated by semicolons (a label may hold a comma).
std::string allowed_list_vi(const Expected& e, State s, Role r) {
  return listed_as(e, s, r, action_label_vi, "; ");
}

// The Vietnamese value of `key` in the web app's catalogue (the vi
// dictionary, before the en one), or "" if it has none.
std::string web_vi_label(const std::string& text, const std::string& key) {
  const std::size_t en_at = text.find("\nconst en");
  const std::string start = "\n  '" + key + "': '";
  const std::size_t at = text.find(start);
  if (at == std::string::npos || at > en_at) return "";
  const std::size_t from = at + start.size();
  const std::size_t end = text.find("',", from);
  return end == std::string::npos ? "" : text.substr(from, end - from);
}

TEST(StateMachineTest, NamesAreStableAndParse) {
  EXPECT_EQ(std::size(kAllStates), 11u);
  for (const State s : kAllStates) EXPECT_EQ(parse_state(state_name(s)), s);
  for (const Role r : kAllRoles) EXPECT_EQ(parse_role(role_name(r)), r);
  for (const Action a : kAllActions) EXPECT_EQ(parse_action(action_name(a)), a);
  EXPECT_FALSE(parse_state("Received").has_value());
  EXPECT_FALSE(parse_role("admin").has_value());
  EXPECT_FALSE(parse_action("delete").has_value());
  EXPECT_STREQ(state_name(State::kWaitingSupplement), "waiting_supplement");
  EXPECT_STREQ(role_name(Role::kProvinceSupervisor), "province_supervisor");
  EXPECT_STREQ(action_name(Action::kReturnResult), "return_result");
  EXPECT_EQ(parse_channel("national_portal"), Channel::kNationalPortal);
  EXPECT_EQ(parse_delivery("post"), Delivery::kPost);
}

TEST(StateMachineTest, EveryActionInEveryStateForEveryRole) {
  const Expected e = expected();
  int allowed = 0;
  int refused = 0;
  for (const State s : kAllStates) {
    for (const Role r : kAllRoles) {
      // allowed_actions agrees with the expected table.
      std::string listed;
      for (const Action a : allowed_actions(dossier_in(s), r)) {
        listed += (listed.empty() ? "" : ", ") + std::string(action_name(a));
      }
      EXPECT_EQ(listed, allowed_list(e, s, r)) << state_name(s) << " " << role_name(r);

      for (const Action a : kAllActions) {
        const std::string key = std::string(action_name(a)) + "/" + state_name(s);
        const std::string where = key + "/" + role_name(r);
        const Dossier before = dossier_in(s);
        auto t = apply(before, a, actor(r), kNow, payload(a));
        const auto it = e.to.find(where);
        if (it != e.to.end()) {
          ++allowed;
          ASSERT_TRUE(t.ok()) << where << ": " << t.error().message_en;
          const std::string to = it->second == "="   ? state_name(s)
                                 : it->second == "<" ? state_name(before.resume_state)
                                                     : it->second;
          EXPECT_EQ(state_name(t->to), to) << where;
          EXPECT_EQ(t->from, s) << where;
          EXPECT_EQ(t->dossier.state, t->to) << where;
          EXPECT_EQ(t->event.action, action_name(a));
          EXPECT_EQ(t->event.from_state, state_name(s));
          EXPECT_EQ(t->event.to_state, to);
          EXPECT_EQ(t->event.actor_role, role_name(r));
          EXPECT_EQ(t->event.at, kNow);
          EXPECT_EQ(t->event.dossier_id, "d-1");
          continue;
        }
        ++refused;
        ASSERT_FALSE(t.ok()) << where;
        if (!e.action_in_state.contains(key)) {
          EXPECT_EQ(t.error().kind, ErrorKind::kConflict) << where;
          EXPECT_EQ(t.error().param, "action");
          const std::string list = allowed_list(e, s, r);
          const std::string tail = list.empty()
                                       ? "No action is allowed to the role \"" +
                                             std::string(role_name(r)) + "\" in this state."
                                       : "Allowed: " + list + ".";
          EXPECT_EQ(t.error().message_en, "The action \"" + std::string(action_name(a)) +
                                              "\" is not allowed when the dossier is \"" +
                                              state_name(s) + "\". " + tail)
              << where;
          // The Vietnamese names the action, the state and what is allowed
          // in the words of the page, not by their stable names.
          const std::string list_vi = allowed_list_vi(e, s, r);
          const std::string tail_vi = list_vi.empty()
                                          ? "Vai trò \"" + std::string(role_label_vi(r)) +
                                                "\" không có thao tác nào ở trạng thái này."
                                          : "Các thao tác được phép: " + list_vi + ".";
          EXPECT_EQ(t.error().message_vi,
                    "Không thể thực hiện \"" + std::string(action_label_vi(a)) +
                        "\" khi hồ sơ ở trạng thái \"" + state_label_vi(s) + "\". " + tail_vi)
              << where;
        } else {
          EXPECT_EQ(t.error().kind, ErrorKind::kForbidden) << where;
          EXPECT_NE(
              t.error().message_en.find("The role \"" + std::string(role_name(r)) + "\" may not"),
              std::string::npos)
              << where;
          EXPECT_EQ(t.error().message_vi.rfind("Vai trò \"" + std::string(role_label_vi(r)) +
                                                   "\" không được thực hiện \"" +
                                                   action_label_vi(a) + "\"; chỉ: ",
                                               0),
                    0u)
              << where;
        }
      }
    }
  }
  EXPECT_EQ(allowed + refused, 11 * 10 * 17);
  EXPECT_EQ(allowed, static_cast<int>(e.to.size()));
  EXPECT_EQ(allowed, 73);
}

TEST(StateMachineTest, ConflictListsTheActionsAllowedInTheState) {
  auto t = apply(dossier_in(State::kReceived), Action::kApprove, actor(Role::kLeader), kNow,
                 payload(Action::kApprove));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(t.error().message_en,
            "The action \"approve\" is not allowed when the dossier is \"received\". Allowed: "
            "refuse, forward, assign, apologise.");
  // The Vietnamese, for the officer: the page's words for the action, the
  // state and the actions allowed, never the stable names.
  EXPECT_EQ(t.error().message_vi,
            "Không thể thực hiện \"Phê duyệt\" khi hồ sơ ở trạng thái \"Đã tiếp nhận\". Các thao "
            "tác được phép: Từ chối; Chuyển đơn vị khác; Giao chuyên viên; Xin lỗi, hẹn lại.");
  auto f = apply(dossier_in(State::kProposed), Action::kApprove, actor(Role::kSpecialist), kNow);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(f.error().message_en, "The role \"specialist\" may not \"approve\"; only: leader.");
  EXPECT_EQ(f.error().message_vi,
            "Vai trò \"Chuyên viên\" không được thực hiện \"Phê duyệt\"; chỉ: Lãnh đạo.");
  // A role with nothing to do in the state is named in Vietnamese too.
  auto n = apply(dossier_in(State::kReturned), Action::kApprove, actor(Role::kSpecialist), kNow);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(n.error().message_vi,
            "Không thể thực hiện \"Phê duyệt\" khi hồ sơ ở trạng thái \"Đã trả kết quả\". Vai "
            "trò \"Chuyên viên\" không có thao tác nào ở trạng thái này.");
}

TEST(StateMachineTest, EveryActionStateAndRoleHasTheWebAppsVietnameseLabel) {
  std::ifstream in(std::string(MOTCUA_SOURCE_DIR) + "/web/src/i18n.ts");
  ASSERT_TRUE(in) << "web/src/i18n.ts";
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string web = buffer.str();
  std::set<std::string> seen;
  const auto check = [&](const char* prefix, const char* name, const char* label) {
    const std::string key = std::string(prefix) + name;
    EXPECT_STRNE(label, "unknown") << key;
    EXPECT_STRNE(label, "") << key;
    EXPECT_STRNE(label, name) << key;
    EXPECT_EQ(web_vi_label(web, key), label) << key;
    EXPECT_TRUE(seen.insert(std::string(prefix) + label).second) << key << ": label used twice";
  };
  for (const Action a : kAllActions) check("action.", action_name(a), action_label_vi(a));
  for (const State s : kAllStates) check("state.", state_name(s), state_label_vi(s));
  for (const Role r : kAllRoles) check("role.", role_name(r), role_label_vi(r));
  EXPECT_STREQ(action_label_vi(Action::kRequestSupplement), "Yêu cầu bổ sung");
  EXPECT_STREQ(state_label_vi(State::kInProgress), "Đang giải quyết");
  EXPECT_STREQ(role_label_vi(Role::kReceivingOfficer), "Cán bộ tiếp nhận");
}

TEST(StateMachineTest, ActorsOutsideTheScopeAreForbidden) {
  // A desk officer of another commune.
  auto t = apply(dossier_in(State::kSubmitted), Action::kReceive,
                 {"u-x", Role::kReceivingOfficer, kOtherUnit}, kNow, payload(Action::kReceive));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(t.error().message_en,
            "The dossier's receiving unit is \"00004\", not your unit \"00007\".");
  // A leader of another unit.
  t = apply(dossier_in(State::kProposed), Action::kApprove, {"u-y", Role::kLeader, kOtherUnit},
            kNow);
  EXPECT_EQ(t.error().kind, ErrorKind::kForbidden);
  // A specialist of the unit who is not the assignee.
  t = apply(dossier_in(State::kInProgress), Action::kPropose, {"u-other", Role::kSpecialist, kUnit},
            kNow);
  EXPECT_EQ(t.error().kind, ErrorKind::kForbidden);
  EXPECT_EQ(t.error().message_en,
            "Only the specialist the dossier is assigned to may take this action.");
  // Another citizen.
  t = apply(dossier_in(State::kDraft), Action::kSubmit, {"u-someone", Role::kCitizen, ""}, kNow);
  EXPECT_EQ(t.error().kind, ErrorKind::kForbidden);
  // A counter dossier has no owner account: no citizen acts on it.
  Dossier counter = dossier_in(State::kWaitingSupplement);
  counter.applicant_user_id.clear();
  counter.channel = Channel::kCounter;
  t = apply(counter, Action::kSupplement, {"", Role::kCitizen, ""}, kNow,
            payload(Action::kSupplement));
  EXPECT_EQ(t.error().kind, ErrorKind::kForbidden);
  EXPECT_TRUE(apply(counter, Action::kSupplement, actor(Role::kReceivingOfficer), kNow,
                    payload(Action::kSupplement))
                  .ok());
}

TEST(StateMachineTest, ReceivedAnywhereInTheProvinceAndRouted) {
  // Filed at the counter of commune 00007 for a procedure of 00004.
  Dossier d = dossier_in(State::kDraft);
  d.channel = Channel::kCounter;
  d.applicant_user_id.clear();
  d.receiving_unit = kOtherUnit;
  d.province_wide = true;
  const Actor desk_b{"u-desk-b", Role::kReceivingOfficer, kOtherUnit};
  ActionPayload p = payload(Action::kReceive);
  p.code = "H29.01.07-250708-0001";

  // The competent unit's own desk is not the desk of this dossier.
  auto wrong = apply(d, Action::kReceive, actor(Role::kReceivingOfficer), kNow, p);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind, ErrorKind::kForbidden);

  auto received = apply(d, Action::kReceive, desk_b, kNow, p);
  ASSERT_TRUE(received.ok()) << received.error().message_en;
  EXPECT_EQ(received->dossier.receiving_unit, kOtherUnit);
  EXPECT_EQ(received->dossier.competent_unit, kUnit);

  // Without the mark the two units must be the same.
  Dossier unmarked = d;
  unmarked.province_wide = false;
  auto refused = apply(unmarked, Action::kReceive, desk_b, kNow, p);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(refused.error().param, "receiving_unit");

  // The competent unit processes it; the receiving desk returns it.
  const Actor leader_b{"u-leader-b", Role::kLeader, kOtherUnit};
  ActionPayload assign = payload(Action::kAssign);
  assign.assignee = kSpecialist;
  EXPECT_EQ(apply(received->dossier, Action::kAssign, leader_b, kNow, assign).error().kind,
            ErrorKind::kForbidden);
  auto assigned = apply(received->dossier, Action::kAssign, actor(Role::kLeader), kNow, assign);
  ASSERT_TRUE(assigned.ok());
  Dossier issued = assigned->dossier;
  issued.state = State::kResultIssued;
  issued.result = result("1/GCN", "", ResultForm::kPaper, kNow);
  EXPECT_EQ(apply(issued, Action::kReturnResult, actor(Role::kReceivingOfficer), kNow,
                  payload(Action::kReturnResult))
                .error()
                .kind,
            ErrorKind::kForbidden);
  EXPECT_TRUE(
      apply(issued, Action::kReturnResult, desk_b, kNow, payload(Action::kReturnResult)).ok());
}

TEST(StateMachineTest, ReceiptChecksCompletenessAndNamesWhatIsMissing) {
  Dossier d = dossier_in(State::kSubmitted);
  d.components = {{"to_khai", ProvidedForm::kUploadedFile, "file:1", 1}};
  auto t =
      apply(d, Action::kReceive, actor(Role::kReceivingOfficer), kNow, payload(Action::kReceive));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(t.error().param, "components");
  EXPECT_EQ(t.error().message_en,
            "The dossier is incomplete; ask for supplements: Tờ khai: the original is required; "
            "Giấy tờ chứng minh: not provided.");
  // The papers seen at the counter complete it.
  ActionPayload p = payload(Action::kReceive);
  p.components = {{"to_khai", ProvidedForm::kPaperOriginal, "", 1},
                  {"giay_to", ProvidedForm::kPaperCopy, "", 1}};
  auto ok = apply(d, Action::kReceive, actor(Role::kReceivingOfficer), kNow, p);
  ASSERT_TRUE(ok.ok()) << ok.error().message_en;
  EXPECT_EQ(ok->dossier.components.size(), 3u);
  EXPECT_EQ(ok->dossier.code, "H29.01.05-250708-0001");
  EXPECT_EQ(ok->dossier.received_at, kNow);
  EXPECT_EQ(ok->dossier.clock_start, kNow);
  EXPECT_EQ(ok->dossier.due_at, make_instant({2025, 7, 11}, 17, 0));
  EXPECT_EQ(ok->event.dossier_code, "H29.01.05-250708-0001");
  EXPECT_EQ(ok->event.payload_json,
            R"({"code":"H29.01.05-250708-0001","due_at":"2025-07-11T17:00:00+07:00",)"
            R"("components":3})");
}

// Each bad payload is refused with its field named, and nothing changes.
TEST(StateMachineTest, BadPayloadsNameTheField) {
  struct Case {
    State state;
    Action action;
    Role role;
    void (*edit)(ActionPayload&, Dossier&);
    ErrorKind kind;
    const char* param;
  };
  const Case cases[] = {
      {State::kDraft, Action::kSubmit, Role::kCitizen,
       [](ActionPayload&, Dossier& d) { d.applicant.id_number = "001299012345"; },
       ErrorKind::kBadRequest, "applicant.id_number"},  // born 2099
      {State::kDraft, Action::kSubmit, Role::kCitizen,
       [](ActionPayload&, Dossier& d) { d.procedure_code.clear(); }, ErrorKind::kBadRequest,
       "procedure_code"},
      {State::kSubmitted, Action::kReceive, Role::kReceivingOfficer,
       [](ActionPayload& p, Dossier&) { p.code = "H29.01.05-250708-01"; }, ErrorKind::kBadRequest,
       "code"},
      {State::kSubmitted, Action::kReceive, Role::kReceivingOfficer,
       [](ActionPayload& p, Dossier&) { p.code = "H29.01.05-250707-0001"; }, ErrorKind::kBadRequest,
       "code"},  // not today's date
      {State::kSubmitted, Action::kReceive, Role::kReceivingOfficer,
       [](ActionPayload& p, Dossier&) { p.due_at.reset(); }, ErrorKind::kBadRequest, "due_at"},
      {State::kSubmitted, Action::kReceive, Role::kReceivingOfficer,
       [](ActionPayload& p, Dossier&) { p.due_at = kNow; }, ErrorKind::kBadRequest, "due_at"},
      {State::kSubmitted, Action::kReceive, Role::kReceivingOfficer,
       [](ActionPayload& p, Dossier&) {
         p.clock_start = make_instant({2025, 7, 20}, 0, 0);
       },
       ErrorKind::kBadRequest, "clock_start"},
      {State::kSubmitted, Action::kReceive, Role::kReceivingOfficer,
       [](ActionPayload&, Dossier& d) { d.applicant.phone = "0241234567"; }, ErrorKind::kBadRequest,
       "applicant.phone"},
      {State::kInProgress, Action::kRequestSupplement, Role::kSpecialist,
       [](ActionPayload& p, Dossier&) { p.missing.clear(); }, ErrorKind::kBadRequest, "missing"},
      {State::kInProgress, Action::kRequestSupplement, Role::kSpecialist,
       [](ActionPayload& p, Dossier&) { p.missing.push_back("  "); }, ErrorKind::kBadRequest,
       "missing"},
      {State::kWaitingSupplement, Action::kSupplement, Role::kCitizen,
       [](ActionPayload& p, Dossier&) { p.components.clear(); }, ErrorKind::kBadRequest,
       "components"},
      {State::kSubmitted, Action::kRefuse, Role::kReceivingOfficer,
       [](ActionPayload& p, Dossier&) { p.note = " \n"; }, ErrorKind::kBadRequest, "note"},
      // Spaces of other kinds and invisible characters say nothing either.
      {State::kSubmitted, Action::kRefuse, Role::kReceivingOfficer,
       [](ActionPayload& p, Dossier&) { p.note = "\u3000\u200b"; }, ErrorKind::kBadRequest, "note"},
      {State::kDraft, Action::kSubmit, Role::kCitizen,
       [](ActionPayload&, Dossier& d) { d.applicant.name = "\u00a0\u202e"; },
       ErrorKind::kBadRequest, "applicant.name"},
      {State::kInProgress, Action::kRequestSupplement, Role::kSpecialist,
       [](ActionPayload& p, Dossier&) { p.missing.push_back("\u00a0"); }, ErrorKind::kBadRequest,
       "missing"},
      {State::kApproved, Action::kIssueResult, Role::kLeader,
       [](ActionPayload& p, Dossier&) { p.result->number = "\u3000"; }, ErrorKind::kBadRequest,
       "result.number"},
      {State::kResultIssued, Action::kReturnResult, Role::kPostalAgent,
       [](ActionPayload& p, Dossier&) {
         p.delivery = Delivery::kPost;
         p.tracking_number = " \u200b";
       },
       ErrorKind::kBadRequest, "tracking_number"},
      {State::kReceived, Action::kForward, Role::kLeader,
       [](ActionPayload& p, Dossier&) { p.target_unit = kUnit; }, ErrorKind::kBadRequest,
       "target_unit"},
      {State::kReceived, Action::kAssign, Role::kLeader,
       [](ActionPayload& p, Dossier&) { p.assignee.clear(); }, ErrorKind::kBadRequest, "assignee"},
      {State::kProposed, Action::kSendBack, Role::kLeader,
       [](ActionPayload& p, Dossier&) { p.note.clear(); }, ErrorKind::kBadRequest, "note"},
      {State::kApproved, Action::kIssueResult, Role::kLeader,
       [](ActionPayload& p, Dossier&) { p.result->number.clear(); }, ErrorKind::kBadRequest,
       "result.number"},
      {State::kApproved, Action::kIssueResult, Role::kLeader,
       [](ActionPayload& p, Dossier&) { p.result->file_ref.clear(); }, ErrorKind::kBadRequest,
       "result.file_ref"},
      {State::kResultIssued, Action::kReturnResult, Role::kPostalAgent,
       [](ActionPayload& p, Dossier&) { p.delivery = Delivery::kPost; }, ErrorKind::kBadRequest,
       "tracking_number"},
      {State::kResultIssued, Action::kReturnResult, Role::kReceivingOfficer,
       [](ActionPayload& p, Dossier& d) {
         p.delivery = Delivery::kElectronic;
         d.result->form = ResultForm::kPaper;
       },
       ErrorKind::kBadRequest, "delivery"},
      {State::kInProgress, Action::kWithdraw, Role::kCitizen,
       [](ActionPayload& p, Dossier&) { p.note.clear(); }, ErrorKind::kBadRequest, "note"},
      {State::kInProgress, Action::kApologise, Role::kLeader,
       [](ActionPayload& p, Dossier&) {
         p.new_due_at = make_instant({2025, 7, 10}, 17, 0);
       },
       ErrorKind::kBadRequest, "new_due_at"},
      {State::kInProgress, Action::kApologise, Role::kLeader,
       [](ActionPayload& p, Dossier&) {
         p.new_due_at = make_instant({2026, 7, 10}, 17, 0);
       },
       ErrorKind::kBadRequest, "new_due_at"},  // more than a year ahead
      {State::kInProgress, Action::kApologise, Role::kLeader,
       [](ActionPayload& p, Dossier&) {
         p.new_due_at = make_instant({9999, 12, 31}, 17, 0);
       },
       ErrorKind::kBadRequest, "new_due_at"},
      {State::kInProgress, Action::kApologise, Role::kLeader,
       [](ActionPayload& p, Dossier&) { p.letter_ref.clear(); }, ErrorKind::kBadRequest,
       "letter_ref"},
      {State::kInProgress, Action::kApologise, Role::kLeader,
       [](ActionPayload& p, Dossier&) { p.note.clear(); }, ErrorKind::kBadRequest, "note"},
      {State::kReturned, Action::kRate, Role::kCitizen,
       [](ActionPayload& p, Dossier&) { p.score = 6; }, ErrorKind::kBadRequest, "score"},
      {State::kReturned, Action::kRate, Role::kCitizen,
       [](ActionPayload& p, Dossier&) { p.score.reset(); }, ErrorKind::kBadRequest, "score"},
      {State::kReturned, Action::kRate, Role::kCitizen,
       [](ActionPayload&, Dossier& d) {
         d.rating = Rating{4, "", kNow};
       },
       ErrorKind::kConflict, ""},
  };
  for (const Case& c : cases) {
    Dossier d = dossier_in(c.state);
    ActionPayload p = payload(c.action);
    c.edit(p, d);
    const std::string where = std::string(action_name(c.action)) + " " + c.param;
    auto t = apply(d, c.action, actor(c.role), kNow, p);
    ASSERT_FALSE(t.ok()) << where;
    EXPECT_EQ(t.error().kind, c.kind) << where << ": " << t.error().message_en;
    EXPECT_EQ(t.error().param, c.param) << where;
    EXPECT_FALSE(t.error().message_vi.empty());
    EXPECT_FALSE(t.error().message_en.empty());
  }
}

// Digitised as the service index counts it: at receipt, every paper held is
// electronic or kept with its scan; a later supplement does not change it.
TEST(StateMachineTest, DigitisedWhenEveryPaperIsElectronic) {
  const auto receive = [](std::vector<ComponentProvided> held) {
    Dossier d = dossier_in(State::kSubmitted);
    d.components = std::move(held);
    auto t =
        apply(d, Action::kReceive, actor(Role::kReceivingOfficer), kNow, payload(Action::kReceive));
    EXPECT_TRUE(t.ok()) << t.error().message_en;
    return t->dossier;
  };
  // Uploads and an electronic original: digitised.
  EXPECT_TRUE(receive({{"to_khai", ProvidedForm::kElectronicOriginal, "", 1},
                       {"giay_to", ProvidedForm::kUploadedFile, "file:2", 1}})
                  .digitised);
  // A paper seen at the counter, unscanned: not; with its scan: digitised.
  const Dossier paper = receive({{"to_khai", ProvidedForm::kPaperOriginal, "", 1},
                                 {"giay_to", ProvidedForm::kUploadedFile, "file:2", 1}});
  EXPECT_FALSE(paper.digitised);
  EXPECT_TRUE(receive({{"to_khai", ProvidedForm::kPaperOriginal, "scan:1", 1},
                       {"giay_to", ProvidedForm::kPaperCopy, "scan:2", 1}})
                  .digitised);
  // No papers at all is nothing digitised.
  Dossier none = dossier_in(State::kSubmitted);
  none.components.clear();
  EXPECT_FALSE(none.papers_digitised());

  // A supplement after receipt, of paper unscanned or scanned, leaves it as it was.
  for (const bool at_receipt : {true, false}) {
    Dossier asked = dossier_in(State::kWaitingSupplement);
    asked.digitised = at_receipt;
    ActionPayload brought;
    brought.components = {{"giay_to", ProvidedForm::kPaperCopy, "", 1}};
    auto unscanned =
        apply(asked, Action::kSupplement, actor(Role::kReceivingOfficer), kNow, brought);
    ASSERT_TRUE(unscanned.ok()) << unscanned.error().message_en;
    EXPECT_EQ(unscanned->dossier.digitised, at_receipt);
    brought.components[0].file_ref = "scan:3";
    auto scanned = apply(asked, Action::kSupplement, actor(Role::kReceivingOfficer), kNow, brought);
    ASSERT_TRUE(scanned.ok()) << scanned.error().message_en;
    EXPECT_EQ(scanned->dossier.digitised, at_receipt);
  }
}

TEST(StateMachineTest, SupplementStopsAndResumesWhereItLeft) {
  // At the desk before receipt: guidance, no clock.
  auto at_desk = apply(dossier_in(State::kSubmitted), Action::kRequestSupplement,
                       actor(Role::kReceivingOfficer), kNow, payload(Action::kRequestSupplement));
  ASSERT_TRUE(at_desk.ok());
  EXPECT_EQ(at_desk->to, State::kWaitingSupplement);
  EXPECT_FALSE(at_desk->dossier.supplements.back().after_receipt);
  EXPECT_EQ(at_desk->event.payload_json,
            R"({"missing":["Bản sao giấy khai sinh"],"clock_stopped":false})");
  auto back = apply(at_desk->dossier, Action::kSupplement, actor(Role::kCitizen), kNow,
                    payload(Action::kSupplement));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->to, State::kSubmitted);

  // During processing: a pause of the clock.
  const Instant later = make_instant({2025, 7, 9}, 14, 0);
  auto asked = apply(dossier_in(State::kInProgress), Action::kRequestSupplement,
                     actor(Role::kSpecialist), kNow, payload(Action::kRequestSupplement));
  ASSERT_TRUE(asked.ok());
  EXPECT_TRUE(asked->dossier.supplements.back().after_receipt);
  EXPECT_EQ(asked->dossier.open_supplement()->requested_at, kNow);
  auto answered = apply(asked->dossier, Action::kSupplement, actor(Role::kCitizen), later,
                        payload(Action::kSupplement));
  ASSERT_TRUE(answered.ok());
  EXPECT_EQ(answered->to, State::kInProgress);
  EXPECT_EQ(answered->dossier.supplements.back().answered_at, later);
  EXPECT_EQ(answered->dossier.open_supplement(), nullptr);
  EXPECT_EQ(answered->dossier.supplement_requests_after_receipt(), 1);
  EXPECT_EQ(answered->dossier.components.size(), 3u);
}

TEST(StateMachineTest, ForwardApologiseAndRateRecordWhatTheySay) {
  auto fwd = apply(dossier_in(State::kInProgress), Action::kForward, actor(Role::kLeader), kNow,
                   payload(Action::kForward));
  ASSERT_TRUE(fwd.ok());
  EXPECT_EQ(fwd->dossier.competent_unit, kOtherUnit);
  EXPECT_EQ(fwd->dossier.receiving_unit, kUnit);
  EXPECT_TRUE(fwd->dossier.assignee.empty());
  EXPECT_EQ(fwd->event.payload_json, R"({"from_unit":"00004","to_unit":"00007"})");

  // Stored without a desk: the desk is the unit it leaves, not the one it goes to.
  Dossier deskless = dossier_in(State::kInProgress);
  deskless.receiving_unit.clear();
  auto away =
      apply(deskless, Action::kForward, actor(Role::kLeader), kNow, payload(Action::kForward));
  ASSERT_TRUE(away.ok());
  EXPECT_EQ(away->dossier.competent_unit, kOtherUnit);
  EXPECT_EQ(away->dossier.receiving_unit, kUnit);

  auto sorry = apply(dossier_in(State::kInProgress), Action::kApologise, actor(Role::kLeader), kNow,
                     payload(Action::kApologise));
  ASSERT_TRUE(sorry.ok());
  EXPECT_EQ(sorry->to, State::kInProgress);
  ASSERT_EQ(sorry->dossier.apologies.size(), 1u);
  EXPECT_EQ(sorry->dossier.apologies[0].letter_ref, "file:xin-loi");
  EXPECT_EQ(sorry->dossier.due_at, make_instant({2025, 7, 10}, 17, 0));  // the legal due time stays
  EXPECT_EQ(sorry->dossier.appointment(), make_instant({2025, 7, 15}, 17, 0));
  EXPECT_EQ(sorry->event.note, "Chờ kết quả xác minh của cơ quan khác");
  // A second apology must move the date again.
  auto again = apply(sorry->dossier, Action::kApologise, actor(Role::kLeader), kNow,
                     payload(Action::kApologise));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().param, "new_due_at");

  // Not received yet: no appointment to move.
  Dossier waiting = dossier_in(State::kSubmitted);
  waiting.state = State::kWaitingSupplement;
  waiting.resume_state = State::kSubmitted;
  auto early =
      apply(waiting, Action::kApologise, actor(Role::kLeader), kNow, payload(Action::kApologise));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().kind, ErrorKind::kConflict);

  // The appointment in force now, moved on by a wait for supplements, is the
  // one the new date must follow, and the one it replaces.
  ActionPayload moved = payload(Action::kApologise);
  moved.appointment_now = make_instant({2025, 7, 16}, 17, 0);
  auto between =
      apply(dossier_in(State::kInProgress), Action::kApologise, actor(Role::kLeader), kNow, moved);
  ASSERT_FALSE(between.ok());
  EXPECT_EQ(between.error().param, "new_due_at");
  EXPECT_NE(between.error().message_en.find("2025-07-16T17:00:00+07:00"), std::string::npos);
  moved.new_due_at = make_instant({2025, 7, 17}, 17, 0);
  auto after =
      apply(dossier_in(State::kInProgress), Action::kApologise, actor(Role::kLeader), kNow, moved);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->dossier.apologies[0].previous_due, make_instant({2025, 7, 16}, 17, 0));
  EXPECT_NE(after->event.payload_json.find(R"("previous_due":"2025-07-16T17:00:00+07:00")"),
            std::string::npos);

  auto rated = apply(dossier_in(State::kReturned), Action::kRate, actor(Role::kCitizen), kNow,
                     payload(Action::kRate));
  ASSERT_TRUE(rated.ok());
  EXPECT_EQ(rated->dossier.rating->score, 5);
  EXPECT_EQ(
      apply(rated->dossier, Action::kRate, actor(Role::kCitizen), kNow, payload(Action::kRate))
          .error()
          .kind,
      ErrorKind::kConflict);
}

TEST(StateMachineTest, WhatADossiersOwnFactsRefuseIsNotOffered) {
  auto has = [](const std::vector<Action>& actions, Action a) {
    return std::find(actions.begin(), actions.end(), a) != actions.end();
  };
  // Rated once: rating is still allowed in the state, not for this dossier.
  Dossier returned = dossier_in(State::kReturned);
  EXPECT_TRUE(has(allowed_actions(returned, Role::kCitizen), Action::kRate));
  auto rated = apply(returned, Action::kRate, actor(Role::kCitizen), kNow, payload(Action::kRate));
  ASSERT_TRUE(rated.ok());
  EXPECT_TRUE(has(allowed_actions(State::kReturned, Role::kCitizen), Action::kRate));
  EXPECT_FALSE(has(allowed_actions(rated->dossier, Role::kCitizen), Action::kRate));

  // Waiting for a supplement before receipt: no appointment to apologise for.
  Dossier waiting = dossier_in(State::kSubmitted);
  waiting.state = State::kWaitingSupplement;
  waiting.resume_state = State::kSubmitted;
  ASSERT_TRUE(has(allowed_actions(waiting.state, Role::kLeader), Action::kApologise));
  EXPECT_FALSE(has(allowed_actions(waiting, Role::kLeader), Action::kApologise));
  EXPECT_TRUE(
      has(allowed_actions(dossier_in(State::kInProgress), Role::kLeader), Action::kApologise));

  // Paid: the desk is no longer offered to record a payment; nothing due, never.
  const Dossier due = dossier_in(State::kInProgress);
  EXPECT_TRUE(has(allowed_actions(due, Role::kReceivingOfficer), Action::kPay));
  auto paid = apply(due, Action::kPay, actor(Role::kReceivingOfficer), kNow, payload(Action::kPay));
  ASSERT_TRUE(paid.ok()) << paid.error().message_en;
  EXPECT_FALSE(has(allowed_actions(paid->dossier, Role::kReceivingOfficer), Action::kPay));
  Dossier free = due;
  free.fees.clear();
  EXPECT_FALSE(has(allowed_actions(free, Role::kReceivingOfficer), Action::kPay));

  // Every other action the state allows stays offered: the two lists differ
  // only where apply() would refuse whatever the payload.
  for (const State s : {State::kReceived, State::kInProgress, State::kResultIssued}) {
    const Dossier d = dossier_in(s);
    for (const Role r : {Role::kReceivingOfficer, Role::kLeader, Role::kSpecialist}) {
      EXPECT_EQ(allowed_actions(d, r), allowed_actions(s, r)) << state_name(s);
    }
  }
}

// What a person is offered is what they may take: the rows whose scope they are in.
TEST(StateMachineTest, OfferedActionsFollowTheActorsScope) {
  const auto names = [](const std::vector<Action>& actions) {
    std::string out;
    for (const Action a : actions) out += (out.empty() ? "" : ", ") + std::string(action_name(a));
    return out;
  };
  const Dossier d = dossier_in(State::kInProgress);
  EXPECT_EQ(names(allowed_actions(d, actor(Role::kLeader))),
            names(allowed_actions(d, Role::kLeader)));
  // Forwarded away (or never theirs): another unit's leader is offered nothing.
  EXPECT_EQ(names(allowed_actions(d, Actor{"u-leader-b", Role::kLeader, kOtherUnit})), "");
  // A specialist who is not the assignee may not propose or ask for papers.
  EXPECT_EQ(names(allowed_actions(d, Actor{"u-specialist-2", Role::kSpecialist, kUnit})), "");
  EXPECT_EQ(names(allowed_actions(d, actor(Role::kSpecialist))), "request_supplement, propose");
  // Another citizen is offered nothing on someone else's dossier; the owner may withdraw.
  EXPECT_EQ(names(allowed_actions(d, Actor{"u-someone", Role::kCitizen, ""})), "");
  EXPECT_EQ(names(allowed_actions(d, actor(Role::kCitizen))), "withdraw");
  // The desk of another unit is offered nothing at this one's desk.
  EXPECT_EQ(names(allowed_actions(d, Actor{"u-desk-b", Role::kReceivingOfficer, kOtherUnit})), "");
  EXPECT_EQ(names(allowed_actions(d, actor(Role::kReceivingOfficer))), "withdraw, pay");
}

// A payment at the desk settles every unpaid fee, with its receipt; not online.
TEST(StateMachineTest, PaymentAtTheDeskRecordsItsReceipt) {
  Dossier d = dossier_in(State::kReceived);
  d.fees.push_back({"Phí khác", 2000, false, false, std::nullopt, ""});
  d.fees.push_back({"Miễn phí", 0, false, false, std::nullopt, ""});
  ActionPayload p;
  p.receipt = " \u3000";
  auto blank = apply(d, Action::kPay, actor(Role::kReceivingOfficer), kNow, p);
  ASSERT_FALSE(blank.ok());
  EXPECT_EQ(blank.error().param, "receipt");
  auto paid = apply(d, Action::kPay, actor(Role::kReceivingOfficer), kNow, payload(Action::kPay));
  ASSERT_TRUE(paid.ok()) << paid.error().message_en;
  EXPECT_EQ(paid->to, State::kReceived);
  for (int i : {0, 1}) {
    const Fee& f = paid->dossier.fees[i];
    EXPECT_TRUE(f.paid && !f.paid_online) << i;
    EXPECT_EQ(f.paid_at, kNow);
    EXPECT_EQ(f.receipt, "BL-0042");
  }
  EXPECT_FALSE(paid->dossier.fees[2].paid);  // nothing to pay there
  EXPECT_EQ(paid->event.payload_json, R"({"amount_vnd":10000,"receipt":"BL-0042"})");
  auto again = apply(paid->dossier, Action::kPay, actor(Role::kReceivingOfficer), kNow,
                     payload(Action::kPay));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(again.error().message_en, "The dossier has no fee left to pay.");
}

// Paid online: only the platform reports it, for exactly the amount due,
// with its transaction as the receipt; once.
TEST(StateMachineTest, PaymentOnlineIsTheAmountDueReportedByThePlatform) {
  Dossier d = dossier_in(State::kSubmitted);
  d.fees.push_back({"Phí khác", 2000, false, false, std::nullopt, ""});
  const Actor platform{"payment-platform", Role::kPaymentPlatform, ""};
  ActionPayload p = payload(Action::kPayOnline);
  auto short_paid = apply(d, Action::kPayOnline, platform, kNow, p);  // 8,000 of 10,000
  ASSERT_FALSE(short_paid.ok());
  EXPECT_EQ(short_paid.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(short_paid.error().param, "amount_vnd");
  EXPECT_EQ(short_paid.error().message_en,
            "The amount paid (8000 VND) is not the fees due (10000 VND).");
  p.amount_vnd = 10000;
  p.receipt = "";
  auto no_transaction = apply(d, Action::kPayOnline, platform, kNow, p);
  ASSERT_FALSE(no_transaction.ok());
  EXPECT_EQ(no_transaction.error().param, "transaction");
  p.receipt = "GD-1";
  // Not a person's action: the applicant and the desk are refused.
  for (const Role r : {Role::kCitizen, Role::kReceivingOfficer}) {
    auto t = apply(d, Action::kPayOnline, actor(r), kNow, p);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().kind, ErrorKind::kForbidden) << role_name(r);
  }
  auto paid = apply(d, Action::kPayOnline, platform, kNow, p);
  ASSERT_TRUE(paid.ok()) << paid.error().message_en;
  EXPECT_EQ(paid->to, State::kSubmitted);
  for (const Fee& f : paid->dossier.fees) {
    EXPECT_TRUE(f.paid && f.paid_online);
    EXPECT_EQ(f.receipt, "GD-1");
    EXPECT_EQ(f.paid_at, kNow);
  }
  EXPECT_EQ(paid->dossier.unpaid_vnd(), 0);
  EXPECT_EQ(paid->event.actor_role, "payment_platform");
  EXPECT_EQ(paid->event.payload_json, R"({"amount_vnd":10000,"transaction":"GD-1"})");
  EXPECT_TRUE(allowed_actions(paid->dossier, Role::kPaymentPlatform).empty());
  auto again = apply(paid->dossier, Action::kPayOnline, platform, kNow, p);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message_en, "The dossier has no fee left to pay.");
}

TEST(StateMachineTest, RefusalAndResultSetTheFinishTime) {
  auto at_desk = apply(dossier_in(State::kSubmitted), Action::kRefuse,
                       actor(Role::kReceivingOfficer), kNow, payload(Action::kRefuse));
  ASSERT_TRUE(at_desk.ok());
  EXPECT_FALSE(at_desk->dossier.finished_at.has_value());  // never received: not counted
  EXPECT_EQ(at_desk->dossier.refusal_reason, "Không thuộc thẩm quyền");
  EXPECT_EQ(at_desk->event.note, "Không thuộc thẩm quyền");

  auto by_leader = apply(dossier_in(State::kWaitingSupplement), Action::kRefuse,
                         actor(Role::kLeader), kNow, payload(Action::kRefuse));
  ASSERT_TRUE(by_leader.ok());
  EXPECT_EQ(by_leader->dossier.finished_at, kNow);
  EXPECT_EQ(by_leader->dossier.open_supplement(), nullptr);  // the wait ends

  auto issued = apply(dossier_in(State::kApproved), Action::kIssueResult, actor(Role::kSpecialist),
                      kNow, payload(Action::kIssueResult));
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(issued->dossier.finished_at, kNow);
  EXPECT_EQ(issued->dossier.result->number, "45/GCN");
  EXPECT_EQ(issued->dossier.result->issued_at, kNow);

  ActionPayload post = payload(Action::kReturnResult);
  post.delivery = Delivery::kPost;
  post.tracking_number = "EV123456789VN";
  auto returned =
      apply(issued->dossier, Action::kReturnResult, actor(Role::kPostalAgent), kNow, post);
  ASSERT_TRUE(returned.ok());
  EXPECT_EQ(returned->dossier.returned_at, kNow);
  EXPECT_EQ(returned->dossier.result->tracking_number, "EV123456789VN");
  EXPECT_EQ(returned->event.payload_json,
            R"({"delivery":"post","tracking_number":"EV123456789VN"})");
}

// A dossier's whole life, each event appended to a chain that verifies.
TEST(StateMachineTest, AWholeLifeMakesAVerifiableLog) {
  Dossier d = draft();
  ChainHead head;
  std::vector<Event> log;
  Instant t = make_instant({2025, 7, 8}, 8, 0);
  const auto step = [&](Action a, Role r, ActionPayload p = {}) {
    t.epoch_seconds += 600;
    auto tr = apply(d, a, actor(r), t, p);
    ASSERT_TRUE(tr.ok()) << action_name(a) << ": " << tr.error().message_en;
    d = tr->dossier;
    Event e = tr->event;
    head = append_event(e, head, std::nullopt);
    log.push_back(e);
  };
  ActionPayload assign = payload(Action::kAssign);
  assign.assignee = kSpecialist;
  step(Action::kSubmit, Role::kCitizen);
  step(Action::kRequestSupplement, Role::kReceivingOfficer, payload(Action::kRequestSupplement));
  step(Action::kSupplement, Role::kCitizen, payload(Action::kSupplement));
  step(Action::kReceive, Role::kReceivingOfficer, payload(Action::kReceive));
  step(Action::kAssign, Role::kLeader, assign);
  step(Action::kRequestSupplement, Role::kSpecialist, payload(Action::kRequestSupplement));
  step(Action::kSupplement, Role::kCitizen, payload(Action::kSupplement));
  step(Action::kPropose, Role::kSpecialist);
  step(Action::kSendBack, Role::kLeader, payload(Action::kSendBack));
  step(Action::kPropose, Role::kSpecialist);
  step(Action::kApprove, Role::kLeader);
  step(Action::kIssueResult, Role::kSpecialist, payload(Action::kIssueResult));
  step(Action::kReturnResult, Role::kReceivingOfficer, payload(Action::kReturnResult));
  step(Action::kRate, Role::kCitizen, payload(Action::kRate));
  ASSERT_EQ(log.size(), 14u);
  EXPECT_EQ(d.state, State::kReturned);
  EXPECT_EQ(d.supplements.size(), 2u);
  EXPECT_EQ(d.supplement_requests_after_receipt(), 1);
  EXPECT_TRUE(d.submitted_at && d.received_at && d.finished_at && d.returned_at && d.rating);
  EXPECT_EQ(log[0].dossier_code, "");
  EXPECT_EQ(log[3].dossier_code, "H29.01.05-250708-0001");
  EXPECT_EQ(log[13].seq, 14);
  std::string path;
  for (const Event& e : log) path += e.from_state + ">";
  EXPECT_EQ(path,
            "draft>submitted>waiting_supplement>submitted>received>in_progress>"
            "waiting_supplement>in_progress>proposed>in_progress>proposed>approved>"
            "result_issued>returned>");
  EXPECT_TRUE(verify_chain(log, ChainHead{}, head).ok());
  log[6].note = "sửa";
  EXPECT_EQ(verify_chain(log).index, 6u);
}

TEST(StateMachineTest, ApplyingInPlaceGivesTheSameLife) {
  // The simulator lives dossiers by changing each one in place; the log it
  // makes must be the one the copying form makes, hash for hash, including
  // the resumes after supplements (read before the change).
  Dossier copied = draft(), in_place = draft();
  ChainHead copied_head, in_place_head;
  Instant t = make_instant({2025, 7, 8}, 8, 0);
  ActionPayload assign = payload(Action::kAssign);
  assign.assignee = kSpecialist;
  const std::vector<std::pair<Action, Role>> life = {
      {Action::kSubmit, Role::kCitizen},
      {Action::kRequestSupplement, Role::kReceivingOfficer},
      {Action::kSupplement, Role::kCitizen},
      {Action::kReceive, Role::kReceivingOfficer},
      {Action::kAssign, Role::kLeader},
      {Action::kRequestSupplement, Role::kSpecialist},
      {Action::kSupplement, Role::kCitizen},
      {Action::kPropose, Role::kSpecialist},
      {Action::kApprove, Role::kLeader},
      {Action::kIssueResult, Role::kSpecialist},
      {Action::kReturnResult, Role::kReceivingOfficer}};
  for (const auto& [a, r] : life) {
    t.epoch_seconds += 600;
    const ActionPayload p = a == Action::kAssign ? assign : payload(a);
    auto by_copy = apply(copied, a, actor(r), t, p);
    auto event = apply_in_place(in_place, a, actor(r), t, p);
    ASSERT_TRUE(by_copy.ok() && event.ok()) << action_name(a);
    EXPECT_EQ(in_place.state, by_copy->to) << action_name(a);
    EXPECT_EQ(event->from_state, state_name(by_copy->from)) << action_name(a);
    copied = by_copy->dossier;
    copied_head = append_event(by_copy->event, copied_head, std::nullopt);
    in_place_head = append_event(*event, in_place_head, std::nullopt);
    EXPECT_EQ(in_place_head.hash, copied_head.hash) << action_name(a);
  }
  EXPECT_EQ(in_place.state, State::kReturned);
  EXPECT_EQ(in_place.supplements.size(), copied.supplements.size());
  EXPECT_EQ(in_place.code, copied.code);
  EXPECT_EQ(in_place.finished_at, copied.finished_at);
  // A refused action leaves the dossier as it was.
  const Dossier before = in_place;
  EXPECT_FALSE(apply_in_place(in_place, Action::kApprove, actor(Role::kLeader), t, {}).ok());
  EXPECT_EQ(in_place.state, before.state);
  EXPECT_EQ(in_place.returned_at, before.returned_at);
}

TEST(StateMachineTest, ABundleOpensItsProceduresTogether) {
  const Instant now = kNow;
  std::vector<Dossier> bundle;
  for (const char* proc : {"1.001193", "1.004222", "1.003111"}) {  // birth, residence, insurance
    Dossier d = draft();
    d.id = std::string("d-") + proc;
    d.procedure_code = proc;
    d.bundle_id = "b-1";
    bundle.push_back(d);
  }
  auto all = submit_bundle(bundle, actor(Role::kCitizen), now);
  ASSERT_TRUE(all.ok()) << all.error().message_en;
  ASSERT_EQ(all->size(), 3u);
  for (const Transition& t : *all) {
    EXPECT_EQ(t.to, State::kSubmitted);
    EXPECT_EQ(t.event.payload_json, R"({"channel":"online","bundle_id":"b-1"})");
  }

  // One bad dossier: none is submitted, and the error names it.
  auto bad = bundle;
  bad[1].applicant.email = "lan@";
  auto none = submit_bundle(bad, actor(Role::kCitizen), now);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().param, "dossiers[1].applicant.email");
  EXPECT_EQ(none.error().message_en.rfind("Dossier 2: ", 0), 0u);

  auto mixed = bundle;
  mixed[2].bundle_id = "b-2";
  EXPECT_EQ(submit_bundle(mixed, actor(Role::kCitizen), now).error().param,
            "dossiers[2].bundle_id");
  auto one = std::vector<Dossier>{bundle[0]};
  EXPECT_EQ(submit_bundle(one, actor(Role::kCitizen), now).error().param, "dossiers");
  auto submitted = bundle;
  submitted[0].state = State::kSubmitted;
  auto conflict = submit_bundle(submitted, actor(Role::kCitizen), now);
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(conflict.error().param, "dossiers[0].action");
}

}  // namespace
}  // namespace motcua::dossier
