#include "pipeline/parallel_rows.h"

#include <algorithm>

namespace fasterbert {

ParallelRows::ParallelRows(int threads, const ThreadStarter& start_thread) {
  const int extra = std::max(threads, 1) - 1;
  try {
    workers_.reserve(static_cast<size_t>(extra));
    for (int i = 0; i < extra; ++i) {
      if (start_thread) {
        workers_.push_back(start_thread([this] { Work(); }));
      } else {
        workers_.emplace_back([this] { Work(); });
      }
    }
  } catch (...) {
    StopWorkers();  // a joinable std::thread destroyed unjoined would end the process
    throw;
  }
}

ParallelRows::~ParallelRows() { StopWorkers(); }

void ParallelRows::StopWorkers() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ParallelRows::TakeRows() {
  // job_ and rows_ stay put while any worker is busy: Run waits for all of them.
  for (size_t row = next_row_.fetch_add(1); row < rows_; row = next_row_.fetch_add(1)) {
    try {
      (*job_)(row);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
    }
  }
}

void ParallelRows::Work() {
  unsigned long seen = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
    if (stopping_) return;
    // Joined under the lock, so Run sees this worker in busy_ before it
    // resets the job; a worker that wakes after the rows ran out leaves at once.
    seen = generation_;
    ++busy_;
    lock.unlock();
    TakeRows();
    lock.lock();
    if (--busy_ == 0) done_.notify_one();
  }
}

void ParallelRows::Run(size_t rows, const std::function<void(size_t)>& each_row) {
  if (workers_.empty() || rows < 2) {
    for (size_t i = 0; i < rows; ++i) each_row(i);
    return;
  }
  {
    std::unique_lock<std::mutex> lock(mutex_);
    // A worker that woke only after the last job ended may still be leaving
    // it (it found no row): the job's fields change once it has left.
    done_.wait(lock, [&] { return busy_ == 0; });
    job_ = &each_row;
    rows_ = rows;
    next_row_.store(0);
    error_ = nullptr;
    ++generation_;
  }
  wake_.notify_all();
  TakeRows();
  std::unique_lock<std::mutex> lock(mutex_);
  done_.wait(lock, [&] { return busy_ == 0; });
  job_ = nullptr;
  rows_ = 0;
  std::exception_ptr error = error_;
  error_ = nullptr;
  lock.unlock();
  if (error) std::rethrow_exception(error);
}

}  // namespace fasterbert
