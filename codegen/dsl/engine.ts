import { callerLocation } from './source-location.js';
import type { EngineNode } from './stage-nodes.js';
import type { Tokens } from './tokenize.js';
import { makeValue, type TokenEmbeddings } from './values.js';

/**
 * Names of the model's tensors, when they differ from Hugging Face's
 * (`input_ids`, `attention_mask`, `token_type_ids`, `last_hidden_state`).
 */
export interface EngineTensorNames {
  readonly inputs?: {
    readonly inputIds?: string;
    readonly attentionMask?: string;
    /** null: the model takes no token type ids. Default: fed when the model has such an input. */
    readonly tokenTypeIds?: string | null;
  };
  readonly outputs?: {
    /** The [batch, sequence, hidden] output. */
    readonly tokenEmbeddings?: string;
  };
}

/** An ONNX model run by OpenVINO. */
export interface OpenVinoEngineOptions extends EngineTensorNames {
  /** Path of the .onnx file, relative to the pipeline file. */
  readonly onnx: string;
  readonly runtime?: 'openvino';
  readonly device?: 'CPU';
  /** Inference threads per instance; 0 or unset: OpenVINO's default. */
  readonly numThreads?: number;
}

// One member per engine kind; TensorRT and others join this union.
export type EngineOptions = OpenVinoEngineOptions;

export interface EngineResult {
  readonly tokenEmbeddings: TokenEmbeddings;
}

/** Run the encoder on a tokenized batch. */
export function engine(tokens: Tokens, options: EngineOptions): EngineResult {
  const node: EngineNode = { stage: 'engine', tokens, options, source: callerLocation() };
  return { tokenEmbeddings: makeValue<TokenEmbeddings>(node, 'tokenEmbeddings') };
}
