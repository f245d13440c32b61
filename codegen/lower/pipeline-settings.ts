// The pipeline({...}) settings around the graph: Triton's dynamic batching and
// the model instances, with the defaults resolved.
import type { DynamicBatchingOptions, InstanceOptions, QueuePolicyOptions } from '../dsl/pipeline.js';
import type { DynamicBatchingIr, InstancesIr, QueuePolicyIr } from '../ir/schema.js';

/** Triton's defaults for a queue policy field the pipeline leaves out. */
function resolveQueuePolicy(policy: QueuePolicyOptions | undefined): QueuePolicyIr {
  return {
    timeoutAction: policy?.timeoutAction ?? 'reject',
    defaultTimeoutMicroseconds: policy?.defaultTimeoutMicroseconds ?? 0,
    allowTimeoutOverride: policy?.allowTimeoutOverride ?? false,
    maxQueueSize: policy?.maxQueueSize ?? 0,
  };
}

// A GPU instance's thread only feeds the GPU, so a few more tokenize its
// batches (64 long texts: 0.15-0.4 ms on one core); a CPU engine's threads
// already use the cores.
const defaultGpuTokenizeThreads = 4;

export function resolveInstances(instances: InstanceOptions | undefined, gpuEngine: boolean): InstancesIr {
  const kind = instances?.kind ?? (gpuEngine ? 'gpu' : 'cpu');
  return {
    count: instances?.count ?? 1,
    kind,
    tokenizeThreads: instances?.tokenizeThreads ?? (kind === 'gpu' ? defaultGpuTokenizeThreads : 1),
  };
}

export function resolveDynamicBatching(batching: DynamicBatchingOptions | undefined): DynamicBatchingIr | null {
  if (batching === undefined) return null;
  const priorityLevels = batching.priorityLevels ?? 0;
  return {
    maxQueueDelayMicroseconds: batching.maxQueueDelayMicroseconds ?? 0,
    preferredBatchSizes: [...(batching.preferredBatchSizes ?? [])],
    preserveOrdering: batching.preserveOrdering ?? false,
    priorityLevels,
    // The lowest priority by default, so requests that name none never overtake those that do.
    defaultPriorityLevel: batching.defaultPriorityLevel ?? priorityLevels,
    defaultQueuePolicy: resolveQueuePolicy(batching.queuePolicy),
    priorityQueuePolicies: Object.entries(batching.priorityQueuePolicies ?? {})
      .map(([level, policy]) => ({ level: Number(level), policy: resolveQueuePolicy(policy) }))
      .sort((a, b) => a.level - b.level),
  };
}
