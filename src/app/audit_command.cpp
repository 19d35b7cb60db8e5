// `motcua audit verify`: reads every dossier's event chain and checks it
// against the head stored in the dossier row (dossier::verify_chain). An
// edited, deleted, inserted or reordered event, or a cut tail, is reported
// with the dossier and the entry. The row is then checked against what its
// intact chain determines (dossier::check_row: state, code, competent unit,
// version, in the columns and the body, and the whole body against the digest
// its last entry sealed), and the receipt codes of every
// agency and day against their counter (dossier::check_code_run): a received
// dossier erased with its whole log leaves a gap there. The exit code is 1
// when anything is wrong.
//
// What no hash covers is not checked: the rows' other columns, and the body
// of a dossier whose last entry predates the body digest (migration 23),
// which the summary counts.
//
// It streams: the rows a page at a time with their entries (one range of the
// log a page), all in one snapshot; what it keeps is one number per receipt
// code, for the counters.
#include <cstdio>
#include <map>
#include <utility>

#include "app/commands.hpp"
#include "common/sha256.hpp"
#include "domain/dossier/dossier.hpp"
#include "domain/dossier/event_chain.hpp"
#include "services/dossier_json.hpp"
#include "store/store.hpp"

namespace motcua::app {
namespace {

const char* space_before(const std::string& code) { return code.empty() ? "" : " "; }

// Not a fault: bodies last written before the digest have no seal to check.
void note_unsealed(std::size_t unsealed) {
  if (unsealed == 0) return;
  std::printf(
      "audit verify: note: the bodies of %zu dossiers (applicant, papers, fees) are sealed by no "
      "log entry yet: their last change was written before version 23 of the schema; their "
      "next change seals them / nội dung của %zu hồ sơ (người nộp, giấy tờ, phí) chưa được bản "
      "ghi nhật ký nào niêm phong: thay đổi cuối được ghi trước phiên bản 23 của lược đồ; thay "
      "đổi kế tiếp sẽ niêm phong\n",
      unsealed, unsealed);
}

}  // namespace

int run_audit_verify(const Options& o) {
  // At the binary's schema, never migrated; on SQLite read-only.
  auto opened = open_up_to_date(o.db, true);
  if (!opened) return report("audit verify", opened.error()), 1;
  store::DossiersStore& dossiers = (*opened)->dossiers();
  auto version = (*opened)->schema_version();
  if (!version) return report("audit verify", version.error()), 1;
  std::size_t rows = 0;
  std::size_t events = 0;
  std::size_t bad_chains = 0;
  std::size_t bad_rows = 0;
  std::size_t bad_runs = 0;
  std::size_t unsealed = 0;  // rows whose last entry has no body digest
  std::int64_t orphans = 0;
  // The numbers of the codes present, by (agency code, day).
  std::map<std::pair<std::string, std::string>, std::vector<std::int64_t>> numbers;
  std::vector<store::CodeSequence> counters;
  // The rows, every chain and the counters as of one moment: read apart, an
  // action taken meanwhile showed its new head against the old chain, as a
  // cut end, or a new receipt's number above the counter read before it.
  auto read = (*opened)->stats().in_one_snapshot([&]() -> Result<void> {
    auto scanned = dossiers.audit_scan([&](const store::AuditDossier& d) -> Result<void> {
      const store::DossierRecord& row = d.row;
      ++rows;
      events += d.events.size();
      const auto verdict = dossier::verify_chain(d.events, {}, row.head);
      std::string code = row.code;
      if (!verdict.ok()) {
        // Every broken chain named; the messages name the entry (counted
        // from 1) or, for the head, which of its fields differs.
        ++bad_chains;
        std::printf("FAIL dossier %s%s%s: %s: %s / %s\n", row.id.c_str(), space_before(row.code),
                    row.code.c_str(), dossier::chain_fault_name(verdict.fault),
                    verdict.message_en.c_str(), verdict.message_vi.c_str());
      } else if (!d.events.empty()) {
        // The chain is whole: what it determines of the row must be so.
        dossier::RowFacts facts;
        facts.code = row.code;
        facts.state = row.state;
        facts.competent_unit = row.competent_unit;
        facts.version = row.version;
        facts.body_sha256 = sha256_hex(row.body);
        if (d.events.back().body_sha256.empty()) ++unsealed;
        if (auto body = services::dossier_from_json(row.body)) {
          facts.body_code = body->code;
          facts.body_state = dossier::state_name(body->state);
          facts.body_competent_unit = body->competent_unit;
        } else {
          facts.body_read = false;
          facts.body_error_en = body.error().message_en;
          facts.body_error_vi = body.error().message_vi;
        }
        const auto mismatches = dossier::check_row(facts, d.events);
        if (!mismatches.empty()) ++bad_rows;
        for (const auto& m : mismatches) {
          std::printf("FAIL dossier %s%s%s: row_mismatch: %s: %s / %s\n", row.id.c_str(),
                      space_before(row.code), row.code.c_str(), m.field.c_str(),
                      m.message_en.c_str(), m.message_vi.c_str());
        }
        code = d.events.back().dossier_code;  // the code as the log has it
      }
      std::string agency, day;
      std::int64_t number = 0;
      if (!code.empty() && dossier::split_dossier_code(code, agency, day, number)) {
        numbers[{std::move(agency), std::move(day)}].push_back(number);
      }
      return ok();
    });
    if (!scanned) return scanned;
    auto total = dossiers.event_count();
    if (!total) return total.error();
    orphans = *total - static_cast<std::int64_t>(events);
    auto sequences = dossiers.code_sequences();
    if (!sequences) return sequences.error();
    counters = std::move(*sequences);
    return ok();
  });
  if (!read) return report("audit verify", read.error()), 1;
  if (orphans > 0) {
    // Entries whose dossier row is gone: a deleted row hides its whole chain.
    std::printf(
        "FAIL %lld log entries belong to no dossier: their dossiers' rows were deleted / %lld bản "
        "ghi nhật ký không thuộc hồ sơ nào: dòng hồ sơ của chúng đã bị xoá\n",
        static_cast<long long>(orphans), static_cast<long long>(orphans));
  }
  // Every counter against its codes, then the codes of no counter.
  auto check_run = [&](const std::string& agency, const std::string& day,
                       std::vector<std::int64_t> present, std::int64_t counter) {
    const auto fault = dossier::check_code_run(agency, day, std::move(present), counter);
    if (!fault) return;
    ++bad_runs;
    std::printf("FAIL code sequence %s-%s: %s / %s\n", agency.c_str(), day.c_str(),
                fault->message_en.c_str(), fault->message_vi.c_str());
  };
  for (const auto& c : counters) {
    auto it = numbers.find({c.agency_code, c.day});
    if (it == numbers.end()) {
      check_run(c.agency_code, c.day, {}, c.last);
      continue;
    }
    check_run(c.agency_code, c.day, std::move(it->second), c.last);
    numbers.erase(it);
  }
  for (auto& [key, present] : numbers) check_run(key.first, key.second, std::move(present), 0);
  if (bad_chains > 0 || bad_rows > 0 || bad_runs > 0 || orphans > 0) {
    std::printf(
        "audit verify: problems found: %zu of %zu dossier chains broken, %zu rows disagree with "
        "their logs, %zu receipt code sequences with gaps or a wrong counter, %lld log entries of "
        "no dossier (%zu events read)\n"
        "audit verify: có lỗi: %zu trong %zu chuỗi nhật ký hồ sơ bị đứt, %zu dòng không khớp "
        "nhật ký, %zu dãy số tiếp nhận có chỗ hổng hoặc sai bộ đếm, %lld bản ghi nhật ký không "
        "thuộc hồ sơ nào (đã đọc %zu bản ghi)\n",
        bad_chains, rows, bad_rows, bad_runs, static_cast<long long>(orphans > 0 ? orphans : 0),
        events, bad_chains, rows, bad_rows, bad_runs,
        static_cast<long long>(orphans > 0 ? orphans : 0), events);
    note_unsealed(unsealed);
    return 1;
  }
  std::printf(
      "audit verify: OK: %zu dossiers, %zu events, every chain matches its head, every row its "
      "log, every receipt code sequence is whole\n"
      "audit verify: OK: %zu hồ sơ, %zu bản ghi; mọi chuỗi khớp đầu chuỗi, mọi dòng khớp nhật ký, "
      "mọi dãy số tiếp nhận liền mạch\n",
      rows, events, rows, events);
  note_unsealed(unsealed);
  return 0;
}

}  // namespace motcua::app
