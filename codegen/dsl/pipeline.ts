import type { PipelineOutput } from './output.js';
import { callerLocation, type SourceLocation } from './source-location.js';

/** Triton's queue policy (`ModelQueuePolicy`) for one queue of the dynamic batcher. */
export interface QueuePolicyOptions {
  /**
   * What happens to a request that waited past its timeout: `'reject'` answers it
   * with an error, `'delay'` keeps it queued behind requests still in time. Default `'reject'`.
   */
  readonly timeoutAction?: 'reject' | 'delay';
  /** How long a request may wait in the queue; 0 (default): no timeout. */
  readonly defaultTimeoutMicroseconds?: number;
  /** Whether a request's own timeout (its `timeout` parameter) may replace the default. Default false. */
  readonly allowTimeoutOverride?: boolean;
  /** Requests the queue holds before it rejects new ones; 0 (default): no limit. */
  readonly maxQueueSize?: number;
}

export interface DynamicBatchingOptions {
  /** How long Triton may hold a request to fill a batch. Default 0. */
  readonly maxQueueDelayMicroseconds?: number;
  readonly preferredBatchSizes?: readonly number[];
  /** Whether responses leave in the order their requests arrived (then at most one priority level). Default false. */
  readonly preserveOrdering?: boolean;
  /**
   * Priority levels 1 (highest) to `priorityLevels`; a request picks one with its
   * `priority` parameter. 0 (default): one queue, no priorities.
   */
  readonly priorityLevels?: number;
  /** The level of a request that names none. Default: `priorityLevels` (the lowest). */
  readonly defaultPriorityLevel?: number;
  /** The policy of every queue that `priorityQueuePolicies` does not name. */
  readonly queuePolicy?: QueuePolicyOptions;
  /** Policies of single priority levels, by level (1 to `priorityLevels`). */
  readonly priorityQueuePolicies?: Readonly<Record<number, QueuePolicyOptions>>;
}

export interface InstanceOptions {
  /**
   * Default 1. On CPU each instance gets its own OpenVINO stream (its share
   * of the cores); one instance runs each engine call on every core.
   */
  readonly count?: number;
  /** Default: 'gpu' for the TensorRT and AOTInductor engines, else 'cpu'. */
  readonly kind?: 'cpu' | 'gpu';
  /**
   * Threads of each instance that tokenize a dynamic batch's rows, the
   * instance's own thread included (1 to 64). Default: 4 on GPU instances,
   * 1 on CPU instances, whose engine threads already use the cores.
   */
  readonly tokenizeThreads?: number;
}

export interface PipelineDefinition {
  /** The Triton model and backend name: lower case letters, digits and `_`, starting with a letter. */
  readonly name: string;
  readonly maxBatchSize: number;
  /**
   * Token budget of one engine call (rows × the longest row's tokens). A dynamic
   * batch over it is split into several engine calls, longest rows first, as TEI's
   * `--max-batch-tokens` does. At least the tokenizer's `maxLength`. Default: no budget.
   */
  readonly maxBatchTokens?: number;
  /**
   * What one engine call costs beyond its tokens (launches, synchronisation),
   * in tokens of padded work. Set, a dynamic batch is sorted by length and cut
   * into the engine calls that minimise calls x this + rows x longest row of
   * each call: rows of similar lengths stay one call, a batch mixing short and
   * long texts is split where the padding saved outweighs another call. On the
   * H200 with CUDA graphs a call costs about 0.5 ms and a padded token about
   * 0.45 us (bench/reports/2026-12-04-h200.md): about 1024. Default: never
   * split for padding alone.
   */
  readonly engineCallCostTokens?: number;
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
