import { makeValue, type AttentionMask, type PoolNode, type SentenceEmbedding, type TokenEmbeddings } from './graph.js';
import { callerLocation } from './source-location.js';

function pool(
  stage: PoolNode['stage'],
  tokenEmbeddings: TokenEmbeddings,
  attentionMask: AttentionMask | undefined,
): SentenceEmbedding {
  const node: PoolNode = { stage, tokenEmbeddings, attentionMask, source: callerLocation() };
  return makeValue<SentenceEmbedding>(node, 'embedding');
}

/** Average of the token embeddings where the mask is 1 (sentence-transformers' mean pooling). */
export function meanPool(tokenEmbeddings: TokenEmbeddings, attentionMask: AttentionMask): SentenceEmbedding {
  return pool('meanPool', tokenEmbeddings, attentionMask);
}

/** Element-wise maximum over the tokens where the mask is 1. */
export function maxPool(tokenEmbeddings: TokenEmbeddings, attentionMask: AttentionMask): SentenceEmbedding {
  return pool('maxPool', tokenEmbeddings, attentionMask);
}

/** The embedding of the first token ([CLS]). */
export function clsPool(tokenEmbeddings: TokenEmbeddings): SentenceEmbedding {
  return pool('clsPool', tokenEmbeddings, undefined);
}
