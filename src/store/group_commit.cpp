#include "store/group_commit.hpp"

#include <chrono>
#include <utility>
#include <vector>

#include "common/thread_name.hpp"

namespace motcua::store {

namespace {
std::uint64_t ns_between(std::chrono::steady_clock::time_point a,
                         std::chrono::steady_clock::time_point b) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count());
}
}  // namespace

GroupCommitter::GroupCommitter(BatchWriter& store, std::size_t max_batch)
    : store_(store),
      max_batch_(max_batch == 0 ? 1 : max_batch),
      answerer_([this] {
        name_this_thread("answer");
        answer_loop();
      }),
      committer_([this] {
        name_this_thread("commit");
        commit_loop();
      }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  committer_.join();  // commits what is queued, hands over its answers
  {
    std::lock_guard lock(mutex_);
    answers_done_ = true;
  }
  wake_answers_.notify_all();
  answerer_.join();
}

void GroupCommitter::submit(DossierWrite fn, Done done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Job{std::move(fn), std::move(done)});
  }
  wake_.notify_one();
}

GroupCommitter::Stats GroupCommitter::stats() const {
  Stats s;
  {
    std::lock_guard lock(mutex_);
    s = stats_;
  }
  s.reruns = store_.batches_rerun();
  return s;
}

void GroupCommitter::commit_loop() {
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
    const auto t0 = std::chrono::steady_clock::now();
    auto results = store_.write_batch(fns);
    const auto t1 = std::chrono::steady_clock::now();
    {
      std::lock_guard lock(mutex_);
      for (std::size_t i = 0; i < batch.size(); ++i) {
        answers_.push_back(Answer{std::move(batch[i].done), std::move(results[i])});
      }
      stats_.commit_ns += ns_between(t0, t1);
      ++stats_.batches;
      stats_.writes += batch.size();
      if (batch.size() > stats_.largest_batch) stats_.largest_batch = batch.size();
    }
    wake_answers_.notify_one();
    batch.clear();
  }
}

void GroupCommitter::answer_loop() {
  std::deque<Answer> ready;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_answers_.wait(lock, [&] { return answers_done_ || !answers_.empty(); });
      if (answers_.empty()) return;
      ready.swap(answers_);
    }
    const auto t0 = std::chrono::steady_clock::now();
    for (auto& a : ready) {
      // A throwing callback must not end the answerer: the others still wait.
      try {
        if (a.done) a.done(std::move(a.result));
      } catch (...) {
      }
    }
    ready.clear();
    const auto t1 = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    stats_.answer_ns += ns_between(t0, t1);
  }
}

}  // namespace motcua::store
