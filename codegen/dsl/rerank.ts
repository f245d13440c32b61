import { callerLocation } from './source-location.js';
import type { PassagesInputNode, RerankNode, TokenizePairsNode } from './stage-nodes.js';
import type { TextInputOptions } from './text-input.js';
import type { ChineseCharsOption, EncodedTokens, TokenizeSettings, TokenizerSource } from './tokenize.js';
import {
  makeValue,
  type AttentionMask,
  type ClassLogits,
  type PairScore,
  type PassagePairs,
  type Passages,
  type RowPairs,
  type RerankIndices,
  type RerankScores,
  type Text,
  type TokenIds,
  type TokenTypeIds,
} from './values.js';

export interface PassagesInputOptions extends TextInputOptions {
  /** Most passages one request may send; more is an error for that request. Default 64. */
  readonly maxPassages?: number;
}

/**
 * A BYTES input of variable length, dims [-1]: a request of one batch row
 * (shape [1, n]) carries the n passages to score against its query.
 */
export function passagesInput(name: string, options: PassagesInputOptions = {}): Passages {
  const node: PassagesInputNode = { stage: 'passagesInput', name, options, source: callerLocation() };
  return makeValue<Passages>(node, 'passages');
}

/**
 * Tokenizer options for (query, passage) pairs. Only the passage is cut to
 * `maxLength` (Hugging Face's `truncation="only_second"`), so `truncation` has
 * no place here; a query that leaves no room is an error for its request.
 */
export type PairTokenizeOptions = TokenizerSource & ChineseCharsOption & Omit<TokenizeSettings, 'truncation'>;

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
