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
  auto opened = store::open_existing_store(o.db);
  if (!opened) return report("audit verify", opened.error()), 1;
  store::DossiersStore& dossiers = (*opened)->dossiers();
  auto version = (*opened)->schema_version();
  if (!version) return report("audit verify", version.error()), 1;
  // The heads and every chain as of one moment: read apart, an action taken
  // meanwhile showed its new head against the old chain, as a cut end.
  std::vector<store::DossierRecord> heads;
  std::size_t events = 0;
  std::size_t bad = 0;
  std::int64_t orphans = 0;
  auto read = (*opened)->stats().in_one_snapshot([&]() -> Result<void> {
    auto all = dossiers.heads();
    if (!all) return all.error();
    heads = std::move(*all);
    for (const auto& head : heads) {
      auto chain = dossiers.events(head.id);
      if (!chain) return chain.error();
      events += chain->size();
      const auto verdict = dossier::verify_chain(*chain, {}, head.head);
      if (verdict.ok()) continue;
      // Every broken chain named, its entries counted from 1 as the message counts them.
      ++bad;
      std::printf("FAIL dossier %s%s%s: entry %zu (seq %lld): %s: %s\n", head.id.c_str(),
                  head.code.empty() ? "" : " ", head.code.c_str(), verdict.index + 1,
                  static_cast<long long>(verdict.seq), dossier::chain_fault_name(verdict.fault),
                  verdict.message_en.c_str());
    }
    auto total = dossiers.event_count();
    if (!total) return total.error();
    orphans = *total - static_cast<std::int64_t>(events);
    return ok();
  });
  if (!read) return report("audit verify", read.error()), 1;
  if (orphans > 0) {
    // Entries whose dossier row is gone: a deleted row hides its whole chain.
    std::printf("FAIL %lld log entries belong to no dossier: their dossiers' rows were deleted\n",
                static_cast<long long>(orphans));
    ++bad;
  }
  if (bad > 0) {
    std::printf("audit verify: %zu of %zu dossier chains are broken (%zu events read)\n", bad,
                heads.size(), events);
    return 1;
  }
  std::printf("audit verify: OK: %zu dossiers, %zu events, every chain matches its head\n",
              heads.size(), events);
  return 0;
}

}  // namespace motcua::app
