// The pipeline against its engine: a batch of texts through TextPipeline as
// the backend runs it (tokenize on the instance's threads, pack, engine,
// mean-pool + L2 on the device, copy [rows, hidden] to the host), and the
// engine alone on the same padded batch in a second session. Prints one JSON
// line per batch size with the medians, so a report can give the pipeline's
// non-engine time as a share of engine time.
//
// usage: fasterbert_engine_bench --kind aotInductor|tensorrt --model FILE
//          --vocab vocab.txt --texts FILE (one text per line) --hidden N
//          [--batches 1,16,64] [--max-length 256] [--reps 30] [--tokenize-threads 4]
//          [--cuda-graphs 1|0] [--graph-max-tokens N] [--max-batch-tokens N] [--call-cost-tokens N]
//          [--pack-tokens 1|0]
// --cuda-graphs 0 runs the AOTInductor package eagerly, --graph-max-tokens N
// only calls of more than N tokens of work (engines/cuda_graph_buckets.h); --max-batch-tokens
// lets the pipeline split a batch into length-sorted engine calls (0: one
// call), --call-cost-tokens cuts it where padding saved outweighs a call
// (pipeline/engine_call_plan.h); the engine-alone figure is always one call of the whole batch.
// --pack-tokens 1: the package was exported with --pack-tokens (its fourth
// input, token_index, the engine fills from the mask).
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
#include "pipeline/text_pipeline.h"
#include "text/bert_tokenizer.h"

namespace {

using fasterbert::EngineKind;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string kind, model, vocab, texts;
  int hidden = 0, max_length = 256, reps = 30, tokenize_threads = 4, max_batch_tokens = 0, call_cost_tokens = 0,
      graph_max_tokens = 0;
  bool cuda_graphs = true, pack_tokens = false;
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
    else if (key == "--tokenize-threads") args.tokenize_threads = std::stoi(value);
    else if (key == "--cuda-graphs") args.cuda_graphs = value != "0";
    else if (key == "--graph-max-tokens") args.graph_max_tokens = std::stoi(value);
    else if (key == "--pack-tokens") args.pack_tokens = value != "0";
    else if (key == "--max-batch-tokens") args.max_batch_tokens = std::stoi(value);
    else if (key == "--call-cost-tokens") args.call_cost_tokens = std::stoi(value);
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
    fasterbert::PipelineSpec pipeline;
    pipeline.max_batch_size = *std::max_element(args.batches.begin(), args.batches.end());
    pipeline.tokenizer.max_length = args.max_length;
    fasterbert::EngineSpec& spec = pipeline.engine;
    spec.kind = args.kind == "tensorrt" ? EngineKind::kTensorRt : EngineKind::kAotInductor;
    spec.input_ids = "input_ids";
    spec.attention_mask = "attention_mask";
    spec.token_type_ids = "token_type_ids";
    spec.input_order = {"input_ids", "attention_mask", "token_type_ids"};
    if (args.pack_tokens) spec.input_order.push_back("token_index");
    spec.output_order = {"last_hidden_state"};
    spec.token_embeddings = "last_hidden_state";
    spec.hidden_size = args.hidden;
    spec.cuda_graphs = args.cuda_graphs;
    spec.cuda_graph_max_tokens = args.graph_max_tokens;
    pipeline.max_batch_tokens = args.max_batch_tokens;
    pipeline.engine_call_cost_tokens = args.call_cost_tokens;
    const size_t slash = args.model.find_last_of('/');
    spec.model_file = args.model.substr(slash + 1);
    auto engine = fasterbert::engines::MakeEngine(
        spec, {pipeline.max_batch_size, pipeline.tokenizer.max_length}, args.model.substr(0, slash));
    auto session = engine->OpenSession({true, 0});
    const auto owned_tokenizer = fasterbert::text::Tokenizer::FromBert(
        fasterbert::text::BertTokenizer::FromVocabFile(args.vocab, fasterbert::text::BertTokenizerOptions{}));
    const fasterbert::text::Tokenizer& tokenizer = *owned_tokenizer;

    std::vector<std::string> texts;
    std::ifstream in(args.texts);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) texts.push_back(line);
    }
    if (texts.empty()) throw std::runtime_error("no texts in " + args.texts);

    // The pipeline as the backend runs it (tokenize on the instance's
    // threads, pack, engine, device pooling + L2, copy of [rows, hidden]),
    // and beside it a second session running the engine alone on the same
    // packed batch: the difference is the pipeline's non-engine time.
    pipeline.text_inputs = {"text"};
    pipeline.tokenize_threads = args.tokenize_threads;
    pipeline.outputs = {{"embedding", fasterbert::OutputKind::kSentenceEmbedding, args.hidden,
                         {fasterbert::PostOp::kMeanPool, fasterbert::PostOp::kL2Normalize}}};
    fasterbert::TextPipeline text_pipeline(pipeline, tokenizer, engine->OpenSession({true, 0}),
                                           engine->limits());
    for (int rows : args.batches) {
      std::vector<fasterbert::TextRow> batch_rows;
      for (int r = 0; r < rows; ++r) batch_rows.push_back({texts[static_cast<size_t>(r) % texts.size()], {}});
      // The engine-alone input: the same rows, tokenized and padded once.
      std::vector<fasterbert::text::Encoding> encodings(static_cast<size_t>(rows));
      size_t longest = 0;
      int64_t real_tokens = 0;
      for (int r = 0; r < rows; ++r) {
        tokenizer.Encode(batch_rows[static_cast<size_t>(r)].text, static_cast<size_t>(args.max_length),
                         fasterbert::text::Truncation::kLongestFirst, &encodings[static_cast<size_t>(r)]);
        longest = std::max(longest, encodings[static_cast<size_t>(r)].size());
        real_tokens += static_cast<int64_t>(encodings[static_cast<size_t>(r)].size());
      }
      const int64_t seq = static_cast<int64_t>(longest);
      std::vector<int64_t> ids(static_cast<size_t>(rows) * longest, tokenizer.pad_id());
      std::vector<int64_t> mask(ids.size(), 0), types(ids.size(), 0);
      for (int r = 0; r < rows; ++r) {
        const auto& e = encodings[static_cast<size_t>(r)];
        for (size_t t = 0; t < e.ids.size(); ++t) {
          ids[static_cast<size_t>(r) * longest + t] = e.ids[t];
          mask[static_cast<size_t>(r) * longest + t] = e.attention_mask[t];
        }
      }
      const fasterbert::engines::EncodedBatch batch{rows, seq, ids.data(), mask.data(), types.data()};

      std::vector<double> tokenize_us, pipeline_us, engine_us, non_engine_us;
      fasterbert::BatchResult result;
      for (int rep = 0; rep < args.reps + 3; ++rep) {
        const auto t0 = Clock::now();
        text_pipeline.Run(batch_rows, {true}, &result);  // returns with the pooled rows on the host
        const auto t1 = Clock::now();
        session->Run(batch);
        cudaStreamSynchronize(static_cast<cudaStream_t>(session->cuda_stream()));
        const auto t2 = Clock::now();
        for (const std::string& error : result.errors) {
          if (!error.empty()) throw std::runtime_error("a row failed: " + error);
        }
        if (rep < 3) continue;  // warm-up
        tokenize_us.push_back(Us(t0, result.tokenized_at));
        pipeline_us.push_back(Us(t0, t1));
        engine_us.push_back(Us(t1, t2));
        // Paired per repetition: drifts of the GPU's speed cancel out.
        non_engine_us.push_back(Us(t0, t1) - Us(t1, t2));
      }
      const double engine_median = MedianUs(engine_us), non_engine = MedianUs(non_engine_us);
      std::printf(
          "{\"rows\": %d, \"seq\": %lld, \"real_tokens\": %lld, \"tokenize_threads\": %d, "
          "\"tokenize_us\": %.1f, \"pipeline_us\": %.1f, \"engine_us\": %.1f, "
          "\"non_engine_us\": %.1f, \"non_engine_share\": %.4f, \"engine_calls\": %zu, "
          "\"cuda_graphs\": %d, \"graph_max_tokens\": %d, \"max_batch_tokens\": %d, \"call_cost_tokens\": %d}\n",
          rows, static_cast<long long>(seq), static_cast<long long>(real_tokens), args.tokenize_threads,
          MedianUs(tokenize_us), MedianUs(pipeline_us), engine_median, non_engine,
          non_engine / engine_median, result.engine_calls, args.cuda_graphs ? 1 : 0, args.graph_max_tokens,
          args.max_batch_tokens, args.call_cost_tokens);
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fasterbert_engine_bench: %s\n", e.what());
    return 1;
  }
}
