// The staff inbox of one busy unit, timed in this one process through the
// store (no HTTP, no client): a leader's list (the unit's own dossiers in
// four states), a desk's (what the unit received, in four states: two
// branches each), both together, and the unit's finished dossiers (states
// that hold most of them), each its first page and the page after it.
// Prints p50 and p99 of each.
//
// Usage: inbox_times --db URL [--unit CODE] [--runs N]
// Without --unit: the unit with the most open dossiers due.
// Measure in a release build: the numbers of a sanitizer build mean little.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "timing.hpp"

namespace store = motcua::store;
using Column = store::InboxClause::Column;

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "inbox_times: %s\n", what.c_str());
  std::exit(1);
}

using motcua::bench::timed;
using motcua::bench::Timing;

std::vector<store::DossierRecord> read(store::Store& s, const store::InboxQuery& q) {
  auto rows = s.dossiers().inbox(q);
  if (!rows) fail("inbox: " + rows.error().message_en);
  return std::move(*rows);
}

}  // namespace

int main(int argc, char** argv) {
  std::string url, unit;
  int runs = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--db"))
      url = argv[i + 1];
    else if (!std::strcmp(argv[i], "--unit"))
      unit = argv[i + 1];
    else if (!std::strcmp(argv[i], "--runs"))
      runs = std::max(1, std::atoi(argv[i + 1]));
    else
      fail(std::string("unknown option ") + argv[i]);
  }
  if (url.empty()) fail("usage: inbox_times --db URL [--unit CODE] [--runs N]");
  auto opened = store::open_store(url);
  if (!opened) fail("open: " + opened.error().message_en);
  store::Store& s = **opened;
  if (unit.empty()) {
    auto counts = s.dossiers().open_due_counts(store::kNoDueSortKey, {});
    if (!counts || counts->empty()) fail("no unit has open dossiers");
    unit = std::max_element(counts->begin(), counts->end(), [](const auto& a, const auto& b) {
             return a.second < b.second;
           })->first;
  }
  const store::InboxClause leader{
      Column::kCompetentUnit, unit, "", {"received", "in_progress", "proposed", "approved"}};
  const store::InboxClause desk{Column::kReceivingUnit,
                                unit,
                                "",
                                {"submitted", "waiting_supplement", "result_issued", "received"}};
  // Not a staff inbox: states that hold most of a unit's dossiers, where
  // reading every match and sorting them costs most.
  const store::InboxClause finished{
      Column::kCompetentUnit, unit, "", {"result_issued", "returned", "refused", "withdrawn"}};
  struct Shape {
    const char* name;
    std::vector<store::InboxClause> clauses;
  };
  const Shape shapes[] = {{"leader", {leader}},
                          {"desk", {desk}},
                          {"desk+leader", {desk, leader}},
                          {"finished", {finished}}};
  std::printf("unit %s, %d runs each, page of 51\n", unit.c_str(), runs);
  std::printf("%-12s %-6s %6s %10s %10s\n", "inbox", "page", "rows", "p50 ms", "p99 ms");
  for (const Shape& shape : shapes) {
    store::InboxQuery q;
    q.clauses = shape.clauses;
    q.limit = 51;
    for (int page = 1; page <= 2; ++page) {
      const auto rows = read(s, q);
      for (int i = 0; i < 5; ++i) read(s, q);
      const Timing t = timed(runs, [&] { read(s, q); });
      std::printf("%-12s %-6d %6zu %10.3f %10.3f\n", shape.name, page, rows.size(), t.p50_ms,
                  t.p99_ms);
      if (rows.size() < q.limit) break;
      // The next page starts after this one's 50th row, as the API's cursor does.
      const auto& last = rows[q.limit - 2];
      q.after = std::make_pair(last.due_at.value_or(store::kNoDueSortKey), last.id);
    }
  }
  return 0;
}
