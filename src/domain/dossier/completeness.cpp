#include "domain/dossier/completeness.hpp"

#include <algorithm>

namespace motcua::dossier {
namespace {

bool is_original(ProvidedForm f) {
  return f == ProvidedForm::kPaperOriginal || f == ProvidedForm::kElectronicOriginal;
}

}  // namespace

CompletenessReport check_completeness(const std::vector<RequiredComponent>& required,
                                      const std::vector<ComponentProvided>& provided,
                                      const std::set<std::string>& applicable_conditional) {
  CompletenessReport report;
  for (const RequiredComponent& r : required) {
    if (r.requirement == Requirement::kConditional && !applicable_conditional.contains(r.id)) {
      continue;
    }
    int any = 0;
    int acceptable = 0;
    for (const ComponentProvided& p : provided) {
      if (p.component_id != r.id) continue;
      const int q = std::max(p.quantity, 0);
      any += q;
      if (r.form == RequiredForm::kCopy || is_original(p.form)) acceptable += q;
    }
    const int need = std::max(r.quantity, 1);
    if (acceptable >= need) continue;
    MissingReason reason = MissingReason::kTooFew;
    if (any == 0) {
      reason = MissingReason::kNotProvided;
    } else if (acceptable == 0) {
      reason = MissingReason::kOriginalRequired;
    }
    report.missing.push_back(MissingComponent{r.id, r.name, reason, need, acceptable});
  }
  for (const ComponentProvided& p : provided) {
    const bool listed =
        std::any_of(required.begin(), required.end(),
                    [&](const RequiredComponent& r) { return r.id == p.component_id; });
    if (!listed && std::find(report.unknown.begin(), report.unknown.end(), p.component_id) ==
                       report.unknown.end()) {
      report.unknown.push_back(p.component_id);
    }
  }
  return report;
}

std::vector<std::string> describe_missing_vi(const CompletenessReport& report) {
  std::vector<std::string> out;
  for (const MissingComponent& m : report.missing) {
    switch (m.reason) {
      case MissingReason::kNotProvided:
        out.push_back(m.name + ": chưa nộp");
        break;
      case MissingReason::kOriginalRequired:
        out.push_back(m.name + ": cần bản chính");
        break;
      case MissingReason::kTooFew:
        out.push_back(m.name + ": cần " + std::to_string(m.required) + " bản, mới có " +
                      std::to_string(m.provided));
        break;
    }
  }
  for (const std::string& id : report.unknown) {
    out.push_back("\"" + id + "\": không có trong thành phần hồ sơ của thủ tục");
  }
  return out;
}

std::vector<std::string> describe_missing_en(const CompletenessReport& report) {
  std::vector<std::string> out;
  for (const MissingComponent& m : report.missing) {
    switch (m.reason) {
      case MissingReason::kNotProvided:
        out.push_back(m.name + ": not provided");
        break;
      case MissingReason::kOriginalRequired:
        out.push_back(m.name + ": the original is required");
        break;
      case MissingReason::kTooFew:
        out.push_back(m.name + ": " + std::to_string(m.required) + " required, " +
                      std::to_string(m.provided) + " provided");
        break;
    }
  }
  for (const std::string& id : report.unknown) {
    out.push_back("\"" + id + "\": not a component of the procedure");
  }
  return out;
}

}  // namespace motcua::dossier
