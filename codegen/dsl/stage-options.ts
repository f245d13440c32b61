// The options of every DSL call, with Hugging Face's names and defaults
// where HF has them. They sit apart from the calls so that the recorded graph
// (graph.ts), which keeps each call's options, imports no call.

// textInput()
export interface TextInputOptions {
  /** Accept "" as a request's text (default false: an empty text is an error for its request). */
  readonly allowEmpty?: boolean;
  /** Longer texts are rejected for their request (default 1 MiB). */
  readonly maxBytes?: number;
  /**
   * Text put in front of every text of this input before tokenizing, as
   * sentence-transformers' `prompts` / TEI's `--default-prompt`: e.g.
   * multilingual-e5's "query: " or "passage: ". The limits above apply to the
   * client's text alone; the prompt's tokens are part of the row (pooled like
   * the rest). Default none. Up to 1024 bytes of UTF-8, no NUL. Not for
   * token classification or question answering, whose offsets point into the
   * client's text.
   */
  readonly prompt?: string;
}

// tokenize()
/** The tokenizer's vocabulary: a BERT `vocab.txt`, or a Hugging Face `tokenizer.json`. Paths are relative to the pipeline file. */
export type TokenizerSource =
  | { readonly vocab: string; readonly tokenizerJson?: never }
  | { readonly tokenizerJson: string; readonly vocab?: never };

/** Hugging Face calls this `tokenize_chinese_chars` (BertTokenizer) or `handle_chinese_chars` (tokenizer.json); either name works. */
export type ChineseCharsOption =
  | { readonly handleChineseChars?: boolean; readonly tokenizeChineseChars?: never }
  | { readonly tokenizeChineseChars?: boolean; readonly handleChineseChars?: never };

/**
 * Options with Hugging Face's names and defaults. With a BERT `tokenizerJson`
 * (WordPiece), unset options come from the file, which the runtime reads;
 * options set here win over it. A BPE or Unigram file takes no BERT options.
 * The file's own `truncation`/`padding` settings are ignored: `maxLength`
 * and `truncation` here decide.
 */
export interface TokenizeSettings {
  /** Default true. */
  readonly lowercase?: boolean;
  /** Default: follows `lowercase`. */
  readonly stripAccents?: boolean;
  /** Remove control characters and normalise whitespace. Default true. */
  readonly cleanText?: boolean;
  /** Tokens per row including [CLS] and [SEP]. Default 512. */
  readonly maxLength?: number;
  /** Cut longer texts to `maxLength` (default true); false makes an over-long text an error for its request. */
  readonly truncation?: boolean;
  readonly unkToken?: string;
  readonly clsToken?: string;
  readonly sepToken?: string;
  readonly padToken?: string;
  /** Default "##". */
  readonly continuingSubwordPrefix?: string;
  /** Longer words become the unknown token. Default 100. */
  readonly maxInputCharsPerWord?: number;
}

export type TokenizeOptions = TokenizerSource & ChineseCharsOption & TokenizeSettings;

// tokenizeQuestionContext()
/**
 * Tokenizer options for question + context. A context too long for one
 * engine row is cut into windows instead of truncated, so `truncation` has
 * no place here.
 */
export type QuestionContextOptions = TokenizerSource &
  ChineseCharsOption &
  Omit<TokenizeSettings, 'truncation'> & {
    /**
     * Tokens shared by consecutive windows of a long context (Hugging Face's
     * `doc_stride`, the tokenizer's `stride`). Default 128; must be smaller than the
     * room a question leaves in `maxLength`, else that question's request fails.
     */
    readonly docStride?: number;
    /**
     * The most context windows one question may make. A longer context fails
     * that request alone (bounded work per request); raise it for long
     * documents. Default 64.
     */
    readonly maxWindows?: number;
  };

// engine()
/**
 * Names of the model's tensors, when they differ from Hugging Face's
 * (`input_ids`, `attention_mask`, `token_type_ids`; outputs `last_hidden_state`,
 * `logits`, `start_logits`, `end_logits`).
 */
export interface EngineTensorNames {
  readonly inputs?: {
    readonly inputIds?: string;
    readonly attentionMask?: string;
    /** null: the model takes no token type ids. Default: fed when the model has such an input. */
    readonly tokenTypeIds?: string | null;
  };
  readonly outputs?: {
    /** The encoder's [batch, sequence, hidden] output. */
    readonly tokenEmbeddings?: string;
    /** A sequence classifier's [batch, labels] output. */
    readonly logits?: string;
    /** A token classifier's [batch, sequence, labels] output (default name `logits`). */
    readonly tokenLogits?: string;
    /** A QA head's [batch, sequence] outputs. */
    readonly startLogits?: string;
    readonly endLogits?: string;
  };
}

/**
 * An ONNX model. `provider` picks who runs it: 'cpu' (the default) is
 * OpenVINO in the server process; 'tensorrt' builds a TensorRT engine from it
 * when the model loads (FP16, LayerNorm in FP32). 'cuda' names ONNX Runtime's
 * CUDA provider, which faster-bert does not ship: the build says so.
 */
export interface OnnxEngineOptions extends EngineTensorNames {
  /** Path of the .onnx file, relative to the pipeline file. */
  readonly onnx: string;
  readonly provider?: 'cpu' | 'cuda' | 'tensorrt';
  readonly runtime?: 'openvino';
  readonly device?: 'CPU';
  /** Inference threads per instance, i.e. per OpenVINO stream (provider 'cpu'); 0 or unset: OpenVINO's default. */
  readonly numThreads?: number;
  /**
   * How OpenVINO computes (provider 'cpu'). 'f32' (the default); 'bf16':
   * OpenVINO's inference precision where the serving CPU has BF16 (else f32,
   * and the build says so); 'int8': the model quantized at build with NNCF
   * post-training quantization, its float parts in bf16 where the CPU has
   * it. bf16 and int8 pass an accuracy gate at build.
   */
  readonly precision?: EnginePrecision;
  /** The texts and thresholds of int8 calibration and of the accuracy gate. */
  readonly calibration?: CalibrationOptions;
  readonly tensorrt?: never;
  readonly aotInductor?: never;
}

export type EnginePrecision = 'f32' | 'bf16' | 'int8';

/**
 * Paths are relative to the pipeline file; text files hold one text per
 * line. Defaults: the project's tools/quantize/texts/ (English and Chinese).
 */
export interface CalibrationOptions {
  /** int8: the texts NNCF measures activation ranges on. */
  readonly texts?: string;
  /** int8: how many of them (default 300, at most the file's lines). */
  readonly samples?: number;
  /** The texts the accuracy gate runs, none of them calibration texts. */
  readonly heldOut?: string;
  /** Least cosine of a mean-pooled sentence embedding to FP32's, over the held-out texts (default int8 0.99, bf16 0.999). */
  readonly minCosine?: number;
  /** Least share of logits whose argmax matches FP32's (default 0.99). */
  readonly minAgreement?: number;
}

/**
 * A serialized TensorRT engine (.plan) with its signature file `<plan>.json`
 * beside it (docker/build-trt-plan.sh writes both). Runs on the instance's GPU.
 */
export interface TensorRtEngineOptions extends EngineTensorNames {
  readonly tensorrt: string;
  readonly onnx?: never;
  readonly aotInductor?: never;
}

/**
 * A LibTorch AOTInductor package (.pt2, from torch.export and
 * torch._inductor.aoti_compile_and_package) with its signature file
 * `<package>.json` beside it (tools/torch_export/export_bert_pt2.py writes
 * both). Runs on the instance's GPU.
 */
export interface AotInductorEngineOptions extends EngineTensorNames {
  readonly aotInductor: string;
  /**
   * Replay each call as a CUDA graph, one per shape bucket (batch rounded up
   * to a power of two, sequence to a multiple of 16/32): one launch instead
   * of one per kernel. Default true; false runs the package eagerly.
   */
  readonly cudaGraphs?: boolean;
  /**
   * With cudaGraphs, only calls of at most this many tokens of work (a
   * token-packed package's real tokens, else rows x padded length) replay a
   * graph; larger ones run at their exact shape, where their kernels already
   * hide the launches and a bucket's padding would cost more than a graph
   * saves (bench/reports/2026-12-06-h100-graph-limit.md). Default: 2048
   * for a token-packed package, 0 (every call replayed) for a padded one.
   */
  readonly cudaGraphMaxTokens?: number;
  readonly onnx?: never;
  readonly tensorrt?: never;
}

// One member per model format.
export type EngineOptions = OnnxEngineOptions | TensorRtEngineOptions | AotInductorEngineOptions;

// classify()
/** Where the label names come from; paths are relative to the pipeline file. */
export type LabelSource =
  | { readonly labelsFile: string; readonly configJson?: never; readonly names?: never }
  | { readonly configJson: string; readonly labelsFile?: never; readonly names?: never }
  | { readonly names: readonly string[]; readonly labelsFile?: never; readonly configJson?: never };

export interface ClassifyOptions {
  /** `'softmax'` (default): one label per text; `'sigmoid'`: independent labels (multi-label). */
  readonly activation?: 'softmax' | 'sigmoid';
  /**
   * Label names by class id: a file with one name per line, a Hugging Face
   * `config.json` (its `id2label`), or the names themselves. Default: `LABEL_0`, `LABEL_1`, ...
   */
  readonly labels?: LabelSource;
  /** How many labels `labels`/`labelScores` give per row, best first. Default 1. */
  readonly topK?: number;
  /** Leave out labels scoring below this (their slots hold "" and 0). Default: none. */
  readonly threshold?: number;
}

// tokenClassify()
/** Hugging Face TokenClassificationPipeline's aggregation strategies, same names and rules. */
export type TokenAggregation = 'none' | 'simple' | 'first' | 'average' | 'max';

export interface TokenClassifyOptions {
  /** Label names by class id (B-/I- tags): a labels file, a `config.json` (`id2label`), or the names. */
  readonly labels?: LabelSource;
  /**
   * `'none'`: one entity per token; `'simple'` (default): B-/I- tags merged into entities, word pieces kept
   * as tokens; `'first'`, `'average'`, `'max'`: one label per word (its first token's, the mean scores', or the
   * best token's), then merged. As HF's `aggregation_strategy`.
   */
  readonly aggregation?: TokenAggregation;
  /** Entities with these labels (groups) are left out. Default `['O']`, as HF. */
  readonly ignoreLabels?: readonly string[];
  /** Slots of the typed outputs (`labelIds`, `starts`, `ends`, `scores`). Default 16. */
  readonly maxEntities?: number;
}

// extractAnswers()
export interface ExtractAnswersOptions {
  /** Answers per row, best first. Default 1. */
  readonly nBest?: number;
  /** Longest answer in tokens (Hugging Face's `max_answer_len`). Default 15. */
  readonly maxAnswerLength?: number;
  /**
   * SQuAD v2: the empty answer competes with the null score, the smallest
   * p_start([CLS]) × p_end([CLS]) over the context's windows. Default false.
   */
  readonly nullAnswer?: boolean;
  /**
   * Widen each answer to the whole words of its start and end tokens, as
   * Hugging Face's pipeline does by default (`align_to_words`): a span that
   * starts or ends inside a word answers with the whole word. false: the
   * tokens' own offsets. Default true.
   */
  readonly alignToWords?: boolean;
}

// sentenceTransformerPooling()
export interface SentenceTransformerOptions {
  /**
   * A sentence-transformers model folder, relative to the pipeline file: its
   * `modules.json` and the Pooling module's `config.json` (usually
   * `1_Pooling/config.json`) decide the pooling, a Normalize module adds L2 normalization.
   */
  readonly modelDir: string;
}

// passagesInput(), tokenizePairs(), rerank()
export interface PassagesInputOptions extends TextInputOptions {
  /** Most passages one request may send; more is an error for that request. Default 64. */
  readonly maxPassages?: number;
}

/**
 * Tokenizer options for (query, passage) pairs. Only the passage is cut to
 * `maxLength` (Hugging Face's `truncation="only_second"`), so `truncation` has
 * no place here; a query that leaves no room is an error for its request.
 */
export type PairTokenizeOptions = TokenizerSource & ChineseCharsOption & Omit<TokenizeSettings, 'truncation'>;

export interface RerankOptions {
  /**
   * `'sigmoid'` (default) over a one-logit head, as sentence-transformers' CrossEncoder;
   * `'softmax'` over a two-class head, the score being the probability of class 1;
   * `'none'`: the (class 1) logit as it is.
   */
  readonly activation?: 'sigmoid' | 'softmax' | 'none';
  /** How many passage indices `topIndices` gives, best first (ties: lower index first; -1 past the last passage). Default 1; at most maxPassages. */
  readonly topK?: number;
}
