// A SQLite VFS that passes everything to the default one ("unix"), except
// that a write-ahead log's writes are gathered in memory and go to the file
// as a few large writes when SQLite next syncs, reads, truncates or sizes it.
//
// Why: SQLite writes each frame of the log with two calls (its 24-byte header,
// then the page), so a commit of 20 pages costs 40 system calls, and on this
// kind of virtual machine a system call is expensive. Gathered, a commit of a
// group of submissions is two or three writes.
//
// Why it is safe: nothing is lost that was acknowledged, and no reader sees
// a frame before it is in the file.
// - With synchronous=FULL (Connection::open sets it on every connection), a
//   commit syncs the log before it returns and before SQLite publishes the
//   new frames in the shared index that readers consult; the sync writes
//   everything gathered first. A crash before that loses only a transaction
//   that was never committed, as it would without batching.
// - Writes are applied in the order SQLite made them: a write that does not
//   continue the gathered bytes (SQLite rewriting a frame in place, or a new
//   log after a checkpoint) sends the gathered bytes out first.
// - Any other use of the file (a read, a truncate, its size, a file control,
//   closing it) sends them out first too.
//
// MOTCUA_SQLITE_WAL_BATCHING=0 in the environment turns it off (to compare, or
// to rule it out when diagnosing).
#pragma once

#include <cstdint>

namespace motcua::store::sqlite {

// The VFS's name for sqlite3_open_v2 (registered on first call), or nullptr
// when it is turned off or could not be registered: then the default VFS.
const char* wal_batching_vfs();

// Since the process started: log writes SQLite asked for, and writes that
// reached the file. Tests read them to see that writes are gathered.
struct WalBatchingCounts {
  std::int64_t asked = 0;
  std::int64_t issued = 0;
};
WalBatchingCounts wal_batching_counts();

}  // namespace motcua::store::sqlite
