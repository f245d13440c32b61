// Answers a batch on a thread of its own while the instance's thread takes
// the next one. Triton lets a backend send responses, report statistics and
// release requests after Execute returns, so writing and sending a batch's
// responses (the HTTP/gRPC frontend's completion work runs in the thread
// that sends) need not hold up the next batch's tokenizing and engine call.
// Opt-in (config.pbtxt parameter response_thread "true"): measured, it did
// not raise throughput where the engine already keeps every core busy or two
// instances already overlap (bench/reports/2026-12-05-response-thread-queue-delay.md).
//
// At most one batch is in hand here: Submit waits until the previous one is
// answered. That keeps responses in batch order, bounds what is held to one
// batch's results, and lets the caller reuse that batch's buffers.
// No Triton types: tested on its own (tests/response_thread_test.cc).
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace fasterbert::triton {

class ResponseThread {
 public:
  // enabled = false: Submit runs the work itself, as if there were no thread
  // (the default: no config.pbtxt parameter response_thread "true").
  explicit ResponseThread(bool enabled);
  // Answers the batch in hand, if any, then joins the thread.
  ~ResponseThread();
  ResponseThread(const ResponseThread&) = delete;
  ResponseThread& operator=(const ResponseThread&) = delete;

  // Waits until the previous batch is answered, then hands `answer` to the
  // thread (or runs it, when disabled) and returns. `answer` must not throw:
  // it answers every request itself, failures included.
  void Submit(std::function<void()> answer);

  bool enabled() const { return thread_.joinable(); }

 private:
  void Loop();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::function<void()> pending_;  // handed over, not yet finished
  bool busy_ = false;              // pending_ is set or running
  bool stopping_ = false;
  std::thread thread_;  // last: started once the members above exist
};

}  // namespace fasterbert::triton
