// Use cases of the one-stop process: submit, receive, and every later action
// on a dossier, each one transaction in the `dossiers` store area (the row, its
// hash-chained event and its outbox row together).
//
// Who acts is the authenticated principal: its roles become the state
// machine's actor (the first role that has a rule for the action in the
// dossier's state), its unit the actor's unit, and the state machine checks
// role and scope. Reading a dossier follows jurisdiction (access::decide on
// dossier.read against its units; a citizen reads the dossiers of their own
// account); a dossier out of reach is answered as not found.
//
// Errors: a stale version kPreconditionFailed (412); an action not allowed in
// the state kConflict listing the allowed ones (409); an unknown procedure or
// unit kUnprocessable (422); a bad body kBadRequest naming the field (400).
#pragma once

#include <functional>
#include <future>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.hpp"
#include "domain/access/principal.hpp"
#include "domain/dossier/state_machine.hpp"
#include "domain/dossier/time_status.hpp"
#include "services/account_service.hpp"
#include "services/calendar_service.hpp"
#include "services/catalog_service.hpp"
#include "services/recent_dossiers.hpp"
#include "services/unit_service.hpp"
#include "store/dossiers_store.hpp"
#include "store/group_commit.hpp"

namespace motcua::services {

struct SubmitRequest {
  std::string procedure_code;
  std::optional<int> procedure_version;  // absent: the current one
  std::string competent_unit;
  std::string receiving_unit;  // staff filing at their desk: their unit (default)
  std::optional<dossier::Channel> channel;
  dossier::Applicant applicant;
  std::string form_data_json = "{}";
  std::vector<dossier::ComponentProvided> components;
  std::string idempotency_key;  // empty: none
  // With a key only: fingerprints of the body as JSON written compactly (so a
  // retry laid out otherwise is the same request) and of its bytes as sent
  // (what keys stored by earlier versions hold).
  std::string request_hash;
  std::string raw_hash;
  std::string bundle_id;        // set by submit_bundle for its members
};

// One submission that opens every procedure of a catalog bundle (liên
// thông): `base` carries the applicant, form, channel and the commune; each
// member gets its components and the commune or its province as competent
// unit, by the member's level.
struct BundleRequest {
  std::string bundle_code;
  SubmitRequest base;
  std::map<std::string, std::vector<dossier::ComponentProvided>> components;  // by procedure
};

struct DossierView {
  dossier::Dossier dossier;
  std::int64_t version = 0;
  std::vector<std::string> allowed_actions;  // for the principal who asked
  std::optional<dossier::TimeReport> time;
  std::string procedure_name;
  // Where it was received and where it is settled, as people know them.
  std::string receiving_unit_name, competent_unit_name;
  // dossier_json_text(dossier) when the service has it at hand (the row it
  // just wrote), so the answer need not write it again; else empty.
  std::string body;
};

// What the payment platform's notice did to its dossier.
struct PaymentRecorded {
  std::string dossier_id, code;
  std::int64_t version = 0;
  bool replayed = false;  // the same transaction was recorded before: nothing changed
};

struct SubmitOutcome {
  DossierView view;
  bool created = true;  // false: an earlier submission with the same Idempotency-Key
};

struct BundleOutcome {
  std::string bundle_id;
  std::vector<DossierView> dossiers;  // in the bundle's order
  bool created = true;
};

struct InboxFilter {
  std::string state;
  std::string procedure_code;
  std::string channel;
  std::string cursor;
  std::size_t limit = 50;
};

struct InboxPage {
  std::vector<DossierView> items;
  std::string next_cursor;  // empty: last page
};

struct PublicStatus {
  std::string code, state, procedure_code, procedure_name, receiving_unit, competent_unit;
  std::string receiving_unit_name, competent_unit_name;
  std::optional<calendar::Instant> received_at, due_at, finished_at, returned_at;
  // What the applicant was promised (TimeReport::effective_appointment).
  std::optional<calendar::Instant> appointment;
};

// What one deadline sweep flagged (each dossier once per kind).
struct DeadlineSweep {
  int due_soon = 0;
  int overdue = 0;
};

class DossierService {
 public:
  using Clock = std::function<calendar::Instant()>;

  DossierService(store::DossiersStore& store, const CatalogService& catalog,
                 const CalendarService& calendar, const UnitService& units, ProvinceOf province_of,
                 Clock clock = {});

  template <class T>
  using Done = std::function<void(Result<T>)>;

  // Writes go through `committer` from now on (group commit); without one,
  // each write is its own transaction, run by the caller's thread.
  void set_committer(store::GroupCommitter* committer) { committer_ = committer; }
  // Whether user `user_id` may be assigned a dossier of `unit`: an active
  // specialist of that unit. Without one, assignees are not checked.
  using AssigneeCheck =
      std::function<Result<bool>(const std::string& user_id, const std::string& unit)>;
  void set_assignee_check(AssigneeCheck check) { assignee_check_ = std::move(check); }
  // Checks the files a request references, as (field, file_ref) pairs: each
  // must be an upload of the acting person. Without one, not checked.
  using FileCheck = std::function<Result<void>(
      const access::Principal& who, const std::vector<std::pair<std::string, std::string>>& refs)>;
  void set_file_check(FileCheck check) { file_check_ = std::move(check); }
  // Told the code of every dossier an action changed, once it is durable and
  // before the action is answered (caches of its public status listen).
  void on_change(std::function<void(const std::string& code)> listener) {
    on_change_ = std::move(listener);
  }

  // The writes answer through `done`: at once when the request is refused,
  // else once the change is durable (on the committer's thread). The
  // overloads without `done` wait for it.
  void submit(const access::Principal& who, const SubmitRequest& request, Done<SubmitOutcome> done);
  Result<SubmitOutcome> submit(const access::Principal& who, const SubmitRequest& request);
  // All members in one transaction: every dossier is filed, or none.
  void submit_bundle(const access::Principal& who, const BundleRequest& request,
                     Done<BundleOutcome> done);
  // `ref` is the dossier code, or its id before it has a code.
  Result<DossierView> get(const access::Principal& who, const std::string& ref);
  // `body` is the action's JSON object (text); `if_match` the version read.
  void act(const access::Principal& who, const std::string& ref, dossier::Action action,
           const std::string& body, std::int64_t if_match, Done<DossierView> done);
  Result<DossierView> act(const access::Principal& who, const std::string& ref,
                          dossier::Action action, const std::string& body, std::int64_t if_match);
  Result<std::vector<dossier::Event>> events(const access::Principal& who, const std::string& ref);
  // A payment the online payment platform reports (its notice already
  // verified): pay_online as the platform, with `transaction` as the
  // receipt. A notice repeated for a transaction recorded is answered as
  // such; a dossier changed meanwhile is read again (a few times).
  void record_online_payment(const std::string& dossier_id, std::int64_t amount_vnd,
                             const std::string& transaction, Done<PaymentRecorded> done,
                             int attempts = 3);
  // Staff: the dossiers they may act on now. A citizen: all of their own.
  Result<InboxPage> inbox(const access::Principal& who, const InboxFilter& filter);
  Result<PublicStatus> public_status(const std::string& ref);
  // Flags the dossiers being processed that are due within one working day,
  // and those overdue, by the competent unit's calendar with the time waiting
  // for the applicant left out; each flag once, with a warning in the outbox
  // (dossier_deadlines.cpp). Its passes read `per_pass` candidates at a time,
  // soonest due first. kRound (the server, every minute) reads one chunk a
  // pass, and the overdue pass goes on where the last round stopped, so that
  // candidates left unflagged cannot hide the rest for ever; kWhole (the
  // command) reads every candidate.
  enum class SweepScope { kRound, kWhole };
  Result<DeadlineSweep> sweep_deadlines(std::size_t per_pass, SweepScope scope);

  // The agency code a unit's dossier codes begin with (until units carry
  // their own setting): "H" + province, then the commune code as 3 + 2
  // digits: 00004 in province 01 -> "H01.000.04"; a province: "H01".
  static std::string default_agency_code(const units::UnitVersion& unit);

 private:
  // A submission checked and ready for its transaction.
  struct SubmitJob {
    struct Written {
      std::optional<dossier::Dossier> dossier;  // an earlier one's; none: `filed`
      std::int64_t version = 0;
      bool created = true;  // `record` is the new row
      // A replay's row as it is now: whether its filer may still read it.
      std::optional<store::DossierRecord> earlier;
    };
    access::Principal who;
    std::string key;  // "<user id>:<Idempotency-Key>", or ""
    std::string request_hash;
    std::string raw_hash;
    calendar::Instant now;
    bool citizen = false;
    dossier::Dossier filed;  // the draft, and once built, the dossier filed
    dossier::Event event;
    store::DossierRecord record;  // save() fills in its version and head
    std::optional<Written> out;  // what the transaction decided
    Result<void> build();
    Result<void> run(store::DossierTxn& txn);
  };
  // An action checked and ready for its transaction.
  struct ActJob {
    access::Principal who;
    std::string ref;
    dossier::Action action{};
    dossier::ActionPayload payload;
    std::int64_t if_match = 0;
    std::shared_ptr<const catalog::ProcedureVersion> filed_under;  // for a receipt
    calendar::Instant now;
    // Who acts when it is not an account (the payment platform); else the
    // actor is worked out from `who`.
    std::optional<dossier::Actor> system_actor;
    // The change itself, as the action makes it to the row at if_match.
    struct Change {
      store::DossierRecord record;  // the new row, its version and head
      dossier::Event event;         // chained from the old head
      std::vector<stats::Row> figures;
      dossier::Dossier dossier;
      // The calendars the figures and the due-time index were counted with.
      std::shared_ptr<const CalendarService::Snapshot> calendars;
    };
    // Made before the transaction from the committed row (every action but a
    // receipt, whose number comes from the transaction): the committer thread
    // only writes it, if the row is still at if_match.
    std::optional<Change> prepared;
    // A receipt's change, made in the transaction; kept for the answer.
    std::optional<Change> made;
    // What the transaction wrote, once it has.
    Change& written_change() { return made ? *made : *prepared; }
  };

  Result<std::shared_ptr<SubmitJob>> prepare_submit(const access::Principal& who,
                                                    const SubmitRequest& request);
  void commit_submit(std::shared_ptr<SubmitJob> job, Done<SubmitOutcome> done, bool retried);
  Result<std::shared_ptr<ActJob>> prepare_act(const access::Principal& who, const std::string& ref,
                                              dossier::Action action, const std::string& body,
                                              std::int64_t if_match);
  Result<void> run_act(ActJob& job, store::DossierTxn& txn) const;
  // The change `job` makes to `current`; a receipt takes its number from `txn`.
  Result<ActJob::Change> change_of(const ActJob& job, const store::DossierRecord& current,
                                   store::DossierTxn* txn) const;
  // An appointment a person sets (the desk's when the catalog sets no
  // processing time, an apology's new one): within a year of `now` and in
  // the working hours of a working day of `unit`. 400 naming `field`.
  Result<void> check_appointment(const std::string& unit, calendar::Instant at,
                                 calendar::Instant now, const std::string& field) const;
  void write(store::DossierWrite fn, std::function<void(Result<void>)> done);

  template <class T, class Start>
  static Result<T> wait_for(Start&& start) {
    std::promise<Result<T>> promise;
    auto answer = promise.get_future();
    start([&promise](Result<T> r) { promise.set_value(std::move(r)); });
    return answer.get();
  }

  Result<std::optional<store::DossierRecord>> find(const std::string& ref);
  // The row an action starts from: the cached one if it is at `if_match`.
  Result<std::optional<store::DossierRecord>> find_at(const std::string& ref,
                                                      std::int64_t if_match);
  bool can_read(const access::Principal& who, const store::DossierRecord& r) const;
  Result<void> replay_out_of_reach(const SubmitJob& job) const;
  // `body`: dossier_json_text(d) if the caller has it, else empty.
  DossierView view_of(const access::Principal& who, dossier::Dossier d, std::int64_t version,
                      std::string body = {}) const;
  Result<const units::UnitVersion*> unit(const std::string& code, const char* param) const;
  // 422 naming `param` unless unit `code` is in force at the procedure's level.
  Result<void> check_level(const catalog::Procedure& p, const std::string& code,
                           const char* param) const;
  // 422 naming `param` unless both units are in one province.
  Result<void> check_same_province(const std::string& receiving_unit,
                                   const std::string& competent_unit, const char* param) const;
  // The full names in force today ("Phường Ba Đình") of the dossier's
  // receiving and competent units; empty for one no longer in force (a page
  // then shows its code alone).
  void name_units(const dossier::Dossier& d, std::string& receiving, std::string& competent) const;

  store::DossiersStore& store_;
  const CatalogService& catalog_;
  const CalendarService& calendar_;
  const UnitService& units_;
  ProvinceOf province_of_;
  Clock clock_;
  store::GroupCommitter* committer_ = nullptr;
  std::function<void(const std::string& code)> on_change_;
  // Rows written or read for actions lately (a few MB at most).
  RecentDossiers recent_{4096};
  AssigneeCheck assignee_check_;
  FileCheck file_check_;
  // One sweep at a time; where the overdue pass of the next round begins.
  std::mutex sweep_mu_;
  std::optional<store::SweepKey> sweep_resume_;
  Result<void> flag_deadlines(const char* flag, const std::vector<store::DossierRecord>& rows,
                              const CalendarService::Snapshot& calendars, calendar::Instant now,
                              DeadlineSweep& out);
  // Each file a write names must be an upload of `who`: the components' and
  // `named` (field, reference) pairs, those left empty skipped.
  Result<void> check_files(
      const access::Principal& who, const std::vector<dossier::ComponentProvided>& components,
      std::initializer_list<std::pair<const char*, std::string_view>> named = {}) const;
};

// The row the store keeps for a dossier changed at `now` (its columns and its
// JSON body; version and head are the store's). Its due times are left to
// index_due_times (dossier_figures.hpp), which needs the calendars: a dossier
// not yet received, as every new row is, has none.
store::DossierRecord record_of(const dossier::Dossier& d, calendar::Instant now);

// The catalog's component list as the completeness check sees it: ids are
// "c1", "c2", ... in the procedure's order. Given a catalog channel
// ("online", "counter", "post"), a paper asked for on other channels only
// (the paper form, the e-form) is conditional.
std::vector<dossier::RequiredComponent> required_components(const catalog::Procedure& p,
                                                            std::string_view channel = {});

// The principal's roles as the state machine's actor for `action` on a
// dossier in `state`: the first role with a rule, else the first role.
std::optional<dossier::Actor> actor_for(const access::Principal& who, dossier::Action action,
                                        dossier::State state);
// The same for `action` on `d`: the first such role whose scope `d` also
// satisfies (the assignee, the unit), else the first with a rule.
std::optional<dossier::Actor> actor_for(const access::Principal& who, dossier::Action action,
                                        const dossier::Dossier& d);

}  // namespace motcua::services
