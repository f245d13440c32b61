// Runs a function over a batch's rows on a few threads of one model
// instance: tokenizing 64 long texts takes 0.2-0.4 ms on one core, several
// percent of a GPU engine call, and rows are independent. The calling
// thread takes rows too, so `threads` counts it: 1 means no extra thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace fasterbert {

class ParallelRows {
 public:
  // Starts a thread running its argument (std::thread by default; tests
  // pass one that fails, as thread creation can when the system is out of
  // threads or memory).
  using ThreadStarter = std::function<std::thread(std::function<void()>)>;

  // Throws (a load error for the model) when a thread cannot be started,
  // after joining the ones that were.
  explicit ParallelRows(int threads, const ThreadStarter& start_thread = nullptr);
  ~ParallelRows();  // joins the threads: none outlive a model instance
  ParallelRows(const ParallelRows&) = delete;
  ParallelRows& operator=(const ParallelRows&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls each_row(i) once for every i in [0, rows), in any order and on any
  // of the threads, and returns when all calls have returned. An exception
  // from a call is rethrown here once all calls are done (the first one
  // caught wins). Not reentrant: one Run at a time.
  void Run(size_t rows, const std::function<void(size_t)>& each_row);

 private:
  void Work();
  void StopWorkers();
  // Takes rows of the current job until none is left.
  void TakeRows();

  std::vector<std::thread> workers_;
  std::mutex mutex_;  // guards the fields below but next_row_
  std::condition_variable wake_, done_;
  const std::function<void(size_t)>* job_ = nullptr;
  size_t rows_ = 0;
  // Rows are handed out by an atomic counter, not under the mutex: with
  // microsecond rows a contended lock costs a futex call per row.
  std::atomic<size_t> next_row_{0};
  size_t busy_ = 0;               // workers inside the current job
  unsigned long generation_ = 0;  // bumped per job so a worker joins each job once
  bool stopping_ = false;
  std::exception_ptr error_;
};

}  // namespace fasterbert
