import { callerLocation } from './source-location.js';
import type { ClassifyNode } from './stage-nodes.js';
import { makeValue, type ClassLogits, type ClassScores, type LabelNames, type LabelScores } from './values.js';

/** Where the label names come from; paths are relative to the pipeline file. */
export type LabelSource =
  | { readonly labelsFile: string; readonly configJson?: never; readonly names?: never }
  | { readonly configJson: string; readonly labelsFile?: never; readonly names?: never }
  | { readonly names: readonly string[]; readonly labelsFile?: never; readonly configJson?: never };

export interface ClassifyOptions {
  /** `'softmax'` (default): one label per text; `'sigmoid'`: independent labels (multi-label). */
  readonly activation?: 'softmax' | 'sigmoid';
  /**
   * Label names by class id: a file with one name per line, a Hugging Face
   * `config.json` (its `id2label`), or the names themselves. Default: `LABEL_0`, `LABEL_1`, ...
   */
  readonly labels?: LabelSource;
  /** How many labels `labels`/`labelScores` give per row, best first. Default 1. */
  readonly topK?: number;
  /** Leave out labels scoring below this (their slots hold "" and 0). Default: none. */
  readonly threshold?: number;
}

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
