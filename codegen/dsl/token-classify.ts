import type { LabelSource } from './classify.js';
import { callerLocation } from './source-location.js';
import type { TokenClassifyNode } from './stage-nodes.js';
import { makeValue, type EntitiesJson, type EntityLabelIds, type EntityOffsets, type EntityScores, type TokenLogits } from './values.js';

/** Hugging Face TokenClassificationPipeline's aggregation strategies, same names and rules. */
export type TokenAggregation = 'none' | 'simple' | 'first' | 'average' | 'max';

export interface TokenClassifyOptions {
  /** Label names by class id (B-/I- tags): a labels file, a `config.json` (`id2label`), or the names. */
  readonly labels?: LabelSource;
  /**
   * `'none'`: one entity per token; `'simple'` (default): B-/I- tags merged into entities, word pieces kept
   * as tokens; `'first'`, `'average'`, `'max'`: one label per word (its first token's, the mean scores', or the
   * best token's), then merged. As HF's `aggregation_strategy`.
   */
  readonly aggregation?: TokenAggregation;
  /** Entities with these labels (groups) are left out. Default `['O']`, as HF. */
  readonly ignoreLabels?: readonly string[];
  /** Slots of the typed outputs (`labelIds`, `starts`, `ends`, `scores`). Default 16. */
  readonly maxEntities?: number;
}

export interface TokenClassification {
  /** The row's entities as a JSON list with HF's keys plus byte offsets: BYTES [1]. */
  readonly json: EntitiesJson;
  /** Label ids of the entities: INT64 [maxEntities], -1 past the last. */
  readonly labelIds: EntityLabelIds;
  /** Start character (code point) offsets: INT64 [maxEntities], -1 past the last. */
  readonly starts: EntityOffsets;
  /** End character offsets, exclusive: INT64 [maxEntities], -1 past the last. */
  readonly ends: EntityOffsets;
  /** Entity scores: FP32 [maxEntities], 0 past the last. */
  readonly scores: EntityScores;
}

/** Named entities from a token classifier's logits (NER): softmax per token, aggregation, B-/I- merge. */
export function tokenClassify(logits: TokenLogits, options: TokenClassifyOptions = {}): TokenClassification {
  const node: TokenClassifyNode = { stage: 'tokenClassify', logits, options, source: callerLocation() };
  return {
    json: makeValue<EntitiesJson>(node, 'json'),
    labelIds: makeValue<EntityLabelIds>(node, 'labelIds'),
    starts: makeValue<EntityOffsets>(node, 'starts'),
    ends: makeValue<EntityOffsets>(node, 'ends'),
    scores: makeValue<EntityScores>(node, 'scores'),
  };
}
