#include "services/personal_data_log.hpp"

#include <chrono>

namespace motcua::services {

Result<void> PersonalDataLog::record(const access::Principal& viewer,
                                     const std::string& subject_kind, const std::string& subject_id,
                                     const std::string& action, const ViewContext& context) {
  return record_all(viewer, subject_kind, {subject_id}, action, context);
}

Result<void> PersonalDataLog::record_all(const access::Principal& viewer,
                                         const std::string& subject_kind,
                                         const std::vector<std::string>& subject_ids,
                                         const std::string& action, const ViewContext& context) {
  store::PersonalDataView v;
  v.viewed_at_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  v.viewer_id = viewer.user_id;
  v.viewer_username = viewer.username;
  for (int r = 0; r < access::kRoleCount; ++r)
    if (viewer.roles & (1u << r)) {
      if (!v.viewer_roles.empty()) v.viewer_roles += ',';
      v.viewer_roles += access::role_name(static_cast<access::Role>(r));
    }
  v.subject_kind = subject_kind;
  v.action = action;
  v.route = context.route;
  v.request_id = context.request_id;
  v.remote = context.remote;
  std::vector<store::PersonalDataView> views;
  for (const auto& id : subject_ids) {
    if (subject_kind == "citizen" && !viewer.citizen_id.empty() && viewer.citizen_id == id)
      continue;
    views.push_back(v);
    views.back().subject_id = id;
  }
  return store_.record_views(views);
}

}  // namespace motcua::services
