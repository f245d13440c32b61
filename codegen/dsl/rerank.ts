import { makeValue, type AttentionMask, type ClassLogits, type EncodedTokens, type PairScore, type PassagePairs, type Passages, type PassagesInputNode, type RerankIndices, type RerankNode, type RerankScores, type RowPairs, type Text, type TokenIds, type TokenTypeIds, type TokenizePairsNode } from './graph.js';
import { callerLocation } from './source-location.js';
import type { PairTokenizeOptions, PassagesInputOptions, RerankOptions } from './stage-options.js';

/**
 * A BYTES input of variable length, dims [-1]: a request of one batch row
 * (shape [1, n]) carries the n passages to score against its query.
 */
export function passagesInput(name: string, options: PassagesInputOptions = {}): Passages {
  const node: PassagesInputNode = { stage: 'passagesInput', name, options, source: callerLocation() };
  return makeValue<Passages>(node, 'passages');
}

/** One engine row per (query, passage) pair. */
export interface PairTokens<P extends PassagePairs | RowPairs = PassagePairs> extends EncodedTokens {
  /** Which request and passage each engine row is: what rerank() regroups by. */
  readonly pairs: P;
}

/** `[CLS] query [SEP] passage [SEP]` for each passage of the request, type ids 1 from the passage on. */
export function tokenizePairs(query: Text, passages: Passages, options: PairTokenizeOptions): PairTokens<PassagePairs>;
/** `[CLS] query [SEP] passage [SEP]` for one pair per batch row (both `textInput()`s). */
export function tokenizePairs(query: Text, passage: Text, options: PairTokenizeOptions): PairTokens<RowPairs>;
export function tokenizePairs(query: Text, passages: Passages | Text, options: PairTokenizeOptions): PairTokens<PassagePairs | RowPairs> {
  const node: TokenizePairsNode = { stage: 'tokenizePairs', query, passages, options, source: callerLocation() };
  return {
    inputIds: makeValue<TokenIds>(node, 'inputIds'),
    attentionMask: makeValue<AttentionMask>(node, 'attentionMask'),
    tokenTypeIds: makeValue<TokenTypeIds>(node, 'tokenTypeIds'),
    pairs: makeValue<PassagePairs | RowPairs>(node, 'pairs'),
  };
}

export interface Reranking {
  /** FP32 [n]: one score per passage, in the request's order. */
  readonly scores: RerankScores;
  /** INT64 [topK]: passage indices by score, best first. */
  readonly topIndices: RerankIndices;
}

/** One pair per row: its score. */
export interface PairScoring {
  /** FP32 [1]: the row's relevance score. */
  readonly score: PairScore;
}

/** Cross-encoder reranking: each pair's logits become a relevance score, regrouped per request. */
export function rerank(logits: ClassLogits, pairs: PassagePairs, options?: RerankOptions): Reranking;
/** One pair per batch row: nothing to rank, so no topK. */
export function rerank(logits: ClassLogits, pairs: RowPairs, options?: Omit<RerankOptions, 'topK'>): PairScoring;
export function rerank(logits: ClassLogits, pairs: PassagePairs | RowPairs, options: RerankOptions = {}): Reranking | PairScoring {
  const node: RerankNode = { stage: 'rerank', logits, pairs, options, source: callerLocation() };
  return {
    scores: makeValue<RerankScores>(node, 'scores'),
    topIndices: makeValue<RerankIndices>(node, 'topIndices'),
    score: makeValue<PairScore>(node, 'score'),
  };
}
