import type { OutputNode, OutputValue } from './graph.js';
import { callerLocation } from './source-location.js';

/**
 * A named output tensor. A request gets the outputs it names (all when it
 * names none); the runtime computes only what the requests of a batch ask for.
 */
export type PipelineOutput = OutputNode;

export function output(name: string, value: OutputValue): PipelineOutput {
  return { stage: 'output', name, value, source: callerLocation() };
}
