// The sqlite3 handles a SQLite store opens, for tests that look at or set
// what the store does not show (a connection's prepared statements, its
// page limit). An auto extension runs on every connection SQLite opens and
// records it while recording is on.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace motcua::store::test_support {

struct OpenedHandles {
  std::mutex mutex;
  bool recording = false;
  std::vector<sqlite3*> handles;
};

inline OpenedHandles& opened_handles() {
  static OpenedHandles opened;
  return opened;
}

inline int record_handle(sqlite3* db, const char**, const sqlite3_api_routines*) {
  auto& opened = opened_handles();
  std::lock_guard lock(opened.mutex);
  if (opened.recording) opened.handles.push_back(db);
  return SQLITE_OK;
}

// Opens the store at `url` (sqlite:PATH) and gives the connections it opened,
// in order: [0] the writer, [1] the first reader, [2] the checkpointer's.
inline Result<std::unique_ptr<Store>> open_recorded(const std::string& url,
                                                    std::vector<sqlite3*>& handles) {
  static const int installed = sqlite3_auto_extension(reinterpret_cast<void (*)()>(&record_handle));
  (void)installed;
  auto& opened = opened_handles();
  {
    std::lock_guard lock(opened.mutex);
    opened.recording = true;
    opened.handles.clear();
  }
  auto store = open_store(url);
  std::lock_guard lock(opened.mutex);
  opened.recording = false;
  handles = opened.handles;
  return store;
}

// The first column of the first row of `sql` as a number, -1 if none.
inline std::int64_t first_number(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* stmt = nullptr;
  std::int64_t value = -1;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    value = sqlite3_column_int64(stmt, 0);
  }
  sqlite3_finalize(stmt);
  return value;
}

}  // namespace motcua::store::test_support
