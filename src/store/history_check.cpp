#include "store/dossiers_store.hpp"

namespace motcua::store {

Result<void> check_history(const DossierRecord& r, const std::vector<dossier::Event>& events) {
  auto bad = [&](const std::string& why) {
    return make_error(ErrorKind::kInternal, "Lịch sử hồ sơ " + r.id + " không khớp: " + why + ".",
                      "The history of dossier " + r.id + " does not match: " + why + ".");
  };
  if (events.empty()) return bad("no event");
  std::string_view prev = dossier::kGenesisHash;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const auto& e = events[i];
    if (e.dossier_id != r.id) return bad("event of another dossier");
    if (e.seq != static_cast<std::int64_t>(i + 1)) return bad("events out of sequence");
    if (e.prev_hash != prev) return bad("broken link");
    prev = e.hash;
  }
  if (r.head.seq != events.back().seq || r.head.hash != events.back().hash ||
      r.version != static_cast<std::int64_t>(events.size())) {
    return bad("head");
  }
  return ok();
}

}  // namespace motcua::store
