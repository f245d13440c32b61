import { callerLocation } from './source-location.js';
import type { SentenceTransformerPoolNode } from './stage-nodes.js';
import { makeValue, type AttentionMask, type SentenceEmbedding, type TokenEmbeddings } from './values.js';

export interface SentenceTransformerOptions {
  /**
   * A sentence-transformers model folder, relative to the pipeline file: its
   * `modules.json` and the Pooling module's `config.json` (usually
   * `1_Pooling/config.json`) decide the pooling, a Normalize module adds L2 normalization.
   */
  readonly modelDir: string;
}

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
