import { callerLocation } from './source-location.js';
import type { OutputNode } from './stage-nodes.js';
import type {
  AnswerOffsets,
  AnswerScores,
  AnswerTexts,
  ClassLogits,
  ClassScores,
  EntitiesJson,
  EntityLabelIds,
  EntityOffsets,
  EntityScores,
  LabelNames,
  LabelScores,
  PairScore,
  RerankIndices,
  RerankScores,
  SentenceEmbedding,
  TokenCount,
} from './values.js';

/** What a pipeline can return to the client. */
export type OutputValue =
  | SentenceEmbedding
  | TokenCount
  | ClassLogits
  | ClassScores
  | LabelNames
  | LabelScores
  | AnswerTexts
  | AnswerScores
  | AnswerOffsets
  | RerankScores
  | RerankIndices
  | PairScore
  | EntitiesJson
  | EntityLabelIds
  | EntityOffsets
  | EntityScores;

/**
 * A named output tensor. A request gets the outputs it names (all when it
 * names none); the runtime computes only what the requests of a batch ask for.
 */
export type PipelineOutput = OutputNode;

export function output(name: string, value: OutputValue): PipelineOutput {
  return { stage: 'output', name, value, source: callerLocation() };
}
