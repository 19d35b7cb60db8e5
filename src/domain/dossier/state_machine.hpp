// The one-stop process as a state machine: which actions each role may take
// on a dossier in which state, and what each one changes. apply() is a pure
// function from (dossier, action, actor, time, payload) to the dossier after
// the action and the event to append, or an error that changes nothing.
//
// States (dossier.hpp) and transitions. "desk" = the receiving unit, "unit" =
// the competent unit; "owner" = the applicant's own account; "assignee" = the
// specialist the dossier is assigned to (in the competent unit).
//
// clang-format off
// action              from                    roles               scope     to
// ------------------  ----------------------  ------------------  --------  ------------------
// submit              draft                   citizen             owner     submitted
// receive             draft, submitted        desk staff          desk      received
// request_supplement  submitted               desk staff          desk      waiting_supplement
// request_supplement  in_progress             specialist          assignee  waiting_supplement
// supplement          waiting_supplement      citizen             owner     the state it left
// supplement          waiting_supplement      desk staff          desk      the state it left
// refuse              submitted               receiving_officer   desk      refused
// refuse              received, in_progress,  leader              unit      refused
//                     waiting_supplement,
//                     proposed
// forward             received, in_progress   leader, unit_admin  unit      received *
// assign              received, in_progress   leader, unit_admin  unit      in_progress
// propose             in_progress             specialist          assignee  proposed
// approve             proposed                leader              unit      approved
// send_back           proposed                leader              unit      in_progress
// issue_result        approved                specialist          assignee  result_issued
// issue_result        approved                leader              unit      result_issued
// return_result       result_issued           desk staff          desk      returned
// withdraw            submitted, received,    citizen             owner     withdrawn
//                     waiting_supplement,
//                     in_progress
// withdraw            (the same)              receiving_officer   desk      withdrawn
// withdraw            draft                   desk staff          desk      withdrawn
// apologise           received, in_progress,  leader              unit      unchanged
//                     waiting_supplement,
//                     proposed, approved
// rate                returned, refused       citizen             owner     unchanged
// pay                 received ... result_    desk staff          desk      unchanged
//                     issued (not returned)
// * at the new competent unit (target_unit).
// clang-format on
//
// "desk staff" = receiving_officer and postal_agent (a postal worker on duty
// at the desk). province_supervisor, national_viewer and system_admin take no
// action on a dossier: they read. A dossier filed at the counter or by post has no owner
// account: its applicant acts through the desk.
//
// Units. A dossier names its receiving unit (the desk that receives and
// returns) and its competent unit (the one that decides). The actor's unit
// must be the one the row names: an officer of commune A cannot receive a
// dossier whose desk is commune B. Receipt anywhere in the province (phi địa
// giới hành chính) works like this: the officer at A opens the dossier at A's
// counter, so its receiving unit is A and its competent unit is B, and it is
// marked province_wide. The service sets province_wide only after checking,
// against the unit registry and the catalog, that A and B are in the same
// province and that the procedure may be received anywhere; receive() refuses
// a dossier whose two units differ without that mark. After receipt B's
// leader assigns it and A's desk returns the result. An online dossier is
// submitted to its competent unit, which is also its desk.
//
// Side effects (all in the returned dossier): submit sets submitted_at and,
// when unset, the desk to the competent unit; receive adds the components seen
// at the counter, checks completeness against the procedure (the error lists
// what is missing), checks the applicant and the dossier code, and sets
// received_at, clock_start, code and due_at (the code comes from the store's
// sequence and the due time from the competent unit's calendar, both computed
// by the caller);
// request_supplement opens a supplement request (after receipt: a pause of the
// clock) naming what is missing; supplement closes it and returns to the state
// it left; refuse (after receipt), issue_result set finished_at; forward moves
// the dossier to another competent unit and clears the assignee; apologise
// records the letter and the new appointment (the legal due time is kept for
// the service index); rate records the applicant's rating, once; pay records
// every unpaid fee paid at the desk with the receipt's number (online payment
// comes from a payment platform, not from an action); receive and supplement
// set digitised from the papers held.
//
// Errors: an action with no row from the dossier's state: kConflict, listing
// the actions the actor's role may take in that state; a role that no row of
// that state allows: kForbidden naming the roles that may; an actor outside
// the scope: kForbidden; a bad payload: kBadRequest naming the field; a
// dossier that does not meet the action's conditions (incomplete, already
// rated, no due time): kConflict.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "domain/dossier/completeness.hpp"
#include "domain/dossier/dossier.hpp"
#include "domain/dossier/event_chain.hpp"

namespace motcua::dossier {

enum class Role {
  kCitizen,
  kReceivingOfficer,
  kSpecialist,
  kLeader,
  kUnitAdmin,
  kProvinceSupervisor,
  kNationalViewer,
  kSystemAdmin,
  kPostalAgent,
  // Not a person's role: the online payment platform, which reports a
  // payment by a signed notice (services::PaymentService). No account has it.
  kPaymentPlatform,
};

inline constexpr Role kAllRoles[] = {
    Role::kCitizen,     Role::kReceivingOfficer,   Role::kSpecialist,     Role::kLeader,
    Role::kUnitAdmin,   Role::kProvinceSupervisor, Role::kNationalViewer, Role::kSystemAdmin,
    Role::kPostalAgent, Role::kPaymentPlatform,
};

const char* role_name(Role r);
std::optional<Role> parse_role(std::string_view name);
// The role as a Vietnamese reader knows it (the web app's role.* words), for
// the Vietnamese text of a message; the stable name stays in the English.
const char* role_label_vi(Role r);

enum class Action {
  kSubmit,
  kReceive,
  kRequestSupplement,
  kSupplement,
  kRefuse,
  kForward,
  kAssign,
  kPropose,
  kApprove,
  kSendBack,
  kIssueResult,
  kReturnResult,
  kWithdraw,
  kApologise,
  kRate,
  kPay,
  kPayOnline,
};

inline constexpr Action kAllActions[] = {
    Action::kSubmit,     Action::kReceive,     Action::kRequestSupplement,
    Action::kSupplement, Action::kRefuse,      Action::kForward,
    Action::kAssign,     Action::kPropose,     Action::kApprove,
    Action::kSendBack,   Action::kIssueResult, Action::kReturnResult,
    Action::kWithdraw,   Action::kApologise,   Action::kRate,
    Action::kPay,        Action::kPayOnline,
};

const char* action_name(Action a);
std::optional<Action> parse_action(std::string_view name);
// The action as a Vietnamese reader knows it (the web app's action.* words).
const char* action_label_vi(Action a);

struct Actor {
  std::string user_id;
  Role role = Role::kCitizen;
  std::string unit_code;  // empty for citizens
};

// Whose unit or account a row requires (see the table above).
// kPlatform: no account or unit to match; the caller proved who it is (the
// payment platform's signature) and only its role has such rows.
enum class Scope { kOwner, kReceivingUnit, kCompetentUnit, kAssignee, kPlatform };

// Where a row leads: a fixed state, the state unchanged, or the state the
// dossier left when it began waiting for supplements.
enum class Target { kState, kSame, kResume };

// Whether a row needs the dossier received or not yet: waiting for
// supplements is both, and before receipt it is the desk's dossier, after
// it the competent unit's.
enum class Receipt { kAny, kBefore, kAfter };

// One row of the table. `from` and `roles` are bit sets (1 << enum value).
struct Rule {
  Action action;
  std::uint32_t from;
  std::uint32_t roles;
  Scope scope;
  Target target;
  State to;
  Receipt receipt = Receipt::kAny;
};

std::span<const Rule> rules();
// Whether `rule` is a row for `dossier` as it stands (its state, its receipt).
bool applies(const Rule& rule, const Dossier& dossier);
// Whether `role` has a row for `action` on `dossier` as it stands (whatever
// the actor's scope and the dossier's other facts).
bool has_row(Action action, Role role, const Dossier& dossier);

// The actions `role` has a row for in `state`, in kAllActions order, before
// or after receipt (whether this actor is in the row's scope is not
// considered).
std::vector<Action> allowed_actions(State state, Role role);
// The actions `role` may take on this dossier: its rows given its receipt,
// less the actions its own facts refuse whatever the payload: a second
// rating, returning a result it does not have, moving an appointment it does
// not have, paying with nothing due. What a page offers: it should not offer
// a form whose every submission is refused.
std::vector<Action> allowed_actions(const Dossier& dossier, Role role);
// As above, for this actor: only the rows whose scope they are in (their
// unit is the dossier's desk or competent unit, they are its owner or its
// assignee, as the row says). What a page offers this person.
std::vector<Action> allowed_actions(const Dossier& dossier, const Actor& actor);

// How far ahead a person may set an appointment (an apology's new date, the
// desk's at receipt): a year. "9999-12-31" is no appointment, and the
// working-day calendar that extends it for later pauses ends in 2101.
inline constexpr std::int64_t kMaxPromise = 366LL * 24 * 3600;

// What an action needs beyond the dossier; each action reads only its fields.
struct ActionPayload {
  std::string note;  // reason for refuse, send_back, withdraw, apologise; optional elsewhere
  // receive
  std::string code;
  std::optional<Instant> due_at;
  std::optional<Instant> clock_start;  // default: the receipt instant
  // The appointment the desk sets, read from the body: only for a procedure
  // whose catalog entry sets no processing time (the service checks it and
  // makes it `due_at`).
  std::optional<Instant> desk_due_at;
  std::vector<RequiredComponent> required;
  std::set<std::string> applicable_conditional;
  // receive (papers seen at the counter), supplement (what was brought or uploaded)
  std::vector<ComponentProvided> components;
  // request_supplement: one line per missing item
  std::vector<std::string> missing;
  // forward
  std::string target_unit;
  // assign
  std::string assignee;
  // issue_result: number, file_ref, form
  std::optional<DossierResult> result;
  // return_result
  std::optional<Delivery> delivery;
  std::string tracking_number;
  // apologise; `appointment_now` is the appointment in force at `now`
  // (TimeReport::effective_appointment: pushed back by the supplement pauses),
  // which needs the calendar: the caller works it out. The new date must be
  // after it; without it, after the recorded one (Dossier::appointment).
  std::optional<Instant> new_due_at;
  std::string letter_ref;
  std::optional<Instant> appointment_now;
  // rate
  std::optional<int> score;
  // pay: the receipt's number; pay_online: the platform's transaction
  std::string receipt;
  // pay_online: the amount the platform collected, which must be what is due
  std::optional<std::int64_t> amount_vnd;
};

struct Transition {
  State from;
  State to;
  Dossier dossier;  // the dossier after the action
  Event event;      // to append: seq and hashes unset (append_event)
};

Result<Transition> apply(const Dossier& dossier, Action action, const Actor& actor, Instant now,
                         const ActionPayload& payload = {});
// Whether `actor` may take `action` on the dossier as it stands, whatever the
// payload: the 409 (not in this state, listing what this actor may do) or
// 403 (role, unit, owner) that apply() would answer first.
Result<void> may_act(const Dossier& dossier, Action action, const Actor& actor);
// The same, changing `dossier` where it is instead of copying it (a caller
// that lives a dossier action after action) and returning the event; after
// an error it is unchanged when the action was refused (state, role, scope)
// and may be half changed when the payload was at fault.
Result<Event> apply_in_place(Dossier& dossier, Action action, const Actor& actor, Instant now,
                             const ActionPayload& payload = {});

// A bundle (liên thông): one submission that opens several procedures
// together. Every dossier must be a draft of the same bundle_id and the same
// owner; either all are submitted or none (the error names the dossier,
// "dossiers[i].field").
Result<std::vector<Transition>> submit_bundle(std::span<const Dossier> dossiers, const Actor& actor,
                                              Instant now);

}  // namespace motcua::dossier
