import { callerLocation } from './source-location.js';
import type { TokenizeQuestionContextNode } from './stage-nodes.js';
import type { ChineseCharsOption, EncodedTokens, TokenizeSettings, TokenizerSource } from './tokenize.js';
import { makeValue, type AttentionMask, type ContextWindows, type Text, type TokenIds, type TokenTypeIds } from './values.js';

/**
 * Tokenizer options for question + context. A context too long for one
 * engine row is cut into windows instead of truncated, so `truncation` has
 * no place here.
 */
export type QuestionContextOptions = TokenizerSource &
  ChineseCharsOption &
  Omit<TokenizeSettings, 'truncation'> & {
    /**
     * Tokens shared by consecutive windows of a long context (Hugging Face's
     * `doc_stride`, the tokenizer's `stride`). Default 128; must be smaller than the
     * room a question leaves in `maxLength`, else that question's request fails.
     */
    readonly docStride?: number;
    /**
     * The most context windows one question may make. A longer context fails
     * that request alone (bounded work per request); raise it for long
     * documents. Default 64.
     */
    readonly maxWindows?: number;
  };

/** Question and context tokens, one engine row per context window. */
export interface QuestionContextTokens extends EncodedTokens {
  readonly contextWindows: ContextWindows;
}

/**
 * `[CLS] question [SEP] context window [SEP]` (type ids 1 from the context on),
 * as Hugging Face's question-answering pipeline encodes a pair with
 * `truncation="only_second"` and overflowing windows.
 */
export function tokenizeQuestionContext(question: Text, context: Text, options: QuestionContextOptions): QuestionContextTokens {
  const node: TokenizeQuestionContextNode = {
    stage: 'tokenizeQuestionContext',
    question,
    context,
    options,
    source: callerLocation(),
  };
  return {
    inputIds: makeValue<TokenIds>(node, 'inputIds'),
    attentionMask: makeValue<AttentionMask>(node, 'attentionMask'),
    tokenTypeIds: makeValue<TokenTypeIds>(node, 'tokenTypeIds'),
    contextWindows: makeValue<ContextWindows>(node, 'contextWindows'),
  };
}
