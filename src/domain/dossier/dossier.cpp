#include "domain/dossier/dossier.hpp"

#include <utility>

namespace motcua::dossier {
namespace {

// Looks a name up in a table of {value, name} pairs.
template <class E, std::size_t N>
std::optional<E> find_name(const std::pair<E, const char*> (&table)[N], std::string_view name) {
  for (const auto& [value, text] : table) {
    if (name == text) return value;
  }
  return std::nullopt;
}

template <class E, std::size_t N>
const char* name_of(const std::pair<E, const char*> (&table)[N], E value) {
  for (const auto& [v, text] : table) {
    if (v == value) return text;
  }
  return "unknown";
}

constexpr std::pair<State, const char*> kStateNames[] = {
    {State::kDraft, "draft"},
    {State::kSubmitted, "submitted"},
    {State::kReceived, "received"},
    {State::kWaitingSupplement, "waiting_supplement"},
    {State::kInProgress, "in_progress"},
    {State::kProposed, "proposed"},
    {State::kApproved, "approved"},
    {State::kResultIssued, "result_issued"},
    {State::kReturned, "returned"},
    {State::kRefused, "refused"},
    {State::kWithdrawn, "withdrawn"},
};

// What a person reads: the words of the web app's state.* keys
// (web/src/i18n.ts), so that a message and the page name a state alike.
constexpr std::pair<State, const char*> kStateLabelsVi[] = {
    {State::kDraft, "Đang soạn"},
    {State::kSubmitted, "Đã nộp, chờ tiếp nhận"},
    {State::kReceived, "Đã tiếp nhận"},
    {State::kWaitingSupplement, "Chờ bổ sung giấy tờ"},
    {State::kInProgress, "Đang giải quyết"},
    {State::kProposed, "Đang trình lãnh đạo"},
    {State::kApproved, "Đã phê duyệt"},
    {State::kResultIssued, "Đã có kết quả, chờ trả"},
    {State::kReturned, "Đã trả kết quả"},
    {State::kRefused, "Từ chối giải quyết"},
    {State::kWithdrawn, "Đã rút hồ sơ"},
};

constexpr std::pair<Channel, const char*> kChannelNames[] = {
    {Channel::kOnline, "online"},
    {Channel::kCounter, "counter"},
    {Channel::kPost, "post"},
    {Channel::kNationalPortal, "national_portal"},
};

constexpr std::pair<ProvidedForm, const char*> kProvidedFormNames[] = {
    {ProvidedForm::kUploadedFile, "uploaded_file"},
    {ProvidedForm::kElectronicOriginal, "electronic_original"},
    {ProvidedForm::kPaperOriginal, "paper_original"},
    {ProvidedForm::kPaperCopy, "paper_copy"},
};

constexpr std::pair<ResultForm, const char*> kResultFormNames[] = {
    {ResultForm::kElectronic, "electronic"},
    {ResultForm::kPaper, "paper"},
};

constexpr std::pair<Delivery, const char*> kDeliveryNames[] = {
    {Delivery::kCounter, "counter"},
    {Delivery::kPost, "post"},
    {Delivery::kElectronic, "electronic"},
};

constexpr std::pair<ApplicantKind, const char*> kApplicantKindNames[] = {
    {ApplicantKind::kPerson, "person"},
    {ApplicantKind::kBusiness, "business"},
};

}  // namespace

bool is_final(State s) {
  return s == State::kReturned || s == State::kRefused || s == State::kWithdrawn;
}

std::optional<Instant> Dossier::appointment() const {
  if (!apologies.empty()) return apologies.back().new_due;
  return due_at;
}

bool Dossier::papers_digitised() const {
  if (components.empty()) return false;
  for (const ComponentProvided& c : components) {
    const bool electronic =
        c.form == ProvidedForm::kUploadedFile || c.form == ProvidedForm::kElectronicOriginal;
    if (!electronic && c.file_ref.empty()) return false;
  }
  return true;
}

std::int64_t Dossier::unpaid_vnd() const {
  std::int64_t due = 0;
  for (const Fee& f : fees) {
    if (f.amount_vnd > 0 && !f.paid) due += f.amount_vnd;
  }
  return due;
}

const SupplementRequest* Dossier::open_supplement() const {
  if (supplements.empty() || supplements.back().answered_at) return nullptr;
  return &supplements.back();
}

int Dossier::supplement_requests_after_receipt() const {
  int n = 0;
  for (const SupplementRequest& s : supplements) n += s.after_receipt ? 1 : 0;
  return n;
}

const char* state_name(State s) { return name_of(kStateNames, s); }
std::optional<State> parse_state(std::string_view n) { return find_name(kStateNames, n); }
const char* state_label_vi(State s) { return name_of(kStateLabelsVi, s); }
const char* channel_name(Channel c) { return name_of(kChannelNames, c); }
std::optional<Channel> parse_channel(std::string_view n) { return find_name(kChannelNames, n); }
const char* provided_form_name(ProvidedForm f) { return name_of(kProvidedFormNames, f); }
std::optional<ProvidedForm> parse_provided_form(std::string_view n) {
  return find_name(kProvidedFormNames, n);
}
const char* result_form_name(ResultForm f) { return name_of(kResultFormNames, f); }
std::optional<ResultForm> parse_result_form(std::string_view n) {
  return find_name(kResultFormNames, n);
}
const char* delivery_name(Delivery d) { return name_of(kDeliveryNames, d); }
std::optional<Delivery> parse_delivery(std::string_view n) { return find_name(kDeliveryNames, n); }
const char* applicant_kind_name(ApplicantKind k) { return name_of(kApplicantKindNames, k); }
std::optional<ApplicantKind> parse_applicant_kind(std::string_view n) {
  return find_name(kApplicantKindNames, n);
}

}  // namespace motcua::dossier
