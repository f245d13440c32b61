import { makeValue, type AttentionMask, type EncodedTokens, type Text, type TokenCount, type TokenIds, type TokenTypeIds, type TokenizeNode } from './graph.js';
import { callerLocation } from './source-location.js';
import type { TokenizeOptions } from './stage-options.js';

/** What BERT WordPiece tokenization of one text per row yields. */
export interface Tokens extends EncodedTokens {
  /** Tokens of each row with [CLS] and [SEP], after truncation: an INT64 [1] output. */
  readonly tokenCount: TokenCount;
}

/** BERT WordPiece tokenization: [CLS] text [SEP], padded per batch. */
export function tokenize(text: Text, options: TokenizeOptions): Tokens {
  const node: TokenizeNode = { stage: 'tokenize', text, options, source: callerLocation() };
  return {
    inputIds: makeValue<TokenIds>(node, 'inputIds'),
    attentionMask: makeValue<AttentionMask>(node, 'attentionMask'),
    tokenTypeIds: makeValue<TokenTypeIds>(node, 'tokenTypeIds'),
    tokenCount: makeValue<TokenCount>(node, 'tokenCount'),
  };
}
