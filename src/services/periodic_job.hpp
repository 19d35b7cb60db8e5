// A background job: runs a function at once and then every few seconds on
// its own thread, and stops (finishing a run under way) when destroyed. Serve
// runs the deadline sweep and the purge of old sessions this way.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace motcua::services {

class PeriodicJob {
 public:
  // `name` names the thread (common/thread_name.hpp).
  PeriodicJob(std::string name, std::chrono::seconds every, std::function<void()> run);
  ~PeriodicJob();
  PeriodicJob(const PeriodicJob&) = delete;
  PeriodicJob& operator=(const PeriodicJob&) = delete;

 private:
  void loop();

  const std::string name_;
  const std::chrono::seconds every_;
  std::function<void()> run_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts after everything above exists
};

}  // namespace motcua::services
