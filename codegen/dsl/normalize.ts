import { makeValue, type NormalizeNode, type SentenceEmbedding } from './graph.js';
import { callerLocation } from './source-location.js';

/** Scale each row to unit L2 norm. */
export function normalize(embedding: SentenceEmbedding): SentenceEmbedding {
  const node: NormalizeNode = { stage: 'l2Normalize', embedding, source: callerLocation() };
  return makeValue<SentenceEmbedding>(node, 'embedding');
}
