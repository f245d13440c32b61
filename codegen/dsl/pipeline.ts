import { callerLocation, type SourceLocation } from './source-location.js';
import type { PipelineOutput } from './output.js';

export interface DynamicBatchingOptions {
  /** How long Triton may hold a request to fill a batch. Default 0. */
  readonly maxQueueDelayMicroseconds?: number;
  readonly preferredBatchSizes?: readonly number[];
}

export interface InstanceOptions {
  /** Default 1. */
  readonly count?: number;
  readonly kind?: 'cpu';
}

export interface PipelineDefinition {
  /** The Triton model and backend name: lower case letters, digits and `_`, starting with a letter. */
  readonly name: string;
  readonly maxBatchSize: number;
  readonly dynamicBatching?: DynamicBatchingOptions;
  readonly instances?: InstanceOptions;
  /** Builds the stages; returns the pipeline's outputs. */
  readonly graph: () => readonly PipelineOutput[];
}

export const pipelineKind = 'faster-bert.pipeline';

export interface Pipeline {
  readonly kind: typeof pipelineKind;
  readonly definition: PipelineDefinition;
  readonly source: SourceLocation | undefined;
}

/** A pipeline file's default export. */
export function pipeline(definition: PipelineDefinition): Pipeline {
  return { kind: pipelineKind, definition, source: callerLocation() };
}

export function isPipeline(value: unknown): value is Pipeline {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === pipelineKind;
}
