import { makeValue, type ClassLogits, type ClassScores, type ClassifyNode, type LabelNames, type LabelScores } from './graph.js';
import { callerLocation } from './source-location.js';
import type { ClassifyOptions } from './stage-options.js';

export interface Classification {
  /** Every class's score after the activation: FP32 [labels]. */
  readonly scores: ClassScores;
  /** The top-k label names: BYTES [topK]. */
  readonly labels: LabelNames;
  /** Their scores: FP32 [topK]. */
  readonly labelScores: LabelScores;
}

/** Class scores and the best labels from a sequence classifier's logits. */
export function classify(logits: ClassLogits, options: ClassifyOptions = {}): Classification {
  const node: ClassifyNode = { stage: 'classify', logits, options, source: callerLocation() };
  return {
    scores: makeValue<ClassScores>(node, 'scores'),
    labels: makeValue<LabelNames>(node, 'labels'),
    labelScores: makeValue<LabelScores>(node, 'labelScores'),
  };
}
