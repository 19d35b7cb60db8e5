// Rows read on one thread and decided on two, as they come: the reading
// thread hands each page it reads over in chunks, a helper thread (started
// once more than a chunk has come) decides them at once, and the reader
// joins in once it has read everything. So the
// reading (one database connection, one thread) overlaps the deciding
// instead of coming before it: a commune's year-long list reads and decodes
// thousands of dossiers.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <iterator>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/result.hpp"

namespace motcua::services {

template <class Row, class Line>
class ReadAndDecide {
 public:
  // Decides rows [begin, end) of a page into `out`; an error stops the rest.
  // Runs on both threads at once: it may only read what it shares.
  using Decide = std::function<Result<void>(const std::vector<Row>& page, std::size_t begin,
                                            std::size_t end, std::vector<Line>& out)>;

  explicit ReadAndDecide(Decide decide, std::size_t chunk = 256)
      : decide_(std::move(decide)), chunk_(chunk == 0 ? 1 : chunk) {}

  ReadAndDecide(const ReadAndDecide&) = delete;
  ReadAndDecide& operator=(const ReadAndDecide&) = delete;

  // Without finish() (the reading failed): what is queued is dropped.
  ~ReadAndDecide() {
    {
      std::lock_guard lock(mutex_);
      read_all_ = true;
      dropped_ = true;
    }
    wake_.notify_all();
    if (helper_.joinable()) helper_.join();
  }

  // On the reading thread: a page just read.
  void add(std::vector<Row> page) {
    if (page.empty()) return;
    bool share = false;
    {
      std::lock_guard lock(mutex_);
      pages_.push_back(std::move(page));  // a deque: earlier pages stay where they are
      const std::vector<Row>& p = pages_.back();
      for (std::size_t at = 0; at < p.size(); at += chunk_) {
        chunks_.push_back(Chunk{&p, at, std::min(p.size(), at + chunk_)});
      }
      // The helper starts once more than a chunk of rows has come: a list
      // of a few dossiers is decided by the reader alone, without a thread.
      added_ += p.size();
      share = !helper_.joinable() && added_ > chunk_;
    }
    if (share) helper_ = std::thread([this] { help(); });
    wake_.notify_one();
  }

  // On the reading thread, once every page is added: decides what is left
  // with the helper, and returns every line (in no particular order) or the
  // first error.
  Result<std::vector<Line>> finish() {
    {
      std::lock_guard lock(mutex_);
      read_all_ = true;
    }
    wake_.notify_all();
    work(mine_);
    if (helper_.joinable()) helper_.join();
    if (error_) return *error_;
    mine_.reserve(mine_.size() + theirs_.size());
    std::move(theirs_.begin(), theirs_.end(), std::back_inserter(mine_));
    return std::move(mine_);
  }

 private:
  struct Chunk {
    const std::vector<Row>* page;
    std::size_t begin, end;
  };

  void help() { work(theirs_); }
  // What escapes `decide` becomes the answer: nothing may leave the helper's
  // thread (it would end the process), and the reader's thread answers alike.
  Result<void> decide_chunk(const Chunk& c, std::vector<Line>& out) {
    try {
      return decide_(*c.page, c.begin, c.end, out);
    } catch (const std::exception& e) {
      return make_error(ErrorKind::kInternal, "",
                        std::string("deciding a page failed: ") + e.what());
    }
  }
  bool stop() const { return dropped_ || error_.has_value(); }

  // Takes chunks until none is left and none will come (or one failed).
  void work(std::vector<Line>& out) {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return stop() || !chunks_.empty() || read_all_; });
      if (stop() || chunks_.empty()) return;
      const Chunk c = chunks_.front();
      chunks_.pop_front();
      lock.unlock();
      auto r = decide_chunk(c, out);
      lock.lock();
      if (!r && !error_) {
        error_ = r.error();
        wake_.notify_all();
      }
    }
  }

  Decide decide_;
  std::size_t chunk_;
  std::size_t added_ = 0;  // rows added so far (the reading thread's)
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::vector<Row>> pages_;  // guarded by mutex_ (their rows are only read)
  std::deque<Chunk> chunks_;            // guarded by mutex_
  bool read_all_ = false;               // guarded by mutex_
  bool dropped_ = false;                // guarded by mutex_
  std::optional<Error> error_;          // guarded by mutex_
  std::vector<Line> mine_;              // the reading thread's lines
  std::vector<Line> theirs_;            // the helper's lines
  std::thread helper_;                  // started by add(), on the reading thread; joined there
};

}  // namespace motcua::services
