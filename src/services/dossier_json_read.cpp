// The stored body back into a Dossier, taken as the parser streams it (Boost.JSON's
// basic_parser with a handler of our own) instead of from a tree of values:
// the tree, its keys hashed and each member then looked up by name, cost
// two thirds more than the parse itself, and a commune's year-long list reads
// thousands of bodies (bench/dossier_json_bench).
//
// As lenient as the tree was: a member of another type than the body writes,
// or one not known, is passed over and its field keeps its default; only a
// body that is not a JSON object, or that names no known channel or state, is
// corrupt.
#include <array>
#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <type_traits>
#include <utility>

#include "services/dossier_json.hpp"
#include "store/dossiers_store.hpp"

namespace motcua::services {
namespace {

namespace json = boost::json;
using namespace motcua::dossier;
using calendar::Instant;

// A key or string of form_data as json::serialize spells it.
std::string json_string(std::string_view v) {
  return json::serialize(json::string_view(v.data(), v.size()));
}

std::optional<Instant> time_of(std::string_view text) {
  auto r = calendar::parse_rfc3339(text);
  if (!r) return std::nullopt;
  return *r;
}

// The members a body writes, by name, for each kind of field: text, an
// optional time, a time.
template <class T, class F, std::size_t N>
using Fields = std::array<std::pair<std::string_view, F T::*>, N>;
using Time = std::optional<Instant>;

constexpr Fields<Dossier, std::string, 11> kDossierTexts{{
    {"id", &Dossier::id},
    {"code", &Dossier::code},
    {"bundle_id", &Dossier::bundle_id},
    {"procedure_code", &Dossier::procedure_code},
    {"procedure_version", &Dossier::procedure_version},
    {"receiving_unit", &Dossier::receiving_unit},
    {"competent_unit", &Dossier::competent_unit},
    {"applicant_user_id", &Dossier::applicant_user_id},
    {"assignee", &Dossier::assignee},
    {"refusal_reason", &Dossier::refusal_reason},
    {"withdrawal_reason", &Dossier::withdrawal_reason},
}};
constexpr Fields<Dossier, Time, 7> kDossierTimes{{
    {"created_at", &Dossier::created_at},
    {"submitted_at", &Dossier::submitted_at},
    {"received_at", &Dossier::received_at},
    {"clock_start", &Dossier::clock_start},
    {"due_at", &Dossier::due_at},
    {"finished_at", &Dossier::finished_at},
    {"returned_at", &Dossier::returned_at},
}};
constexpr Fields<Applicant, std::string, 6> kApplicantTexts{{
    {"name", &Applicant::name},
    {"id_number", &Applicant::id_number},
    {"tax_code", &Applicant::tax_code},
    {"phone", &Applicant::phone},
    {"email", &Applicant::email},
    {"address", &Applicant::address},
}};
constexpr Fields<ComponentProvided, std::string, 2> kComponentTexts{{
    {"component_id", &ComponentProvided::component_id},
    {"file_ref", &ComponentProvided::file_ref},
}};
constexpr Fields<Fee, std::string, 2> kFeeTexts{{{"name", &Fee::name}, {"receipt", &Fee::receipt}}};
constexpr Fields<Fee, Time, 1> kFeeTimes{{{"paid_at", &Fee::paid_at}}};
constexpr Fields<SupplementRequest, std::string, 2> kSupplementTexts{{
    {"requested_by", &SupplementRequest::requested_by},
    {"note", &SupplementRequest::note},
}};
constexpr Fields<SupplementRequest, Time, 1> kSupplementTimes{
    {{"answered_at", &SupplementRequest::answered_at}}};
constexpr Fields<SupplementRequest, Instant, 1> kSupplementInstants{
    {{"requested_at", &SupplementRequest::requested_at}}};
constexpr Fields<Apology, std::string, 3> kApologyTexts{{
    {"by", &Apology::by},
    {"reason", &Apology::reason},
    {"letter_ref", &Apology::letter_ref},
}};
constexpr Fields<Apology, Instant, 3> kApologyInstants{{
    {"at", &Apology::at},
    {"previous_due", &Apology::previous_due},
    {"new_due", &Apology::new_due},
}};
constexpr Fields<DossierResult, std::string, 3> kResultTexts{{
    {"number", &DossierResult::number},
    {"file_ref", &DossierResult::file_ref},
    {"tracking_number", &DossierResult::tracking_number},
}};
constexpr Fields<DossierResult, Time, 1> kResultTimes{
    {{"delivered_at", &DossierResult::delivered_at}}};
constexpr Fields<DossierResult, Instant, 1> kResultInstants{
    {{"issued_at", &DossierResult::issued_at}}};
constexpr Fields<Rating, std::string, 1> kRatingTexts{{{"comment", &Rating::comment}}};
constexpr Fields<Rating, Instant, 1> kRatingInstants{{{"at", &Rating::at}}};

// What the value being read belongs to.
enum class In : std::uint8_t {
  kDossier,
  kApplicant,
  kComponents,
  kComponent,
  kFees,
  kFee,
  kSupplements,
  kSupplement,
  kMissing,
  kApologies,
  kApology,
  kResult,
  kRating,
  kFormData,  // copied as JSON text
  kSkipped,   // not a member the body has: passed over
};

class BodyHandler {
 public:
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  Dossier d;
  std::optional<Channel> channel;
  std::optional<State> state, resume_state;
  bool object = false;  // the body is an object

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }

  bool on_object_begin(json::error_code&) { return open('{'); }
  bool on_object_end(std::size_t, json::error_code&) { return close('}'); }
  bool on_array_begin(json::error_code&) { return open('['); }
  bool on_array_end(std::size_t, json::error_code&) { return close(']'); }

  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    if (!key_in_parts_) key_.clear();
    key_in_parts_ = true;
    key_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code&) {
    if (key_in_parts_) {  // the rest of a key given in parts
      key_.append(s.data(), s.size());
      key_in_parts_ = false;
    } else {
      key_.assign(s.data(), s.size());
    }
    if (in(In::kFormData)) {
      form_comma();
      form_ += json_string(key_);
      form_ += ':';
      after_key_ = true;
    }
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    text_.append(s.data(), s.size());
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    if (!text_.empty()) {  // the rest of a string given in parts
      text_.append(s.data(), s.size());
      string_value(text_);
      text_.clear();
    } else {
      string_value(std::string_view(s.data(), s.size()));
    }
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    number_.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view s, json::error_code&) {
    if (!form_scalar(s)) int_value(i);
    number_.clear();
    return true;
  }
  bool on_uint64(std::uint64_t, json::string_view s, json::error_code&) {
    form_scalar(s);  // over int64's range: no field takes it
    number_.clear();
    return true;
  }
  bool on_double(double, json::string_view s, json::error_code&) {
    form_scalar(s);  // no field takes a real number
    number_.clear();
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    if (!form_scalar(b ? "true" : "false")) bool_value(b);
    return true;
  }
  bool on_null(json::error_code&) {
    form_scalar("null");  // a null field keeps its default
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

 private:
  bool in(In where) const { return !stack_.empty() && stack_.back() == where; }
  bool key(std::string_view k) const { return key_ == k; }

  // --- form_data: its text again, as json::serialize spells it ---
  // True when the value now starting is the dossier's form_data member.
  bool form_data_value() const {
    return in(In::kFormData) || (in(In::kDossier) && key("form_data"));
  }
  void form_comma() {
    if (after_key_) {
      after_key_ = false;
    } else if (form_comma_) {
      form_ += ',';
    }
  }
  void form_open(char c) {
    if (in(In::kDossier)) form_start();  // the outermost
    form_comma();
    form_ += c;
    form_comma_ = false;
  }
  void form_start() {
    form_.clear();
    form_comma_ = after_key_ = false;
  }
  // A scalar of form_data (its JSON text); false when not in form_data.
  bool form_scalar(std::string_view last_part) {
    if (!form_data_value()) return false;
    const bool whole = in(In::kDossier);
    if (whole) form_start();
    form_comma();
    form_ += number_;  // the number's first parts, if it came in parts
    form_.append(last_part.data(), last_part.size());
    form_comma_ = true;
    if (whole) d.form_data_json = std::move(form_);
    return true;
  }
  bool open(char c) {
    if (stack_.empty()) {  // anything but an object is found corrupt at the end
      object = c == '{';
      stack_.push_back(object ? In::kDossier : In::kSkipped);
      return true;
    }
    if (form_data_value()) {
      form_open(c);
      stack_.push_back(In::kFormData);
      return true;
    }
    stack_.push_back(c == '{' ? object_in(stack_.back()) : array_in(stack_.back()));
    return true;
  }
  bool close(char c) {
    if (stack_.empty()) return true;
    const In was = stack_.back();
    stack_.pop_back();
    if (was == In::kFormData) {
      form_ += c;
      form_comma_ = true;
      if (in(In::kDossier)) d.form_data_json = std::move(form_);
    }
    return true;
  }

  // Where an object value goes, in `where` under the current key.
  In object_in(In where) {
    switch (where) {
      case In::kDossier:
        if (key("applicant")) return In::kApplicant;
        if (key("result")) {
          d.result.emplace();
          return In::kResult;
        }
        if (key("rating")) {
          d.rating.emplace();
          return In::kRating;
        }
        return In::kSkipped;
      case In::kComponents:
        d.components.push_back({"", ProvidedForm::kUploadedFile, "", 0});
        return In::kComponent;
      case In::kFees:
        d.fees.emplace_back();
        return In::kFee;
      case In::kSupplements:
        d.supplements.emplace_back();
        return In::kSupplement;
      case In::kApologies:
        d.apologies.emplace_back();
        return In::kApology;
      default:
        return In::kSkipped;
    }
  }
  // Where an array value goes.
  In array_in(In where) const {
    if (where == In::kDossier) {
      if (key("components")) return In::kComponents;
      if (key("fees")) return In::kFees;
      if (key("supplements")) return In::kSupplements;
      if (key("apologies")) return In::kApologies;
    }
    if (where == In::kSupplement && key("missing")) return In::kMissing;
    return In::kSkipped;
  }

  void string_value(std::string_view v) {
    if (stack_.empty()) return;
    if (form_data_value()) {
      form_scalar(json_string(v));
      return;
    }
    switch (stack_.back()) {
      case In::kDossier:
        if (key("channel")) {
          channel = parse_channel(v);
        } else if (key("state")) {
          state = parse_state(v);
        } else if (key("resume_state")) {
          resume_state = parse_state(v);
        } else {
          set(d, kDossierTexts, v) || set(d, kDossierTimes, v);
        }
        return;
      case In::kApplicant:
        if (key("kind")) {
          d.applicant.kind = parse_applicant_kind(v).value_or(ApplicantKind::kPerson);
        } else {
          set(d.applicant, kApplicantTexts, v);
        }
        return;
      case In::kComponent:
        if (key("form")) {
          d.components.back().form = parse_provided_form(v).value_or(ProvidedForm::kUploadedFile);
        } else {
          set(d.components.back(), kComponentTexts, v);
        }
        return;
      case In::kFee:
        set(d.fees.back(), kFeeTexts, v) || set(d.fees.back(), kFeeTimes, v);
        return;
      case In::kSupplement: {
        auto& r = d.supplements.back();
        set(r, kSupplementTexts, v) || set(r, kSupplementTimes, v) ||
            set(r, kSupplementInstants, v);
        return;
      }
      case In::kMissing:
        d.supplements.back().missing.emplace_back(v);
        return;
      case In::kApology:
        set(d.apologies.back(), kApologyTexts, v) || set(d.apologies.back(), kApologyInstants, v);
        return;
      case In::kResult: {
        auto& r = *d.result;
        if (key("form")) {
          r.form = parse_result_form(v).value_or(ResultForm::kPaper);
        } else if (key("delivery")) {
          r.delivery = parse_delivery(v);
        } else {
          set(r, kResultTexts, v) || set(r, kResultTimes, v) || set(r, kResultInstants, v);
        }
        return;
      }
      case In::kRating:
        set(*d.rating, kRatingTexts, v) || set(*d.rating, kRatingInstants, v);
        return;
      default:
        return;
    }
  }

  // Sets the field of `into` that `fields` names for the current key from
  // text `v` (a time as RFC 3339: none, or the epoch, when it is not one);
  // false when no field has that name.
  template <class T, class F, std::size_t N>
  bool set(T& into, const Fields<T, F, N>& fields, std::string_view v) const {
    for (const auto& [name, field] : fields) {
      if (!key(name)) continue;
      if constexpr (std::is_same_v<F, std::string>) {
        into.*field = v;
      } else if constexpr (std::is_same_v<F, Instant>) {
        into.*field = time_of(v).value_or(Instant{});
      } else {
        into.*field = time_of(v);
      }
      return true;
    }
    return false;
  }

  void int_value(std::int64_t i) {
    if (in(In::kComponent) && key("quantity")) {
      d.components.back().quantity = static_cast<int>(i);
    } else if (in(In::kFee) && key("amount_vnd")) {
      d.fees.back().amount_vnd = i;
    } else if (in(In::kRating) && key("score")) {
      d.rating->score = static_cast<int>(i);
    }
  }

  void bool_value(bool b) {
    if (in(In::kDossier)) {
      if (key("province_wide")) {
        d.province_wide = b;
      } else if (key("digitised")) {
        d.digitised = b;
      }
    } else if (in(In::kFee)) {
      if (key("paid")) {
        d.fees.back().paid = b;
      } else if (key("paid_online")) {
        d.fees.back().paid_online = b;
      }
    } else if (in(In::kSupplement) && key("after_receipt")) {
      d.supplements.back().after_receipt = b;
    }
  }

  std::vector<In> stack_;
  std::string key_;     // the member whose value comes next
  std::string text_;    // a string given in parts
  std::string number_;  // a number given in parts
  std::string form_;    // form_data's text so far
  bool key_in_parts_ = false;
  bool form_comma_ = false;  // form_data: a value came before, at this depth
  bool after_key_ = false;   // form_data: a key was just written
};

Error corrupt(const std::string& what) {
  return make_error(ErrorKind::kInternal, "Dữ liệu hồ sơ đã lưu bị hỏng: " + what,
                    "A stored dossier is corrupt: " + what);
}

}  // namespace

Result<Dossier> dossier_from_json(std::string_view text) {
  json::basic_parser<BodyHandler> parser(json::parse_options{});
  json::error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  auto& h = parser.handler();
  if (ec || used != text.size() || !h.object) return corrupt("not a JSON object");
  if (!h.channel || !h.state || !h.resume_state) return corrupt("channel or state of " + h.d.id);
  h.d.channel = *h.channel;
  h.d.state = *h.state;
  h.d.resume_state = *h.resume_state;
  return std::move(h.d);
}

Result<Dossier> dossier_from_row(const store::DossierRecord& row) {
  auto d = dossier_from_json(row.body);
  if (d) return d;
  Error e = d.error();
  const std::string which = " (" + row.id + (row.code.empty() ? "" : " " + row.code) + ")";
  e.message_vi += which;
  e.message_en += which;
  return e;
}

}  // namespace motcua::services
