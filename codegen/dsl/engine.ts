import { callerLocation } from './source-location.js';
import type { EngineNode } from './stage-nodes.js';
import type { EncodedTokens } from './tokenize.js';
import { makeValue, type ClassLogits, type SpanLogits, type TokenEmbeddings, type TokenLogits } from './values.js';

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
  /** Inference threads per instance (provider 'cpu'); 0 or unset: OpenVINO's default. */
  readonly numThreads?: number;
  readonly tensorrt?: never;
  readonly aotInductor?: never;
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
  readonly onnx?: never;
  readonly tensorrt?: never;
}

// One member per model format.
export type EngineOptions = OnnxEngineOptions | TensorRtEngineOptions | AotInductorEngineOptions;

/**
 * The model's outputs. Only those the graph uses are read, and the build
 * checks that the model has them with the right shape.
 */
export interface EngineResult {
  readonly tokenEmbeddings: TokenEmbeddings;
  readonly logits: ClassLogits;
  /** A token classifier's per-token logits (BertForTokenClassification). */
  readonly tokenLogits: TokenLogits;
  readonly startLogits: SpanLogits;
  readonly endLogits: SpanLogits;
}

/** Run the model on a tokenized batch. */
export function engine(tokens: EncodedTokens, options: EngineOptions): EngineResult {
  const node: EngineNode = { stage: 'engine', tokens, options, source: callerLocation() };
  return {
    tokenEmbeddings: makeValue<TokenEmbeddings>(node, 'tokenEmbeddings'),
    logits: makeValue<ClassLogits>(node, 'logits'),
    tokenLogits: makeValue<TokenLogits>(node, 'tokenLogits'),
    startLogits: makeValue<SpanLogits>(node, 'startLogits'),
    endLogits: makeValue<SpanLogits>(node, 'endLogits'),
  };
}
