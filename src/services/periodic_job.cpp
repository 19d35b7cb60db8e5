#include "services/periodic_job.hpp"

#include <utility>

#include "common/thread_name.hpp"

namespace motcua::services {

PeriodicJob::PeriodicJob(std::string name, std::chrono::seconds every, std::function<void()> run)
    : name_(std::move(name)), every_(every), run_(std::move(run)), thread_([this] {
        name_this_thread(name_);
        loop();
      }) {}

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
