#include "store/group_commit.hpp"

#include <utility>
#include <vector>

namespace motcua::store {

GroupCommitter::GroupCommitter(DossiersStore& store, std::size_t max_batch)
    : store_(store), max_batch_(max_batch == 0 ? 1 : max_batch), thread_([this] { loop(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

void GroupCommitter::submit(DossierWrite fn, Done done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Job{std::move(fn), std::move(done)});
  }
  wake_.notify_one();
}

GroupCommitter::Stats GroupCommitter::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void GroupCommitter::loop() {
  std::vector<Job> batch;
  std::vector<DossierWrite> fns;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and nothing left to commit
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    fns.clear();
    for (auto& job : batch) fns.push_back(std::move(job.fn));
    auto results = store_.write_batch(fns);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      // A throwing callback must not end the committer: the others still wait.
      try {
        if (batch[i].done) batch[i].done(std::move(results[i]));
      } catch (...) {
      }
    }
    {
      std::lock_guard lock(mutex_);
      ++stats_.batches;
      stats_.writes += batch.size();
      if (batch.size() > stats_.largest_batch) stats_.largest_batch = batch.size();
    }
    batch.clear();
  }
}

}  // namespace motcua::store
