// `motcua audit verify`: reads every dossier's event chain and checks it
// against the head stored in the dossier row (dossier::verify_chain). An
// edited, deleted, inserted or reordered event, or a cut tail, is reported
// with the dossier and the entry; the exit code is 1 when any chain is bad.
#include <cstdio>

#include "app/commands.hpp"
#include "domain/dossier/event_chain.hpp"
#include "store/store.hpp"

namespace motcua::app {

int run_audit_verify(const Options& o) {
  auto opened = store::open_store(o.db);
  if (!opened) return report("audit verify", opened.error()), 1;
  store::DossiersStore& dossiers = (*opened)->dossiers();
  auto version = (*opened)->schema_version();
  if (!version) return report("audit verify", version.error()), 1;
  auto heads = dossiers.heads();
  if (!heads) return report("audit verify", heads.error()), 1;
  std::size_t events = 0;
  std::size_t bad = 0;
  for (const auto& head : *heads) {
    auto chain = dossiers.events(head.id);
    if (!chain) return report("audit verify", chain.error()), 1;
    events += chain->size();
    const auto verdict = dossier::verify_chain(*chain, {}, head.head);
    if (verdict.ok()) continue;
    if (bad++ == 0) {
      std::printf("FAIL dossier %s%s%s: entry %zu (seq %lld): %s: %s\n", head.id.c_str(),
                  head.code.empty() ? "" : " ", head.code.c_str(), verdict.index,
                  static_cast<long long>(verdict.seq), dossier::chain_fault_name(verdict.fault),
                  verdict.message_en.c_str());
    }
  }
  if (bad > 0) {
    std::printf("audit verify: %zu of %zu dossier chains are broken (%zu events read)\n", bad,
                heads->size(), events);
    return 1;
  }
  std::printf("audit verify: OK: %zu dossiers, %zu events, every chain matches its head\n",
              heads->size(), events);
  return 0;
}

}  // namespace motcua::app
