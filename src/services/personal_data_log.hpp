// The personal-data view log: every time someone is shown a dossier or an
// applicant's (a citizen's) data, one row says who, when and what. Recorded
// before the data is sent: if the row cannot be written, the view fails.
// A person looking at their own data is not recorded.
#pragma once

#include <string>
#include <vector>

#include "common/result.hpp"
#include "domain/access/principal.hpp"
#include "store/accounts_store.hpp"

namespace motcua::services {

struct ViewContext {
  std::string route;  // "GET /api/v1/users/{id}"
  std::string request_id;
  std::string remote;
};

class PersonalDataLog {
 public:
  explicit PersonalDataLog(store::AccountsStore& store) : store_(store) {}

  // `subject_kind` is "citizen" or "dossier"; `action` "read", "list", ...
  Result<void> record(const access::Principal& viewer, const std::string& subject_kind,
                      const std::string& subject_id, const std::string& action,
                      const ViewContext& context);
  // The same for a page of subjects shown together, in one write.
  Result<void> record_all(const access::Principal& viewer, const std::string& subject_kind,
                          const std::vector<std::string>& subject_ids, const std::string& action,
                          const ViewContext& context);
  Result<std::vector<store::PersonalDataView>> query(const store::ViewQuery& query) {
    return store_.list_views(query);
  }

 private:
  store::AccountsStore& store_;
};

}  // namespace motcua::services
