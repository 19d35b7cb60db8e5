#include "services/deadline_watcher.hpp"

#include <utility>

namespace motcua::services {

DeadlineWatcher::DeadlineWatcher(DossierService& dossiers, std::chrono::seconds every,
                                 std::function<void(const Result<DeadlineSweep>&)> report)
    : dossiers_(dossiers), every_(every), report_(std::move(report)), thread_([this] { loop(); }) {}

DeadlineWatcher::~DeadlineWatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void DeadlineWatcher::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    auto outcome = dossiers_.sweep_deadlines();
    if (report_) report_(outcome);
    lock.lock();
    wake_.wait_for(lock, every_, [&] { return stopping_; });
  }
}

}  // namespace motcua::services
