import { makeValue, type EntitiesJson, type EntityLabelIds, type EntityOffsets, type EntityScores, type TokenClassifyNode, type TokenLogits } from './graph.js';
import { callerLocation } from './source-location.js';
import type { TokenClassifyOptions } from './stage-options.js';

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
