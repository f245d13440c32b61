// The thread that answers a batch while the instance computes the next
// (triton/response_thread.h): order, at most one batch in hand, answering the
// batch in hand on destruction, and the disabled mode. Run under TSan by the tsan build too.
#include "triton/response_thread.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace fasterbert::triton {
namespace {

TEST(ResponseThreadTest, AnswersBatchesInOrderOnAnotherThread) {
  std::mutex mutex;
  std::vector<int> answered;
  std::vector<std::thread::id> threads;
  {
    ResponseThread sender(true);
    ASSERT_TRUE(sender.enabled());
    for (int batch = 0; batch < 50; ++batch) {
      sender.Submit([&, batch] {
        std::lock_guard<std::mutex> lock(mutex);
        answered.push_back(batch);
        threads.push_back(std::this_thread::get_id());
      });
    }
  }  // the destructor answers the last one
  ASSERT_EQ(answered.size(), 50u);
  for (int batch = 0; batch < 50; ++batch) EXPECT_EQ(answered[static_cast<size_t>(batch)], batch);
  for (const std::thread::id& id : threads) EXPECT_NE(id, std::this_thread::get_id());
}

TEST(ResponseThreadTest, SubmitReturnsWhileTheBatchIsAnsweredAndWaitsForTheNext) {
  ResponseThread sender(true);
  std::promise<void> release_first;
  std::shared_future<void> first_may_finish = release_first.get_future().share();
  std::atomic<bool> first_started{false}, first_done{false};
  sender.Submit([&] {
    first_started = true;
    first_may_finish.wait();
    first_done = true;
  });
  // Submit returned while the first batch is still being answered: the
  // caller computes the next batch meanwhile.
  EXPECT_FALSE(first_done.load());

  // The second Submit must wait until the first is answered.
  std::atomic<bool> second_submitted{false};
  std::thread next([&] {
    sender.Submit([] {});
    second_submitted = true;
  });
  while (!first_started.load()) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(second_submitted.load());
  release_first.set_value();
  next.join();
  EXPECT_TRUE(first_done.load());
  EXPECT_TRUE(second_submitted.load());
}

TEST(ResponseThreadTest, DestructionAnswersWhatIsInHand) {
  std::atomic<int> answered{0};
  {
    ResponseThread sender(true);
    sender.Submit([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      ++answered;
    });
  }
  EXPECT_EQ(answered.load(), 1);
}

TEST(ResponseThreadTest, ReleasesWhatABatchCapturedBeforeTheNextIsTaken) {
  // An instance reuses a batch's buffers once Submit of the next returns; the
  // answered batch's captures (its requests, slices) must be gone by then.
  ResponseThread sender(true);
  auto held = std::make_shared<int>(7);
  std::weak_ptr<int> watch = held;
  sender.Submit([held] { (void)*held; });
  held.reset();
  sender.Submit([] {});
  EXPECT_TRUE(watch.expired());
}

TEST(ResponseThreadTest, DisabledAnswersInTheCallersThread) {
  ResponseThread sender(false);
  EXPECT_FALSE(sender.enabled());
  std::thread::id where;
  sender.Submit([&] { where = std::this_thread::get_id(); });
  EXPECT_EQ(where, std::this_thread::get_id());
}

}  // namespace
}  // namespace fasterbert::triton
