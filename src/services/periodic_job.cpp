#include "services/periodic_job.hpp"

#include <utility>

namespace motcua::services {

PeriodicJob::PeriodicJob(std::chrono::seconds every, std::function<void()> run)
    : every_(every), run_(std::move(run)), thread_([this] { loop(); }) {}

PeriodicJob::~PeriodicJob() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void PeriodicJob::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    run_();
    lock.lock();
    wake_.wait_for(lock, every_, [&] { return stopping_; });
  }
}

}  // namespace motcua::services
