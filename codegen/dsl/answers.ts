import { callerLocation } from './source-location.js';
import type { ExtractAnswersNode } from './stage-nodes.js';
import { makeValue, type AnswerOffsets, type AnswerScores, type AnswerTexts, type ContextWindows, type SpanLogits } from './values.js';

export interface ExtractAnswersOptions {
  /** Answers per row, best first. Default 1. */
  readonly nBest?: number;
  /** Longest answer in tokens (Hugging Face's `max_answer_len`). Default 15. */
  readonly maxAnswerLength?: number;
  /**
   * SQuAD v2: the empty answer competes with the null score, the smallest
   * p_start([CLS]) × p_end([CLS]) over the context's windows. Default false.
   */
  readonly nullAnswer?: boolean;
}

export interface Answers {
  /** BYTES [nBest]: the answers as written in the context; "" for the null answer and for empty slots. */
  readonly text: AnswerTexts;
  /** FP32 [nBest]: p_start × p_end within the answer's window; 0 for empty slots. */
  readonly score: AnswerScores;
  /** INT64 [nBest]: character offset where the answer starts in the context; 0 for the null answer, -1 for empty slots. */
  readonly start: AnswerOffsets;
  /** INT64 [nBest]: character offset just past the answer. */
  readonly end: AnswerOffsets;
}

/** Extractive QA: the best spans of the context, from a QA head's start and end logits. */
export function extractAnswers(
  startLogits: SpanLogits,
  endLogits: SpanLogits,
  contextWindows: ContextWindows,
  options: ExtractAnswersOptions = {},
): Answers {
  const node: ExtractAnswersNode = {
    stage: 'extractAnswers',
    startLogits,
    endLogits,
    contextWindows,
    options,
    source: callerLocation(),
  };
  return {
    text: makeValue<AnswerTexts>(node, 'text'),
    score: makeValue<AnswerScores>(node, 'score'),
    start: makeValue<AnswerOffsets>(node, 'start'),
    end: makeValue<AnswerOffsets>(node, 'end'),
  };
}
