#include "pipeline/parallel_rows.h"

#include <algorithm>

namespace fasterbert {

ParallelRows::ParallelRows(int threads) {
  const int extra = std::max(threads, 1) - 1;
  workers_.reserve(static_cast<size_t>(extra));
  for (int i = 0; i < extra; ++i) workers_.emplace_back([this] { Work(); });
}

ParallelRows::~ParallelRows() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) worker.join();
}

void ParallelRows::TakeRows() {
  // Rows are handed out one at a time under the lock: a row's work (a text's
  // tokenization, microseconds) dwarfs the lock, and uneven rows balance.
  std::unique_lock<std::mutex> lock(mutex_);
  while (next_row_ < rows_) {
    const size_t row = next_row_++;
    lock.unlock();
    try {
      (*job_)(row);
    } catch (...) {
      lock.lock();
      if (!error_) error_ = std::current_exception();
      continue;
    }
    lock.lock();
  }
}

void ParallelRows::Work() {
  unsigned long seen = 0;
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
    if (stopping_) return;
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
    std::lock_guard<std::mutex> lock(mutex_);
    job_ = &each_row;
    rows_ = rows;
    next_row_ = 0;
    error_ = nullptr;
    ++generation_;
  }
  wake_.notify_all();
  TakeRows();
  std::unique_lock<std::mutex> lock(mutex_);
  // Every row is taken; wait for the workers still inside a call. A worker
  // that wakes after this job ended finds no row left and leaves at once.
  done_.wait(lock, [&] { return busy_ == 0; });
  job_ = nullptr;
  rows_ = 0;
  next_row_ = 0;
  std::exception_ptr error = error_;
  error_ = nullptr;
  lock.unlock();
  if (error) std::rethrow_exception(error);
}

}  // namespace fasterbert
