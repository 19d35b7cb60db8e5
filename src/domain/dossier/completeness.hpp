// Is the dossier complete? The components provided against the procedure's
// required components, naming exactly what is missing: the desk must state
// every missing item at once (Decree 61/2018, one request for supplements),
// so the check reports all of them, in the procedure's order.
//
// A RequiredComponent is the minimal view of the catalog's component list:
// the catalog maps its entries onto it. Rules:
// - A mandatory component is always required. A conditional one ("when the
//   applicant is represented: the power of attorney") is required only when
//   the desk says its condition applies (`applicable_conditional` ids).
// - An original (bản chính) is satisfied by a paper original seen at the
//   counter or an electronic original (signed, or from a national database);
//   a copy (bản sao) by any form, uploads included.
// - The quantities of the items provided for one component add up and must
//   reach the quantity required.
// - Provided items naming no component of the procedure are reported as
//   unknown (the caller answers 422), and count for nothing.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "domain/dossier/dossier.hpp"

namespace motcua::dossier {

enum class Requirement { kMandatory, kConditional };
enum class RequiredForm { kOriginal, kCopy };

struct RequiredComponent {
  std::string id;
  std::string name;  // as the catalog names it, in Vietnamese
  Requirement requirement = Requirement::kMandatory;
  RequiredForm form = RequiredForm::kCopy;
  int quantity = 1;
};

enum class MissingReason {
  kNotProvided,       // nothing given for it
  kOriginalRequired,  // only copies or uploads given where an original is needed
  kTooFew,            // fewer than the quantity required
};

struct MissingComponent {
  std::string id;
  std::string name;
  MissingReason reason = MissingReason::kNotProvided;
  int required = 0;  // quantity required
  int provided = 0;  // quantity provided in an acceptable form
};

struct CompletenessReport {
  std::vector<MissingComponent> missing;
  std::vector<std::string> unknown;  // component ids provided that the procedure does not list

  bool complete() const { return missing.empty() && unknown.empty(); }
};

CompletenessReport check_completeness(const std::vector<RequiredComponent>& required,
                                      const std::vector<ComponentProvided>& provided,
                                      const std::set<std::string>& applicable_conditional = {});

// One line per missing item, for the supplement request and error messages:
// "Tờ khai đăng ký khai sinh: chưa nộp" / "Tờ khai đăng ký khai sinh: not provided".
std::vector<std::string> describe_missing_vi(const CompletenessReport& report);
std::vector<std::string> describe_missing_en(const CompletenessReport& report);

}  // namespace motcua::dossier
