// A units import made while `serve` runs. The server keeps the registry it
// started with, for filing, access and counting, until it is restarted; the
// import's recount mark waits for a process that has loaded the new one
// (StatsService). This says so in the log once, and when the server stops it
// leaves that mark again, so the next process with the new registry recounts
// what this one counted by the old one meanwhile.
#pragma once

#include <cstdint>

#include "store/store.hpp"

namespace motcua::app {

class UnitsImportWatch {
 public:
  UnitsImportWatch(store::Store& store, std::int64_t loaded) : store_(store), loaded_(loaded) {}
  UnitsImportWatch(const UnitsImportWatch&) = delete;
  UnitsImportWatch& operator=(const UnitsImportWatch&) = delete;
  // Declared before anything that writes, so this runs after the last write.
  ~UnitsImportWatch();

  // Called on each recount pass: logs a newer import the first time it is seen.
  void check();

 private:
  store::Store& store_;
  std::int64_t loaded_;
  bool said_ = false;
};

}  // namespace motcua::app
