// The inbox's clauses as the branches of its WHERE, shared by both back ends
// so that each branch names the condition of the index it should use
// (migration 11): the receiving-unit index holds only dossiers routed to
// another unit, the applicant index only dossiers with an applicant account.
#pragma once

#include <string>
#include <vector>

#include "store/dossiers_store.hpp"

namespace motcua::store {

struct InboxBranch {
  const char* column;     // compared with the clause's value
  const char* condition;  // " AND ..." on the row alone, or ""
  const InboxClause* clause;
  // The index has the state next, then (sort_due, id): one scan per state
  // reads in page order. Else one scan reads the branch's states together.
  bool scan_per_state;
};

// A receiving-unit clause becomes two branches: dossiers it received for
// another unit, and dossiers it received for itself (which it is competent for).
std::vector<InboxBranch> inbox_branches(const InboxQuery& q);

}  // namespace motcua::store
