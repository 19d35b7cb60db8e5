// The dossier (hồ sơ) as a plain value: what an applicant files for one
// procedure, and everything that happens to it until the result is returned.
//
// Plain data, no I/O: the state machine (state_machine.hpp) is the only thing
// that changes a dossier, the store persists it and the API encodes it. Times
// are calendar::Instant (epoch seconds; every local reading is Vietnam time)
// so that the working calendar can count them. Enum names are stable strings:
// they are stored, sent to the national portal and written into the event log,
// so never rename one.
#pragma once

#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/calendar/civil_date.hpp"

namespace motcua::dossier {

using calendar::Instant;

// How the dossier reached the administration.
enum class Channel { kOnline, kCounter, kPost, kNationalPortal };

// The states; the table of transitions is in state_machine.hpp.
enum class State {
  kDraft,              // being filled in (online by the applicant, or at the counter)
  kSubmitted,          // submitted, waiting for the desk to check it
  kReceived,           // checked complete, has its code and due time; not yet assigned
  kWaitingSupplement,  // asked for supplements; after receipt the clock is stopped
  kInProgress,         // assigned to a specialist of the competent unit
  kProposed,           // the specialist proposed a decision; waiting for the leader
  kApproved,           // the leader approved; waiting for the result to be issued
  kResultIssued,       // the result exists; waiting to be returned
  kReturned,           // the result was handed over (final)
  kRefused,            // refused with a written reason (final)
  kWithdrawn,          // withdrawn by the applicant, or a desk's draft dropped (final)
};

inline constexpr State kAllStates[] = {
    State::kDraft,      State::kSubmitted, State::kReceived,  State::kWaitingSupplement,
    State::kInProgress, State::kProposed,  State::kApproved,  State::kResultIssued,
    State::kReturned,   State::kRefused,   State::kWithdrawn,
};

// Received and not yet finished: its clock runs, or is stopped while it
// waits for the applicant's supplements.
inline constexpr State kOpenStates[] = {State::kReceived, State::kWaitingSupplement,
                                        State::kInProgress, State::kProposed, State::kApproved};
// Of those, the ones being processed: the clock runs.
inline constexpr State kProcessingStates[] = {State::kReceived, State::kInProgress,
                                              State::kProposed, State::kApproved};
// And the others: waiting for the applicant, the clock stopped.
inline constexpr State kPausedStates[] = {State::kWaitingSupplement};
static_assert(std::size(kProcessingStates) + std::size(kPausedStates) == std::size(kOpenStates));

// A final state accepts no further change of processing (a returned or
// refused dossier may still be rated).
bool is_final(State s);

enum class ApplicantKind { kPerson, kBusiness };

// The applicant: a person (12-digit personal ID number) or a business or
// organisation (tax code). Validated by identity.hpp.
struct Applicant {
  ApplicantKind kind = ApplicantKind::kPerson;
  std::string name;       // full name of the person, or name of the business
  std::string id_number;  // person: số định danh cá nhân (12 digits)
  std::string tax_code;   // business: mã số thuế, "0100109106" or "0100109106-001"
  std::string phone;
  std::string email;
  std::string address;
};

// One component handed in: an uploaded file, or a paper seen at the counter.
enum class ProvidedForm {
  kUploadedFile,        // a scan or an electronic document uploaded
  kElectronicOriginal,  // a signed electronic document or one taken from a national database
  kPaperOriginal,       // a paper original, seen (and compared) at the counter
  kPaperCopy,           // a paper copy left at the counter
};

struct ComponentProvided {
  std::string component_id;  // RequiredComponent::id of the procedure (completeness.hpp)
  ProvidedForm form = ProvidedForm::kUploadedFile;
  std::string file_ref;  // the stored file, for uploads and digitised papers
  int quantity = 1;
};

// A fee or charge (phí, lệ phí) due on filing, from the procedure's channel.
struct Fee {
  std::string name;
  std::int64_t amount_vnd = 0;  // money is integer VND
  bool paid = false;
  bool paid_online = false;
  std::optional<Instant> paid_at;
  std::string receipt;  // the receipt's number (biên lai), for a payment at the desk
};

enum class ResultForm { kElectronic, kPaper };
enum class Delivery { kCounter, kPost, kElectronic };

// The result of the procedure (kết quả giải quyết).
struct DossierResult {
  std::string number;    // number of the decision or certificate
  std::string file_ref;  // the electronic result or the scan of the paper one
  ResultForm form = ResultForm::kPaper;
  Instant issued_at;
  std::optional<Delivery> delivery;  // set when returned
  std::string tracking_number;       // postal tracking number, for kPost
  std::optional<Instant> delivered_at;
};

// The applicant's rating of the service, 1 (very dissatisfied) to 5.
struct Rating {
  int score = 0;
  std::string comment;
  Instant at;
};

// One request for supplements. After receipt, [requested_at, answered_at) is
// a pause of the clock: time waiting for the applicant is not counted.
struct SupplementRequest {
  Instant requested_at;
  std::string requested_by;
  std::vector<std::string> missing;  // exactly what is missing, one item each
  std::string note;
  bool after_receipt = false;  // false: guidance at the desk before receipt (no clock yet)
  std::optional<Instant> answered_at;
};

// A late dossier gets an apology letter and a new appointment date.
struct Apology {
  Instant at;
  std::string by;
  std::string reason;
  Instant previous_due;  // the appointment in force then, moved on by the waits for supplements
  Instant new_due;
  std::string letter_ref;  // the apology letter, a document of the dossier
};

struct Dossier {
  std::string id;         // internal identifier, set when the draft is created
  std::string code;       // {agency code}-{yymmdd}-{sequence}, set on receipt (dossier_code.hpp)
  std::string bundle_id;  // non-empty for dossiers opened together (liên thông)

  std::string procedure_code;
  std::string procedure_version;
  // The desk that receives and returns, and the unit that decides. They
  // differ only when the procedure may be received anywhere in the province
  // and the dossier is routed (see state_machine.hpp, "Units").
  std::string receiving_unit;
  std::string competent_unit;
  bool province_wide = false;

  Channel channel = Channel::kOnline;
  Applicant applicant;
  std::string applicant_user_id;  // the applicant's account; empty for counter and post filings
  std::string form_data_json;     // the procedure's form, as JSON text
  std::vector<ComponentProvided> components;
  std::vector<Fee> fees;

  State state = State::kDraft;
  // While waiting for supplements: the state the dossier returns to.
  State resume_state = State::kDraft;
  std::string assignee;  // user id of the specialist, once assigned

  std::optional<Instant> created_at;
  std::optional<Instant> submitted_at;
  std::optional<Instant> received_at;
  // Where the processing time starts to run: the end of the receipt day for a
  // deadline in working days (calendar::WorkingCalendar::clock_start).
  std::optional<Instant> clock_start;
  std::optional<Instant> due_at;       // legal due time, from the competent unit's calendar
  std::optional<Instant> finished_at;  // result issued, or refused after receipt
  std::optional<Instant> returned_at;

  std::vector<SupplementRequest> supplements;
  std::vector<Apology> apologies;
  std::string refusal_reason;
  std::string withdrawal_reason;
  std::optional<DossierResult> result;
  bool digitised = false;
  std::optional<Rating> rating;

  // The date promised to the applicant: the last apology's, else the due time.
  std::optional<Instant> appointment() const;
  // Digitised (số hoá) as the service index counts it: it holds papers, and
  // each is electronic (an upload, an electronic original) or a paper kept
  // with its scan. Set at receipt and again when a supplement adds papers.
  bool papers_digitised() const;
  // The fees not paid yet, in VND.
  std::int64_t unpaid_vnd() const;
  // The open supplement request, if the dossier is waiting for one.
  const SupplementRequest* open_supplement() const;
  // Supplement requests made after receipt (the ones the service index counts).
  int supplement_requests_after_receipt() const;
  // The desk that received it: the competent unit when none is stored (it
  // was received where it is settled).
  const std::string& desk_unit() const {
    return receiving_unit.empty() ? competent_unit : receiving_unit;
  }
};

// Stable names, and their parsers (nullopt for an unknown name).
const char* state_name(State s);
std::optional<State> parse_state(std::string_view name);
// The state as a Vietnamese reader knows it (the web app's state.* words),
// for the Vietnamese text of a message; the stable name stays in the English.
const char* state_label_vi(State s);
const char* channel_name(Channel c);
std::optional<Channel> parse_channel(std::string_view name);
const char* provided_form_name(ProvidedForm f);
std::optional<ProvidedForm> parse_provided_form(std::string_view name);
const char* result_form_name(ResultForm f);
std::optional<ResultForm> parse_result_form(std::string_view name);
const char* delivery_name(Delivery d);
std::optional<Delivery> parse_delivery(std::string_view name);
const char* applicant_kind_name(ApplicantKind k);
std::optional<ApplicantKind> parse_applicant_kind(std::string_view name);

}  // namespace motcua::dossier
