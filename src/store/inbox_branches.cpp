#include "store/inbox_branches.hpp"

namespace motcua::store {

std::vector<InboxBranch> inbox_branches(const InboxQuery& q) {
  std::vector<InboxBranch> out;
  for (const InboxClause& cl : q.clauses) {
    switch (cl.column) {
      case InboxClause::Column::kCompetentUnit:
        out.push_back({"competent_unit", "", &cl, true});
        break;
      case InboxClause::Column::kReceivingUnit:
        out.push_back({"receiving_unit", " AND receiving_unit <> competent_unit", &cl, true});
        out.push_back({"competent_unit", " AND competent_unit = receiving_unit", &cl, true});
        break;
      case InboxClause::Column::kApplicant:
        out.push_back({"applicant_user_id", " AND applicant_user_id <> ''", &cl, false});
        break;
    }
  }
  return out;
}

}  // namespace motcua::store
