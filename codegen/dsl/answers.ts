import { makeValue, type AnswerOffsets, type AnswerScores, type AnswerTexts, type ContextWindows, type ExtractAnswersNode, type SpanLogits } from './graph.js';
import { callerLocation } from './source-location.js';
import type { ExtractAnswersOptions } from './stage-options.js';

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
