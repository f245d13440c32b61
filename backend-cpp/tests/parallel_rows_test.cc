// The tokenizer threads of a model instance: ParallelRows runs every row once
// and joins its threads, and a pipeline tokenizing on 4 threads returns what
// it returns on one, bad rows included.
#include <gtest/gtest.h>

#include <system_error>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/parallel_rows.h"
#include "pipeline/text_pipeline.h"
#include "tests/id_position_session.h"
#include "text/tests/test_util.h"

namespace fasterbert {
namespace {

TEST(ParallelRowsTest, EveryRowRunsOnceInEveryJob) {
  ParallelRows parallel(4);
  EXPECT_EQ(parallel.threads(), 4);
  for (size_t rows : {0u, 1u, 2u, 3u, 64u, 1000u}) {
    for (int job = 0; job < 50; ++job) {
      std::vector<std::atomic<int>> runs(rows);
      parallel.Run(rows, [&](size_t i) { runs[i].fetch_add(1); });
      for (size_t i = 0; i < rows; ++i) ASSERT_EQ(runs[i].load(), 1) << "row " << i;
    }
  }
}

TEST(ParallelRowsTest, RowsRunOnSeveralThreads) {
  ParallelRows parallel(4);
  std::mutex mutex;
  std::set<std::thread::id> ids;
  // Rows that take a while, so the workers wake before the caller is done.
  parallel.Run(64, [&](size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    std::lock_guard<std::mutex> lock(mutex);
    ids.insert(std::this_thread::get_id());
  });
  EXPECT_GT(ids.size(), 1u);
}

TEST(ParallelRowsTest, OneThreadRunsOnTheCaller) {
  ParallelRows parallel(1);
  EXPECT_EQ(parallel.threads(), 1);
  std::set<std::thread::id> ids;
  parallel.Run(10, [&](size_t) { ids.insert(std::this_thread::get_id()); });
  EXPECT_EQ(ids, std::set<std::thread::id>{std::this_thread::get_id()});
}

TEST(ParallelRowsTest, AnExceptionComesBackAfterTheOtherRowsRan) {
  ParallelRows parallel(3);
  std::vector<std::atomic<int>> runs(100);
  EXPECT_THROW(parallel.Run(100,
                            [&](size_t i) {
                              runs[i].fetch_add(1);
                              if (i == 7) throw std::runtime_error("row 7");
                            }),
               std::runtime_error);
  for (size_t i = 0; i < runs.size(); ++i) EXPECT_EQ(runs[i].load(), 1) << "row " << i;
  // The pool still works after a failed job.
  std::atomic<int> total{0};
  parallel.Run(10, [&](size_t) { total.fetch_add(1); });
  EXPECT_EQ(total.load(), 10);
}

TEST(ParallelRowsTest, CreatedAndDestroyedManyTimes) {
  // Threads are joined on destruction, whether the pool ran a job or not:
  // every thread it started has ended by the time it is gone.
  std::atomic<int> started{0}, ended{0};
  const ParallelRows::ThreadStarter counted = [&](std::function<void()> work) {
    started.fetch_add(1);
    return std::thread([&ended, work = std::move(work)] {
      work();
      ended.fetch_add(1);
    });
  };
  for (int i = 0; i < 100; ++i) {
    {
      ParallelRows parallel(4, counted);
      EXPECT_EQ(parallel.threads(), 4);
      std::atomic<int> total{0};
      if (i % 2 == 0) parallel.Run(8, [&](size_t) { total.fetch_add(1); });
      EXPECT_EQ(total.load(), i % 2 == 0 ? 8 : 0);
    }
    EXPECT_EQ(started.load(), 3 * (i + 1));
    EXPECT_EQ(ended.load(), started.load()) << "a thread outlived its pool";
  }
}

TEST(ParallelRowsTest, AThreadThatCannotStartIsALoadErrorNotACrash) {
  std::atomic<int> ended{0};
  int starts = 0;
  const ParallelRows::ThreadStarter fails_third = [&](std::function<void()> work) {
    if (++starts == 3) throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
    return std::thread([&ended, work = std::move(work)] {
      work();
      ended.fetch_add(1);
    });
  };
  EXPECT_THROW(ParallelRows(8, fails_third), std::system_error);
  EXPECT_EQ(ended.load(), 2);  // the two started threads were stopped and joined
}

// Embeddings from each token's id and position: any mix-up of rows,
// windows or padding changes them.
using testing::IdPositionSession;

TEST(ParallelTokenizeTest, FourThreadsGiveWhatOneThreadGives) {
  text::testing::TempVocab vocab({"[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", "foo",
                                  "##s", "bar"});
  const auto owned_tokenizer = text::Tokenizer::FromBert(
      text::BertTokenizer::FromVocabFile(vocab.path(), text::BertTokenizerOptions{}));
  const text::Tokenizer& tokenizer = *owned_tokenizer;
  PipelineSpec spec;
  spec.text_inputs = {"text"};
  spec.tokenizer.max_length = 128;
  spec.engine.token_embeddings = "last_hidden_state";
  spec.engine.hidden_size = 2;
  spec.outputs = {{"embedding", OutputKind::kSentenceEmbedding, 2, {PostOp::kMeanPool}},
                  {"token_count", OutputKind::kTokenCount, 1, {}}};
  // 200 rows, well over the bytes that make the pipeline use its threads,
  // with empty and invalid rows among them.
  std::vector<std::string> texts;
  const std::string words[] = {"hello", "world", "foos", "bar", "baz"};
  for (int r = 0; r < 200; ++r) {
    std::string text;
    if (r % 17 == 3) {
      text = "";
    } else if (r % 23 == 5) {
      text = "hello \xc3";
    } else {
      for (int w = 0; w <= 20 + r % 40; ++w) text += words[(r * 7 + w) % 5] + " ";
    }
    texts.push_back(text);
  }
  std::vector<TextRow> rows;
  size_t bytes = 0;
  for (const std::string& text : texts) {
    rows.push_back({text, {}});
    bytes += text.size();
  }
  ASSERT_GT(bytes, 32u * 1024) << "the batch must be large enough for the pipeline's threads";

  spec.tokenize_threads = 1;
  TextPipeline serial(spec, tokenizer, std::make_unique<IdPositionSession>());
  spec.tokenize_threads = 4;
  TextPipeline parallel(spec, tokenizer, std::make_unique<IdPositionSession>());
  BatchResult one, four;
  serial.Run(rows, {true, true}, &one);
  for (int repeat = 0; repeat < 20; ++repeat) {
    parallel.Run(rows, {true, true}, &four);
    ASSERT_EQ(four.errors, one.errors);
    ASSERT_EQ(four.outputs[0].fp32, one.outputs[0].fp32);
    ASSERT_EQ(four.outputs[1].int64, one.outputs[1].int64);
  }
  // And each good row's token count is the tokenizer's own for that text.
  size_t bad = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!one.errors[r].empty()) {
      ++bad;
      continue;
    }
    text::Encoding expected;
    tokenizer.Encode(texts[r], 128, text::Truncation::kLongestFirst, &expected);
    EXPECT_EQ(one.outputs[1].int64[r], static_cast<int64_t>(expected.size())) << "row " << r;
  }
  EXPECT_EQ(bad, 21u);  // the rows with r % 17 == 3 or r % 23 == 5
}

}  // namespace
}  // namespace fasterbert
