import { callerLocation } from './source-location.js';
import type { TokenizeNode } from './stage-nodes.js';
import { makeValue, type AttentionMask, type Text, type TokenCount, type TokenIds, type TokenTypeIds } from './values.js';

/** The tokenizer's vocabulary: a BERT `vocab.txt`, or a Hugging Face `tokenizer.json`. Paths are relative to the pipeline file. */
export type TokenizerSource =
  | { readonly vocab: string; readonly tokenizerJson?: never }
  | { readonly tokenizerJson: string; readonly vocab?: never };

/** Hugging Face calls this `tokenize_chinese_chars` (BertTokenizer) or `handle_chinese_chars` (tokenizer.json); either name works. */
export type ChineseCharsOption =
  | { readonly handleChineseChars?: boolean; readonly tokenizeChineseChars?: never }
  | { readonly tokenizeChineseChars?: boolean; readonly handleChineseChars?: never };

/**
 * Options with Hugging Face's names and defaults. With `tokenizerJson`, unset
 * options come from the file's normalizer and model; options set here win.
 * The file's own `truncation`/`padding` settings are ignored: `maxLength`
 * and `truncation` here decide.
 */
export interface TokenizeSettings {
  /** Default true. */
  readonly lowercase?: boolean;
  /** Default: follows `lowercase`. */
  readonly stripAccents?: boolean;
  /** Remove control characters and normalise whitespace. Default true. */
  readonly cleanText?: boolean;
  /** Tokens per row including [CLS] and [SEP]. Default 512. */
  readonly maxLength?: number;
  /** Cut longer texts to `maxLength` (default true); false makes an over-long text an error for its request. */
  readonly truncation?: boolean;
  readonly unkToken?: string;
  readonly clsToken?: string;
  readonly sepToken?: string;
  readonly padToken?: string;
  /** Default "##". */
  readonly continuingSubwordPrefix?: string;
  /** Longer words become the unknown token. Default 100. */
  readonly maxInputCharsPerWord?: number;
}

export type TokenizeOptions = TokenizerSource & ChineseCharsOption & TokenizeSettings;

/** What an encoder takes: [batch, sequence] each. */
export interface EncodedTokens {
  readonly inputIds: TokenIds;
  readonly attentionMask: AttentionMask;
  readonly tokenTypeIds: TokenTypeIds;
}

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
