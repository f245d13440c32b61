import { callerLocation } from './source-location.js';
import type { OutputNode } from './stage-nodes.js';
import type { SentenceEmbedding } from './values.js';

/** A named FP32 output tensor, dims [hidden] per batch row. */
export type PipelineOutput = OutputNode;

export function output(name: string, value: SentenceEmbedding): PipelineOutput {
  return { stage: 'output', name, value, source: callerLocation() };
}
