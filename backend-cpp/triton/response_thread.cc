#include "triton/response_thread.h"

#include <utility>

namespace fasterbert::triton {

ResponseThread::ResponseThread(bool enabled) {
  if (enabled) thread_ = std::thread([this] { Loop(); });
}

ResponseThread::~ResponseThread() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();  // Loop answers what it holds before it returns
}

void ResponseThread::Submit(std::function<void()> answer) {
  if (!thread_.joinable()) {
    answer();
    return;
  }
  {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [this] { return !busy_; });
    pending_ = std::move(answer);
    busy_ = true;
  }
  changed_.notify_all();
}

void ResponseThread::Loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    changed_.wait(lock, [this] { return busy_ || stopping_; });
    if (!busy_) return;  // stopping, nothing in hand
    std::function<void()> answer = std::move(pending_);
    pending_ = nullptr;
    lock.unlock();
    answer();  // noexcept by contract: it answers its own failures
    answer = nullptr;  // what it captured goes before the batch counts as answered
    lock.lock();
    busy_ = false;
    changed_.notify_all();
  }
}

}  // namespace fasterbert::triton
