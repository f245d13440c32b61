// fasterbert_tokenizer_bench: throughput of our tokenizer on a file of texts,
// for bench/tokenizer/run.sh (which compares it with HF tokenizers).
// --tokenizer-json takes any supported family (Tokenizer::FromTokenizerJson:
// a plain BERT file still gets the fast BertTokenizer); --vocab builds the
// BertTokenizer from vocab.txt as before.
//
// Input: one text per line (UTF-8, no newlines inside a text).
// Modes:
//   single  one Encode call per text into one reused Encoding (what the
//           backend does per request row);
//   batch   every text of the file encoded into its own Encoding of a
//           vector that is reused across rounds (what HF's encode_batch
//           returns: one encoding per text, no padding).
// With --threads N the texts are split into N contiguous shares, one thread
// each, all sharing one tokenizer.
//
// Each repeat runs whole rounds over the file until --min-seconds pass, and
// prints one JSON line per repeat plus a summary line with the median:
//   {"repeat": 0, "seconds": ..., "texts_per_s": ..., "tokens_per_s": ..., "mb_per_s": ...}
//   {"median": {...}, "texts": N, "bytes": B, "tokens": T}
// Tokens count every id of an encoding, [CLS] and [SEP] included.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "text/bert_tokenizer.h"
#include "text/tokenizer.h"
#include "tool_args.h"

namespace {

using fasterbert::text::BertTokenizer;
using fasterbert::text::BertTokenizerOptions;
using fasterbert::text::Encoding;
using fasterbert::text::Tokenizer;
using fasterbert::text::Truncation;
using fasterbert::text::tools::ToolArgs;

constexpr const char* kUsage =
    "usage: fasterbert_tokenizer_bench (--vocab VOCAB.txt | --tokenizer-json FILE) [options] "
    "TEXTS\n"
    "  --lowercase true|false      (default true; vocab.txt only)\n"
    "  --mode single|batch         (default single)\n"
    "  --threads N                 (default 1)\n"
    "  --max-length N              (default: no limit)\n"
    "  --min-seconds S             (default 0.5) per repeat\n"
    "  --repeats R                 (default 5)\n"
    "  --rounds N                  run exactly N rounds on this thread and print only the\n"
    "                              summary (for instruction counts under callgrind)\n";

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// One round over texts[begin, end) in the given mode; returns the number of
// tokens produced.
size_t Round(const Tokenizer& tokenizer, const std::vector<std::string>& texts, size_t begin,
             size_t end, bool batch, size_t max_length, Encoding* one,
             std::vector<Encoding>* many) {
  size_t tokens = 0;
  if (!batch) {
    for (size_t i = begin; i < end; ++i) {
      tokenizer.Encode(texts[i], max_length, Truncation::kLongestFirst, one);
      tokens += one->size();
    }
    return tokens;
  }
  many->resize(end - begin);
  for (size_t i = begin; i < end; ++i) {
    Encoding& e = (*many)[i - begin];
    tokenizer.Encode(texts[i], max_length, Truncation::kLongestFirst, &e);
    tokens += e.size();
  }
  return tokens;
}

}  // namespace

int main(int argc, char** argv) {
  ToolArgs args("fasterbert_tokenizer_bench", kUsage);
  BertTokenizerOptions options;
  std::string mode = "single";
  size_t threads = 1, repeats = 5, fixed_rounds = 0, max_length = Tokenizer::kNoMaxLength;
  double min_seconds = 0.5;
  args.Parse(argc, argv, [&](const std::string& flag, const std::string& value) {
    if (flag == "--lowercase") {
      options.lowercase = args.Bool(flag, value);
    } else if (flag == "--mode") {
      if (value != "single" && value != "batch") args.Fail("unknown mode " + value);
      mode = value;
    } else if (flag == "--threads") {
      threads = std::max<size_t>(1, args.Count(flag, value));
    } else if (flag == "--max-length") {
      max_length = args.Count(flag, value);
    } else if (flag == "--min-seconds") {
      min_seconds = args.Number(flag, value);
    } else if (flag == "--rounds") {
      fixed_rounds = args.Count(flag, value);
    } else if (flag == "--repeats") {
      repeats = std::max<size_t>(1, args.Count(flag, value));
    } else {
      return false;
    }
    return true;
  });
  const std::unique_ptr<Tokenizer> loaded = args.LoadAnyTokenizer(options);
  const Tokenizer& tokenizer = *loaded;
  const std::string& input_path = args.input();

  std::vector<std::string> texts;
  {
    std::ifstream in(input_path, std::ios::binary);
    if (!in) args.Fail("cannot open " + input_path);
    std::string line;
    while (std::getline(in, line)) texts.push_back(line);
  }
  if (texts.empty()) args.Fail("no texts in " + input_path);
  size_t bytes = 0;
  for (const auto& t : texts) bytes += t.size();
  threads = std::min(threads, texts.size());

  const bool batch = mode == "batch";
  // Token count of one round, and a warm-up.
  size_t round_tokens = 0;
  {
    Encoding one;
    std::vector<Encoding> many;
    try {
      round_tokens = Round(tokenizer, texts, 0, texts.size(), batch, max_length, &one, &many);
    } catch (const std::exception& e) {
      std::cerr << "fasterbert_tokenizer_bench: " << e.what() << "\n";
      return 1;
    }
  }

  if (fixed_rounds > 0) {
    Encoding one;
    std::vector<Encoding> many;
    size_t tokens = 0;
    for (size_t r = 0; r < fixed_rounds; ++r) {
      tokens += Round(tokenizer, texts, 0, texts.size(), batch, max_length, &one, &many);
    }
    std::printf("{\"rounds\": %zu, \"texts\": %zu, \"bytes\": %zu, \"tokens\": %zu}\n",
                fixed_rounds, texts.size(), bytes, tokens / fixed_rounds);
    return 0;
  }

  std::vector<double> texts_per_s, tokens_per_s, mb_per_s, cpu_mb_per_s;
  for (size_t r = 0; r < repeats; ++r) {
    using Clock = std::chrono::steady_clock;
    std::atomic<bool> stop{false};
    std::vector<size_t> rounds(threads, 0);
    std::vector<std::thread> workers;
    const auto start = Clock::now();
    const double cpu_start = ProcessCpuSeconds();
    for (size_t t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        const size_t begin = texts.size() * t / threads, end = texts.size() * (t + 1) / threads;
        Encoding one;
        std::vector<Encoding> many;
        while (!stop.load(std::memory_order_relaxed)) {
          Round(tokenizer, texts, begin, end, batch, max_length, &one, &many);
          ++rounds[t];
        }
      });
    }
    // Every share must finish at least one round; the main thread watches
    // the clock and stops the workers after min_seconds.
    while (std::chrono::duration<double>(Clock::now() - start).count() < min_seconds) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    stop = true;
    for (auto& w : workers) w.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpu_seconds = ProcessCpuSeconds() - cpu_start;
    // Work done: each thread's rounds over its share.
    double done_texts = 0, done_fraction = 0;
    for (size_t t = 0; t < threads; ++t) {
      const size_t begin = texts.size() * t / threads, end = texts.size() * (t + 1) / threads;
      done_texts += static_cast<double>(rounds[t] * (end - begin));
      done_fraction += static_cast<double>(rounds[t]) * static_cast<double>(end - begin) /
                       static_cast<double>(texts.size());
    }
    texts_per_s.push_back(done_texts / seconds);
    tokens_per_s.push_back(done_fraction * static_cast<double>(round_tokens) / seconds);
    mb_per_s.push_back(done_fraction * static_cast<double>(bytes) / seconds / 1e6);
    // Per core: the work over the CPU time all threads used (what the
    // throughput would be if nothing else ran; the main thread sleeps).
    cpu_mb_per_s.push_back(done_fraction * static_cast<double>(bytes) / cpu_seconds / 1e6);
    std::printf(
        "{\"repeat\": %zu, \"seconds\": %.4f, \"cpu_seconds\": %.4f, \"texts_per_s\": %.1f, "
        "\"tokens_per_s\": %.1f, \"mb_per_s\": %.3f, \"cpu_mb_per_s\": %.3f}\n",
        r, seconds, cpu_seconds, texts_per_s.back(), tokens_per_s.back(), mb_per_s.back(),
        cpu_mb_per_s.back());
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  };
  std::printf(
      "{\"median\": {\"texts_per_s\": %.1f, \"tokens_per_s\": %.1f, \"mb_per_s\": %.3f, "
      "\"cpu_mb_per_s\": %.3f}, "
      "\"texts\": %zu, \"bytes\": %zu, \"tokens\": %zu, \"threads\": %zu, \"mode\": \"%s\"}\n",
      median(texts_per_s), median(tokens_per_s), median(mb_per_s), median(cpu_mb_per_s),
      texts.size(), bytes,
      round_tokens, threads, mode.c_str());
  return 0;
}
