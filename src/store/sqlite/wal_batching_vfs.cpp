#include "store/sqlite/wal_batching_vfs.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <string>

namespace motcua::store::sqlite {
namespace {

// Gathered bytes go out at this size even without a sync (a large
// transaction's log is written as it grows, as SQLite would).
constexpr std::size_t kMaxGathered = 4 << 20;
// A log starts with a 32-byte header; SQLite syncs it on its own before any
// frame follows it (a new log after a checkpoint), which must stay so.
constexpr sqlite3_int64 kLogHeader = 32;
constexpr sqlite3_int64 kNothingWritten = INT64_MAX;
// The unix VFS writes at most 128 KB - 1 bytes a call (SQLite itself never
// asks for more than a page), so gathered bytes go out in pieces this big.
constexpr std::size_t kPiece = 124 * 1024;

sqlite3_vfs* g_base = nullptr;
std::atomic<std::int64_t> g_asked{0};
std::atomic<std::int64_t> g_issued{0};
std::atomic<std::int64_t> g_synced{0};
std::atomic<std::int64_t> g_left_out{0};
std::atomic<std::int64_t> g_left_out_from{-1};

// The base VFS's file comes first, so a file that is not a log is the base's
// file as it opened it; a log's gathering state follows it.
struct Gathered {
  const sqlite3_io_methods* base;
  std::string* bytes;
  sqlite3_int64 start;  // file offset of bytes[0]
  // Lowest offset written since the last sync (or sync left out).
  sqlite3_int64 lowest_unsynced;
  bool skip_commit_sync;  // armed by skip_next_commit_sync()
  int sync_fd;            // the same file, for log_sync_descriptor(); -1 if not opened
};

std::size_t state_offset() {
  return (static_cast<std::size_t>(g_base->szOsFile) + alignof(Gathered) - 1) &
         ~(alignof(Gathered) - 1);
}
Gathered& state(sqlite3_file* f) {
  return *reinterpret_cast<Gathered*>(reinterpret_cast<char*>(f) + state_offset());
}
const sqlite3_io_methods& base(sqlite3_file* f) { return *state(f).base; }

int send(sqlite3_file* f) {
  Gathered& g = state(f);
  int rc = SQLITE_OK;
  for (std::size_t at = 0; at < g.bytes->size() && rc == SQLITE_OK; at += kPiece) {
    const std::size_t n = std::min(kPiece, g.bytes->size() - at);
    rc = g.base->xWrite(f, g.bytes->data() + at, static_cast<int>(n),
                        g.start + static_cast<sqlite3_int64>(at));
    g_issued.fetch_add(1, std::memory_order_relaxed);
  }
  g.bytes->clear();
  return rc;
}

int log_close(sqlite3_file* f) {
  const int sent = send(f);
  const sqlite3_io_methods* methods = state(f).base;
  delete state(f).bytes;
  if (state(f).sync_fd >= 0) ::close(state(f).sync_fd);
  const int rc = methods->xClose(f);
  return sent != SQLITE_OK ? sent : rc;
}
int log_read(sqlite3_file* f, void* out, int n, sqlite3_int64 offset) {
  if (const int rc = send(f); rc != SQLITE_OK) return rc;
  return base(f).xRead(f, out, n, offset);
}
int log_write(sqlite3_file* f, const void* data, int n, sqlite3_int64 offset) {
  g_asked.fetch_add(1, std::memory_order_relaxed);
  Gathered& g = state(f);
  if (!g.bytes->empty() && offset != g.start + static_cast<sqlite3_int64>(g.bytes->size())) {
    if (const int rc = send(f); rc != SQLITE_OK) return rc;
  }
  if (g.bytes->empty()) g.start = offset;
  g.lowest_unsynced = std::min(g.lowest_unsynced, offset);
  g.bytes->append(static_cast<const char*>(data), static_cast<std::size_t>(n));
  return g.bytes->size() >= kMaxGathered ? send(f) : SQLITE_OK;
}
int log_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (const int rc = send(f); rc != SQLITE_OK) return rc;
  return base(f).xTruncate(f, size);
}
int log_sync(sqlite3_file* f, int flags) {
  if (const int rc = send(f); rc != SQLITE_OK) return rc;
  Gathered& g = state(f);
  // Left out once, for an armed commit: its frames are in the file and the
  // caller syncs them apart. Never the header's sync, nor a checkpoint's
  // (which must find the frames it copies already durable).
  const sqlite3_int64 from = g.lowest_unsynced;
  g.lowest_unsynced = kNothingWritten;
  if (g.skip_commit_sync && from >= kLogHeader && g.sync_fd >= 0) {
    g.skip_commit_sync = false;
    g_left_out.fetch_add(1, std::memory_order_relaxed);
    g_left_out_from.store(from, std::memory_order_relaxed);
    return SQLITE_OK;
  }
  g_synced.fetch_add(1, std::memory_order_relaxed);
  return base(f).xSync(f, flags);
}
int log_size(sqlite3_file* f, sqlite3_int64* size) {
  if (const int rc = send(f); rc != SQLITE_OK) return rc;
  return base(f).xFileSize(f, size);
}
int log_lock(sqlite3_file* f, int level) { return base(f).xLock(f, level); }
int log_unlock(sqlite3_file* f, int level) { return base(f).xUnlock(f, level); }
int log_reserved(sqlite3_file* f, int* out) { return base(f).xCheckReservedLock(f, out); }
int log_control(sqlite3_file* f, int op, void* arg) {
  if (const int rc = send(f); rc != SQLITE_OK) return rc;
  return base(f).xFileControl(f, op, arg);
}
int log_sector(sqlite3_file* f) { return base(f).xSectorSize(f); }
int log_device(sqlite3_file* f) { return base(f).xDeviceCharacteristics(f); }

// Version 1: a log file has no shared memory and is never mapped.
constexpr sqlite3_io_methods kLogMethods = {
    1,        log_close,  log_read,     log_write,   log_truncate, log_sync,   log_size,
    log_lock, log_unlock, log_reserved, log_control, log_sector,   log_device, nullptr,
    nullptr,  nullptr,    nullptr,      nullptr,     nullptr,
};

int open_file(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  const int rc = g_base->xOpen(g_base, name, f, flags, out_flags);
  if (rc != SQLITE_OK || !(flags & SQLITE_OPEN_WAL) || !f->pMethods) return rc;
  Gathered& g = state(f);
  g.base = f->pMethods;
  g.bytes = new std::string();
  g.start = 0;
  g.lowest_unsynced = kNothingWritten;
  g.skip_commit_sync = false;
  // A descriptor of its own, so that a sync apart never touches SQLite's
  // file object, which its connection's thread is using meanwhile.
  g.sync_fd = name ? ::open(name, O_RDONLY | O_CLOEXEC) : -1;
  f->pMethods = &kLogMethods;
  return rc;
}

bool turned_off() {
  const char* v = std::getenv("MOTCUA_SQLITE_WAL_BATCHING");
  return v && std::strcmp(v, "0") == 0;
}

}  // namespace

const char* wal_batching_vfs() {
  static sqlite3_vfs vfs;
  static const bool registered = [] {
    if (turned_off()) return false;
    g_base = sqlite3_vfs_find(nullptr);
    if (!g_base || g_base->iVersion < 1) return false;
    vfs = *g_base;  // the base's own functions, and its pAppData they rely on
    vfs.szOsFile = static_cast<int>(state_offset() + sizeof(Gathered));
    vfs.zName = "motcua-wal-batching";
    vfs.xOpen = open_file;
    vfs.pNext = nullptr;
    return sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
  }();
  return registered ? vfs.zName : nullptr;
}

bool skip_next_commit_sync(sqlite3_file* log, bool skip) {
  if (!log || log->pMethods != &kLogMethods || state(log).sync_fd < 0) return false;
  state(log).skip_commit_sync = skip;
  return true;
}

int log_sync_descriptor(sqlite3_file* log) {
  if (!log || log->pMethods != &kLogMethods || state(log).sync_fd < 0) return -1;
  return ::fcntl(state(log).sync_fd, F_DUPFD_CLOEXEC, 0);
}

WalBatchingCounts wal_batching_counts() {
  return {g_asked.load(std::memory_order_relaxed), g_issued.load(std::memory_order_relaxed),
          g_synced.load(std::memory_order_relaxed), g_left_out.load(std::memory_order_relaxed),
          g_left_out_from.load(std::memory_order_relaxed)};
}

}  // namespace motcua::store::sqlite
