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
// a frame before it is in the file (durable there, except as below).
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
// A bulk load syncs apart (DossiersStore::write_bulk): a commit armed with
// skip_next_commit_sync() writes its frames to the file and publishes them
// without syncing; the loader syncs the file on another thread (fdatasync of
// log_sync_descriptor()) while it writes its next transaction, and once more
// at its end. One sync covers every frame before it. Readers may see such a
// commit before it is durable. Only the commit's own sync is left out: a new
// log's header is synced as before (else a crash could leave the old header
// validating an old prefix of frames over newer pages in the database), and
// a checkpoint syncs the log before it copies frames into the database.
//
// MOTCUA_SQLITE_WAL_BATCHING=0 in the environment turns it off (to compare, or
// to rule it out when diagnosing).
#pragma once

#include <cstdint>

struct sqlite3_file;

namespace motcua::store::sqlite {

// The VFS's name for sqlite3_open_v2 (registered on first call), or nullptr
// when it is turned off or could not be registered: then the default VFS.
const char* wal_batching_vfs();

// Arms (or disarms) `log`, a connection's log file, so that its next
// commit's sync is left to the caller. False if `log` is not a log of this
// VFS: its commits then sync themselves.
bool skip_next_commit_sync(sqlite3_file* log, bool skip);
// A new descriptor of `log`'s file for syncing it apart (the caller closes
// it), or -1.
int log_sync_descriptor(sqlite3_file* log);

// Since the process started: log writes SQLite asked for, and writes that
// reached the file; syncs of a log done, and commits' syncs left to their
// caller, the last of them covering the log from offset left_out_from on.
// Tests read them to see that writes are gathered and which syncs are left
// out.
struct WalBatchingCounts {
  std::int64_t asked = 0;
  std::int64_t issued = 0;
  std::int64_t synced = 0;
  std::int64_t left_out = 0;
  std::int64_t left_out_from = -1;
};
WalBatchingCounts wal_batching_counts();

}  // namespace motcua::store::sqlite
