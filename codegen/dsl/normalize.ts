import { callerLocation } from './source-location.js';
import type { NormalizeNode } from './stage-nodes.js';
import { makeValue, type SentenceEmbedding } from './values.js';

/** Scale each row to unit L2 norm. */
export function normalize(embedding: SentenceEmbedding): SentenceEmbedding {
  const node: NormalizeNode = { stage: 'l2Normalize', embedding, source: callerLocation() };
  return makeValue<SentenceEmbedding>(node, 'embedding');
}
