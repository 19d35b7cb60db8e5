// Group commit for the dossiers area: concurrent requests hand their write
// closures to one committer thread, which runs everything queued as ONE
// durable transaction (DossiersStore::write_batch, a savepoint per closure)
// and then tells each request its own outcome. A request is answered only
// after its change is durable, and one fsync serves every change in the batch.
//
// No timer: while a batch commits, the next one gathers, so a lone request
// commits at once and a busy server commits in large batches. The answers
// (building each response) run on a second thread, so the next batch commits
// meanwhile.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "store/dossiers_store.hpp"

namespace motcua::store {

class GroupCommitter {
 public:
  using Done = std::function<void(Result<void>)>;

  struct Stats {
    std::uint64_t batches = 0;
    std::uint64_t writes = 0;
    std::size_t largest_batch = 0;
    std::uint64_t commit_ns = 0;  // in write_batch (the transaction and its fsync)
    std::uint64_t answer_ns = 0;  // in the callbacks
    std::uint64_t reruns = 0;     // batches the store ran twice (DossiersStore::batches_rerun)
  };

  explicit GroupCommitter(BatchWriter& store, std::size_t max_batch = 512);
  // Commits what is queued, answers it, then stops.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues `fn`; `done` runs on the answering thread once the batch holding
  // it is durable (or has failed), in commit order. `done` must not block for
  // long: it delays the answers after it.
  void submit(DossierWrite fn, Done done);

  Stats stats() const;

 private:
  struct Job {
    DossierWrite fn;
    Done done;
  };
  struct Answer {
    Done done;
    Result<void> result;
  };
  void commit_loop();
  void answer_loop();

  BatchWriter& store_;
  const std::size_t max_batch_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::condition_variable wake_answers_;
  std::deque<Answer> answers_;
  bool answers_done_ = false;
  Stats stats_;
  // Last: they start after everything above exists.
  std::thread answerer_;
  std::thread committer_;
};

}  // namespace motcua::store
