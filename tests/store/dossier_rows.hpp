// A dossier's row and an event as the store tests write them: only the
// fields a store requires, the same in every file that writes dossiers.
#pragma once

#include <string>

#include "store/store.hpp"

namespace motcua::store::test_support {

// A submitted dossier of `unit`, its body naming its id.
inline DossierRecord record(std::string id, std::string unit = "00004") {
  DossierRecord r;
  r.id = std::move(id);
  r.procedure_code = "1.000001";
  r.procedure_version = "1";
  r.receiving_unit = unit;
  r.competent_unit = unit;
  r.channel = "online";
  r.state = "submitted";
  r.applicant_user_id = "7";
  r.updated_at = 1'751'340'000;
  r.body = R"({"id":")" + r.id + R"("})";
  return r;
}

// A citizen's event `action` from state `from` to `to`.
inline dossier::Event event(std::string action, std::string from, std::string to) {
  dossier::Event e;
  e.at = {1'751'340'000};
  e.actor_user_id = "7";
  e.actor_role = "citizen";
  e.action = std::move(action);
  e.from_state = std::move(from);
  e.to_state = std::move(to);
  return e;
}

}  // namespace motcua::store::test_support
