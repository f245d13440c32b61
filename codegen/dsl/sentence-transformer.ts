import { makeValue, type AttentionMask, type SentenceEmbedding, type SentenceTransformerPoolNode, type TokenEmbeddings } from './graph.js';
import { callerLocation } from './source-location.js';
import type { SentenceTransformerOptions } from './stage-options.js';

/** Pooling (and normalization) exactly as the sentence-transformers folder configures it. */
export function sentenceTransformerPooling(
  tokenEmbeddings: TokenEmbeddings,
  attentionMask: AttentionMask,
  options: SentenceTransformerOptions,
): SentenceEmbedding {
  const node: SentenceTransformerPoolNode = {
    stage: 'sentenceTransformerPool',
    tokenEmbeddings,
    attentionMask,
    options,
    source: callerLocation(),
  };
  return makeValue<SentenceEmbedding>(node, 'embedding');
}
