// sqlite_rows_copy: the reference for `motcua simulate` in bench/stats_bench.py.
// It writes the rows a run made (its dossiers, their events and outbox) into
// an empty database of the same schema with nothing but SQLite: one prepared
// INSERT per row, the values bound as read, in dossier order, `--chunk`
// dossiers a transaction, WAL with synchronous=FULL and foreign keys on, in a database motcua
// created (its page size) and with its cache and memory map. Every row is read into memory first,
// so only the writing is timed. No JSON, no hashing, no counters, no checks: what the schema itself
// costs on this machine.
//
// Usage: sqlite_rows_copy --from SIM.db --to EMPTY.db [--chunk 2000] [--only dossiers|events]
// The target must already hold the schema (the bench runs `motcua migrate`).
// Also the reference for submissions in bench/dossier_bench.py, with the
// batch size group commit reached (--chunk).
// Output: dossiers D events E seconds S outbox O

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

struct ValueFree {
  void operator()(sqlite3_value* v) const { sqlite3_value_free(v); }
};
using Value = std::unique_ptr<sqlite3_value, ValueFree>;
using Row = std::vector<Value>;

struct Dossier {
  Row row;
  std::vector<Row> events;
  std::vector<Row> outbox;
};

[[noreturn]] void die(sqlite3* db, const char* what) {
  std::fprintf(stderr, "sqlite_rows_copy: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
  std::exit(1);
}

sqlite3_stmt* prepare(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v3(db, sql.c_str(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) !=
      SQLITE_OK) {
    die(db, sql.c_str());
  }
  return s;
}

Row copy_row(sqlite3_stmt* s) {
  Row r;
  for (int i = 0; i < sqlite3_column_count(s); ++i)
    r.emplace_back(sqlite3_value_dup(sqlite3_column_value(s, i)));
  return r;
}

// "INSERT INTO t VALUES (?1, ..., ?n)"
std::string insert_sql(const char* table, std::size_t columns) {
  std::string sql = std::string("INSERT INTO ") + table + " VALUES (";
  for (std::size_t i = 0; i < columns; ++i) sql += (i ? ", ?" : "?") + std::to_string(i + 1);
  return sql + ")";
}

void insert(sqlite3* db, sqlite3_stmt* s, const Row& r) {
  for (std::size_t i = 0; i < r.size(); ++i)
    sqlite3_bind_value(s, static_cast<int>(i + 1), r[i].get());
  if (sqlite3_step(s) != SQLITE_DONE) die(db, "insert");
  sqlite3_reset(s);
}

}  // namespace

int main(int argc, char** argv) {
  std::string from, to, only;
  std::size_t chunk = 2000;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view k = argv[i];
    if (k == "--from") {
      from = argv[i + 1];
    } else if (k == "--to") {
      to = argv[i + 1];
    } else if (k == "--chunk") {
      chunk = std::strtoul(argv[i + 1], nullptr, 10);
    } else if (k == "--only") {
      only = argv[i + 1];
    }
  }
  if (from.empty() || to.empty() || chunk == 0) {
    std::fprintf(stderr,
                 "usage: sqlite_rows_copy --from SIM.db --to EMPTY.db [--chunk N] [--only "
                 "dossiers|events]\n");
    return 2;
  }
  sqlite3* src = nullptr;
  sqlite3* dst = nullptr;
  if (sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
    die(src, "open --from");
  if (sqlite3_open(to.c_str(), &dst) != SQLITE_OK) die(dst, "open --to");
  const std::string pragmas =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=-32768;"
      " PRAGMA mmap_size=268435456; PRAGMA foreign_keys=ON;";
  if (sqlite3_exec(dst, pragmas.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    die(dst, "pragmas");
  }

  std::vector<Dossier> dossiers;
  std::size_t event_count = 0;
  // Columns as stored: a dossier's ref and id first; its entries keyed ref * 2^20 + seq.
  sqlite3_stmt* rows = prepare(src, "SELECT * FROM dossiers ORDER BY ref");
  sqlite3_stmt* events = prepare(src,
                                 "SELECT * FROM dossier_events WHERE key BETWEEN ?1 * 1048576 + 1"
                                 " AND ?1 * 1048576 + 1048575 ORDER BY key");
  // The outbox has no index by dossier: read once, by dossier.
  std::unordered_map<std::string, std::vector<Row>> outbox_of;
  std::size_t outbox_count = 0;
  sqlite3_stmt* outbox = prepare(src, "SELECT * FROM dossier_outbox ORDER BY id");
  while (sqlite3_step(outbox) == SQLITE_ROW) {
    outbox_of[reinterpret_cast<const char*>(sqlite3_column_text(outbox, 1))].push_back(
        copy_row(outbox));
    ++outbox_count;
  }
  while (sqlite3_step(rows) == SQLITE_ROW) {
    Dossier d{copy_row(rows), {}, {}};
    sqlite3_bind_value(events, 1, d.row[0].get());
    while (sqlite3_step(events) == SQLITE_ROW) d.events.push_back(copy_row(events));
    sqlite3_reset(events);
    if (auto it = outbox_of.find(reinterpret_cast<const char*>(sqlite3_value_text(d.row[1].get())));
        it != outbox_of.end()) {
      d.outbox = std::move(it->second);
    }
    event_count += d.events.size();
    dossiers.push_back(std::move(d));
  }
  if (dossiers.empty()) die(nullptr, "no dossiers in --from");

  const bool with_rows = only != "events";
  const bool with_events = only != "dossiers";
  sqlite3_stmt* put_row = prepare(dst, insert_sql("dossiers", dossiers[0].row.size()));
  sqlite3_stmt* put_event = nullptr;
  sqlite3_stmt* put_outbox = nullptr;
  for (const auto& d : dossiers) {
    if (!put_event && !d.events.empty())
      put_event = prepare(dst, insert_sql("dossier_events", d.events[0].size()));
    if (!put_outbox && !d.outbox.empty())
      put_outbox = prepare(dst, insert_sql("dossier_outbox", d.outbox[0].size()));
  }
  const auto started = std::chrono::steady_clock::now();
  for (std::size_t first = 0; first < dossiers.size(); first += chunk) {
    if (sqlite3_exec(dst, "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) die(dst, "begin");
    for (std::size_t i = first; i < dossiers.size() && i < first + chunk; ++i) {
      if (with_rows) insert(dst, put_row, dossiers[i].row);
      if (with_events && put_event) {
        for (const auto& e : dossiers[i].events) insert(dst, put_event, e);
      }
      if (with_events && put_outbox) {
        for (const auto& o : dossiers[i].outbox) insert(dst, put_outbox, o);
      }
    }
    if (sqlite3_exec(dst, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) die(dst, "commit");
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("dossiers %zu events %zu seconds %.4f outbox %zu\n", dossiers.size(),
              with_events ? event_count : 0, seconds, with_events ? outbox_count : 0);
  sqlite3_finalize(put_row);
  if (put_event) sqlite3_finalize(put_event);
  if (put_outbox) sqlite3_finalize(put_outbox);
  sqlite3_finalize(rows);
  sqlite3_finalize(events);
  sqlite3_finalize(outbox);
  sqlite3_close(src);
  sqlite3_close(dst);
  return 0;
}
