// How fast a batch's rows tokenize on an instance's tokenizer threads
// (pipeline/parallel_rows.h), as TextPipeline hands them out. The machine's
// scheduler decides much of it (how soon a woken thread runs), so run it
// where you serve. Prints one JSON line per (threads, rows) with the median
// and p90 microseconds.
//
// usage: fasterbert_tokenize_threads_bench VOCAB TEXTS [threads=1,2,4,8] [rows=16,64] [reps=300]
//          [gap_ms=2]
// gap_ms: the idle time before each batch; 0 runs them back to back, to
// tell what the gap costs from the work itself
// (bench/reports/2026-12-04-h200-tokenizer-prefetch.md).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/parallel_rows.h"
#include "text/bert_tokenizer.h"

namespace {

std::vector<int> IntList(const std::string& text) {
  std::vector<int> values;
  std::stringstream list(text);
  for (std::string item; std::getline(list, item, ',');) values.push_back(std::stoi(item));
  return values;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 3) throw std::runtime_error("usage: VOCAB TEXTS [threads] [rows] [reps] [gap_ms]");
    const auto tokenizer = fasterbert::text::BertTokenizer::FromVocabFile(
        argv[1], fasterbert::text::BertTokenizerOptions{});
    std::vector<std::string> texts;
    std::ifstream in(argv[2]);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) texts.push_back(line);
    }
    if (texts.empty()) throw std::runtime_error(std::string("no texts in ") + argv[2]);
    const std::vector<int> thread_counts = IntList(argc > 3 ? argv[3] : "1,2,4,8");
    const std::vector<int> row_counts = IntList(argc > 4 ? argv[4] : "16,64");
    const int reps = argc > 5 ? std::stoi(argv[5]) : 300;
    const int gap_ms = argc > 6 ? std::stoi(argv[6]) : 2;

    for (int threads : thread_counts) {
      fasterbert::ParallelRows parallel(threads);
      for (int rows : row_counts) {
        std::vector<fasterbert::text::Encoding> encodings(static_cast<size_t>(rows));
        std::vector<double> us;
        size_t bytes = 0;
        for (int r = 0; r < rows; ++r) bytes += texts[static_cast<size_t>(r) % texts.size()].size();
        for (int rep = 0; rep < reps + 10; ++rep) {
          // Batches arrive with idle gaps between them, as in serving.
          if (gap_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(gap_ms));
          const auto t0 = std::chrono::steady_clock::now();
          parallel.Run(static_cast<size_t>(rows), [&](size_t r) {
            tokenizer.Encode(texts[r % texts.size()], 256, fasterbert::text::Truncation::kLongestFirst,
                             &encodings[r]);
          });
          const auto t1 = std::chrono::steady_clock::now();
          if (rep >= 10) us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        }
        std::sort(us.begin(), us.end());
        std::printf("{\"threads\": %d, \"rows\": %d, \"bytes\": %zu, \"median_us\": %.1f, "
                    "\"p90_us\": %.1f}\n",
                    threads, rows, bytes, us[us.size() / 2], us[us.size() * 9 / 10]);
      }
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fasterbert_tokenize_threads_bench: %s\n", e.what());
    return 1;
  }
}
