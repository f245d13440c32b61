// The contract between codegen and the C++ runtime: codegen renders one
// function, MakePipelineSpec(), that fills this struct with the pipeline's
// constants; the runtime never sees TypeScript or the IR JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engines/engine_spec.h"
#include "ops/activation.h"
#include "ops/token_entities.h"
#include "text/bert_tokenizer.h"

namespace fasterbert {

using engines::EngineKind;
using engines::EngineSpec;
using ops::Activation;
using ops::TokenAggregation;

struct TokenizerSpec {
  // A BERT vocab.txt with `options`, or (when tokenizer_json_file is set) a
  // HF tokenizer.json of any family that text::Tokenizer reads itself; both
  // relative to the model version directory.
  std::string vocab_file;
  std::string tokenizer_json_file;
  // The BERT tokenizer's settings (strip_accents already resolved by codegen).
  text::BertTokenizerOptions options;
  // With a BERT tokenizer.json: the pipeline's BERT options, which replace
  // the file's (the file's own settings are read by text::Tokenizer).
  text::BertTokenizerOverrides tokenizer_json_overrides;
  int max_length = 512;   // including [CLS] and [SEP]
  bool truncation = true; // false: an over-long text is an error for its request
};

// How a batch row's texts become engine rows.
enum class EncodingKind {
  kSingleText,       // [CLS] text [SEP], one engine row per batch row
  kQuestionContext,  // [CLS] question [SEP] context window [SEP], one engine row per window
  kQueryPassages,    // [CLS] query [SEP] passage [SEP], one engine row per passage (pipeline/encoders/query_passages.h)
  kQueryPassagePerRow,  // the same with one (query, passage) pair per batch row
};

struct EncodingSpec {
  EncodingKind kind = EncodingKind::kSingleText;
  // kQuestionContext: tokens shared by consecutive context windows.
  int doc_stride = 128;
  // kQueryPassages: most passages one request may send.
  int max_passages = 64;
  // kQuestionContext: the most windows one question's context may make; a
  // longer context is an error for its request (bounded work per request).
  int max_windows = 64;
};

enum class PostOp { kMeanPool, kClsPool, kMaxPool, kL2Normalize };

// Turns the engine's logits into class scores and named top-k labels.
struct ClassifierSpec {
  Activation activation = Activation::kSoftmax;
  std::vector<std::string> labels;  // num_labels names, index = class id
  // How many labels a top-k output gives is its OutputSpec::dim.
  bool has_threshold = false;  // true: labels scoring below `threshold` are left out
  float threshold = 0.5f;
};

// Token classification (NER): HF TokenClassificationPipeline's aggregation.
struct TokenClassifierSpec {
  std::vector<std::string> labels;  // num_token_labels names (B-/I- tags), index = class id
  TokenAggregation aggregation = TokenAggregation::kSimple;
  std::vector<std::string> ignore_labels = {"O"};
};

// Extractive QA span decoding over a row's context windows.
struct AnswerDecoderSpec {
  int n_best = 1;              // answers per row, best first
  int max_answer_length = 30;  // in tokens
  bool null_answer = false;    // SQuAD v2: the empty answer competes with its null score
  bool align_to_words = true;  // answers widened to whole words, as HF's default
};

// Cross-encoder reranking: one relevance score per (query, passage) pair.
struct RerankerSpec {
  // Over a one-logit head: sigmoid or none; over two classes: the score of class 1.
  Activation activation = Activation::kSigmoid;
};

enum class OutputKind {
  kSentenceEmbedding,  // FP32 [hidden]: post_ops over the token embeddings
  kTokenCount,         // INT64 [1]: tokens of the row with [CLS] and [SEP]
  kLogits,             // FP32 [num_labels]: the engine's logits as they are
  kClassScores,        // FP32 [num_labels]: logits after the classifier's activation
  kTopLabels,          // BYTES [top_k]: label names, best first ("" past the last kept)
  kTopLabelScores,     // FP32 [top_k]: their scores (0 past the last kept)
  kAnswerText,         // BYTES [n_best]: answer strings ("" for the null answer and padding)
  kAnswerScore,        // FP32 [n_best]
  kAnswerStart,        // INT64 [n_best]: character offsets into the context (-1: padding)
  kAnswerEnd,          // INT64 [n_best]: exclusive end
  kRerankScores,       // FP32 [passages] (dim -1): one score per passage, in input order
  kRerankTopIndices,   // INT64 [top_k]: passage indices by score, best first (-1 past the last)
  kPairScore,          // FP32 [1]: kQueryPassagePerRow's score of the row's pair
  kEntities,           // BYTES [1]: the row's entities as one JSON list (ops/token_entities.h)
  kEntityLabelIds,     // INT64 [max_entities]: label ids (-1 past the last)
  kEntityStarts,       // INT64 [max_entities]: character offsets into the text (-1 past the last)
  kEntityEnds,         // INT64 [max_entities]: exclusive end
  kEntityScores,       // FP32 [max_entities] (0 past the last)
};

inline bool IsEntityOutput(OutputKind kind) {
  return kind == OutputKind::kEntities || kind == OutputKind::kEntityLabelIds ||
         kind == OutputKind::kEntityStarts || kind == OutputKind::kEntityEnds ||
         kind == OutputKind::kEntityScores;
}

enum class DataType { kFp32, kInt64, kBytes };

inline DataType OutputDataType(OutputKind kind) {
  switch (kind) {
    case OutputKind::kTokenCount:
    case OutputKind::kAnswerStart:
    case OutputKind::kAnswerEnd:
    case OutputKind::kRerankTopIndices:
    case OutputKind::kEntityLabelIds:
    case OutputKind::kEntityStarts:
    case OutputKind::kEntityEnds:
      return DataType::kInt64;
    case OutputKind::kTopLabels:
    case OutputKind::kAnswerText:
    case OutputKind::kEntities:
      return DataType::kBytes;
    default:
      return DataType::kFp32;
  }
}

struct OutputSpec {
  std::string name;
  OutputKind kind = OutputKind::kSentenceEmbedding;
  int dim = 0;                   // elements per batch row
  std::vector<PostOp> post_ops;  // kSentenceEmbedding only: applied in order
};

struct PipelineSpec {
  std::string name;
  // BYTES, dims [1] each: one string per batch row. One for kSingleText;
  // question then context for kQuestionContext.
  std::vector<std::string> text_inputs;
  // Beside text_inputs: put in front of each text of that input before it is
  // tokenized (a model's "query: " prompt), after the limits below checked
  // the client's text alone. "" or absent: none. Never on question + context
  // or token classification (codegen refuses it), whose offsets point into
  // the client's text.
  std::vector<std::string> text_prompts;
  bool allow_empty_text = false;
  int max_text_bytes = 1 << 20;  // larger texts are rejected per request
  int max_batch_size = 0;
  // Token budget of one engine call (rows x padded length); a batch over it
  // is split into several calls (pipeline/engine_call_plan.h). 0: no budget.
  int max_batch_tokens = 0;
  // The fixed cost of one engine call in padded tokens: a batch is cut into
  // the calls that minimise calls x this + padded tokens
  // (pipeline/engine_call_plan.h). 0: no such split.
  int engine_call_cost_tokens = 0;
  // Threads of one model instance that tokenize a batch's rows, its own
  // thread included (pipeline/parallel_rows.h). 1: no extra thread.
  int tokenize_threads = 1;
  TokenizerSpec tokenizer;
  EncodingSpec encoding;
  EngineSpec engine;
  ClassifierSpec classifier;
  AnswerDecoderSpec answer_decoder;
  TokenClassifierSpec token_classifier;
  RerankerSpec reranker;
  std::vector<OutputSpec> outputs;
};

// Defined by the generated code of each pipeline.
PipelineSpec MakePipelineSpec();

}  // namespace fasterbert
