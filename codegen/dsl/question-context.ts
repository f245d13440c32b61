import { makeValue, type AttentionMask, type ContextWindows, type EncodedTokens, type Text, type TokenIds, type TokenTypeIds, type TokenizeQuestionContextNode } from './graph.js';
import { callerLocation } from './source-location.js';
import type { QuestionContextOptions } from './stage-options.js';

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
