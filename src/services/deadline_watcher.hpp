// The background job that runs DossierService::sweep_deadlines every few
// seconds on its own thread, and stops (finishing a sweep under way) when
// destroyed.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "services/dossier_service.hpp"

namespace motcua::services {

class DeadlineWatcher {
 public:
  // `report` hears each sweep's outcome (what it flagged, or why it failed).
  DeadlineWatcher(DossierService& dossiers, std::chrono::seconds every,
                  std::function<void(const Result<DeadlineSweep>&)> report);
  ~DeadlineWatcher();
  DeadlineWatcher(const DeadlineWatcher&) = delete;
  DeadlineWatcher& operator=(const DeadlineWatcher&) = delete;

 private:
  void loop();

  DossierService& dossiers_;
  const std::chrono::seconds every_;
  std::function<void(const Result<DeadlineSweep>&)> report_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace motcua::services
