// The engine alone, as the backend runs it: tokenize a batch of texts with our
// tokenizer, pad it to its longest row, run one engine session on it, then
// mean-pool + L2 on the device and copy [rows, hidden] to the host. Prints
// one JSON line per (batch size) with the median time of each phase, so a
// report can set the served numbers against the engine's own.
//
// usage: fasterbert_engine_bench --kind aotInductor|tensorrt --model FILE
//          --vocab vocab.txt --texts FILE (one text per line) --hidden N
//          [--batches 1,16,64] [--max-length 256] [--reps 30]
#include <cuda_runtime_api.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "engines/engine_factory.h"
#include "pipeline/device_outputs.h"
#include "text/bert_tokenizer.h"

namespace {

using fasterbert::EngineKind;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string kind, model, vocab, texts;
  int hidden = 0, max_length = 256, reps = 30;
  std::vector<int> batches = {1, 16, 64};
};

Args Parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--kind") args.kind = value;
    else if (key == "--model") args.model = value;
    else if (key == "--vocab") args.vocab = value;
    else if (key == "--texts") args.texts = value;
    else if (key == "--hidden") args.hidden = std::stoi(value);
    else if (key == "--max-length") args.max_length = std::stoi(value);
    else if (key == "--reps") args.reps = std::stoi(value);
    else if (key == "--batches") {
      args.batches.clear();
      std::stringstream list(value);
      for (std::string item; std::getline(list, item, ',');) args.batches.push_back(std::stoi(item));
    } else {
      throw std::runtime_error("unknown option " + key);
    }
  }
  if (args.model.empty() || args.vocab.empty() || args.texts.empty() || args.hidden <= 0) {
    throw std::runtime_error("need --model, --vocab, --texts and --hidden");
  }
  return args;
}

double MedianUs(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

double Us(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double, std::micro>(to - from).count();
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Args args = Parse(argc, argv);
    fasterbert::EngineSpec spec;
    spec.kind = args.kind == "tensorrt" ? EngineKind::kTensorRt : EngineKind::kAotInductor;
    spec.input_ids = "input_ids";
    spec.attention_mask = "attention_mask";
    spec.token_type_ids = "token_type_ids";
    spec.input_order = {"input_ids", "attention_mask", "token_type_ids"};
    spec.output_order = {"last_hidden_state"};
    spec.token_embeddings = "last_hidden_state";
    spec.hidden_size = args.hidden;
    const size_t slash = args.model.find_last_of('/');
    spec.model_file = args.model.substr(slash + 1);
    auto engine = fasterbert::engines::MakeEngine(spec, args.model.substr(0, slash));
    auto session = engine->OpenSession({true, 0});
    fasterbert::DeviceOutputs device;
    const auto tokenizer = fasterbert::text::BertTokenizer::FromVocabFile(
        args.vocab, fasterbert::text::BertTokenizerOptions{});

    std::vector<std::string> texts;
    std::ifstream in(args.texts);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) texts.push_back(line);
    }
    if (texts.empty()) throw std::runtime_error("no texts in " + args.texts);

    for (int rows : args.batches) {
      std::vector<double> tokenize_us, engine_us, pool_us;
      fasterbert::text::Encoding encoding;
      std::vector<int64_t> ids, mask, types;
      std::vector<float> pooled(static_cast<size_t>(rows * args.hidden));
      int64_t seq = 0, real_tokens = 0;
      for (int rep = 0; rep < args.reps + 3; ++rep) {
        const auto t0 = Clock::now();
        std::vector<fasterbert::text::Encoding> encodings(static_cast<size_t>(rows));
        size_t longest = 0;
        real_tokens = 0;
        for (int r = 0; r < rows; ++r) {
          tokenizer.Encode(texts[static_cast<size_t>(r) % texts.size()],
                           static_cast<size_t>(args.max_length),
                           fasterbert::text::Truncation::kLongestFirst, &encodings[static_cast<size_t>(r)]);
          longest = std::max(longest, encodings[static_cast<size_t>(r)].size());
          real_tokens += static_cast<int64_t>(encodings[static_cast<size_t>(r)].size());
        }
        seq = static_cast<int64_t>(longest);
        ids.assign(static_cast<size_t>(rows) * longest, tokenizer.pad_id());
        mask.assign(ids.size(), 0);
        types.assign(ids.size(), 0);
        for (int r = 0; r < rows; ++r) {
          const auto& e = encodings[static_cast<size_t>(r)];
          for (size_t t = 0; t < e.ids.size(); ++t) {
            ids[static_cast<size_t>(r) * longest + t] = e.ids[t];
            mask[static_cast<size_t>(r) * longest + t] = e.attention_mask[t];
          }
        }
        const auto t1 = Clock::now();
        fasterbert::engines::EncodedBatch batch{rows, seq, ids.data(), mask.data(), types.data()};
        const auto views = session->Run(batch);
        cudaStreamSynchronize(static_cast<cudaStream_t>(session->cuda_stream()));
        const auto t2 = Clock::now();
        device.PoolToHost(views.at(0), mask.data(), rows, seq,
                          {fasterbert::PostOp::kMeanPool, fasterbert::PostOp::kL2Normalize},
                          pooled.data(), session->cuda_stream());
        const auto t3 = Clock::now();
        if (rep < 3) continue;  // warm-up
        tokenize_us.push_back(Us(t0, t1));
        engine_us.push_back(Us(t1, t2));
        pool_us.push_back(Us(t2, t3));
      }
      std::printf(
          "{\"rows\": %d, \"seq\": %lld, \"real_tokens\": %lld, \"tokenize_pack_us\": %.1f, "
          "\"engine_us\": %.1f, \"pool_normalize_copy_us\": %.1f}\n",
          rows, static_cast<long long>(seq), static_cast<long long>(real_tokens),
          MedianUs(tokenize_us), MedianUs(engine_us), MedianUs(pool_us));
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fasterbert_engine_bench: %s\n", e.what());
    return 1;
  }
}
