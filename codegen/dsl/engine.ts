import { makeValue, type ClassLogits, type EncodedTokens, type EngineNode, type SpanLogits, type TokenEmbeddings, type TokenLogits } from './graph.js';
import { callerLocation } from './source-location.js';
import type { EngineOptions } from './stage-options.js';

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
