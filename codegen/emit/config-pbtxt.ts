// config.pbtxt: the Triton model configuration.
import type { OutputIr, PipelineIr, QueuePolicyIr } from '../ir/schema.js';
import { protobufTextString as str } from './escape.js';
import { renderTemplate } from './templates.js';

const instanceKind: Readonly<Record<PipelineIr['instances']['kind'], string>> = { cpu: 'KIND_CPU', gpu: 'KIND_GPU' };

const timeoutAction: Readonly<Record<QueuePolicyIr['timeoutAction'], string>> = { reject: 'REJECT', delay: 'DELAY' };

function queuePolicyView(policy: QueuePolicyIr): object {
  return {
    timeoutAction: timeoutAction[policy.timeoutAction],
    defaultTimeoutMicroseconds: String(policy.defaultTimeoutMicroseconds),
    allowTimeoutOverride: String(policy.allowTimeoutOverride),
    maxQueueSize: String(policy.maxQueueSize),
  };
}

// config.pbtxt spells BYTES as TYPE_STRING.
const tritonDataType: Readonly<Record<OutputIr['dataType'], string>> = {
  FP32: 'TYPE_FP32',
  INT64: 'TYPE_INT64',
  BYTES: 'TYPE_STRING',
};

export function configPbtxtView(ir: PipelineIr): object {
  const batching = ir.dynamicBatching;
  const inputs = [
    ir.input,
    ...(ir.encoding.kind === 'questionContext' ? [ir.encoding.context] : []),
    ...(ir.encoding.kind === 'queryPassages' ? [ir.encoding.passages] : []),
    ...(ir.encoding.kind === 'queryPassagePerRow' ? [ir.encoding.passage] : []),
  ];
  return {
    pipelineName: ir.name,
    name: str(ir.name),
    backend: str(ir.name),
    maxBatchSize: String(ir.maxBatchSize),
    inputs: inputs.map((input, index) => ({
      name: str(input.name),
      dim: String(input.dims[0]),
      // Requests with different passage counts may share a dynamic batch: the backend reads each request's own shape.
      raggedBatch: input.dims[0] === -1,
      separator: index + 1 < inputs.length ? ',' : '',
    })),
    outputs: ir.outputs.map((output, index) => ({
      name: str(output.name),
      dataType: tritonDataType[output.dataType],
      dim: String(output.dims[0]),
      separator: index + 1 < ir.outputs.length ? ',' : '',
    })),
    dynamicBatching:
      batching === null
        ? false
        : {
            maxQueueDelayMicroseconds: String(batching.maxQueueDelayMicroseconds),
            preferredBatchSizes: batching.preferredBatchSizes.length === 0 ? false : batching.preferredBatchSizes.join(', '),
            preserveOrdering: String(batching.preserveOrdering),
            priority:
              batching.priorityLevels === 0
                ? false
                : { levels: String(batching.priorityLevels), defaultLevel: String(batching.defaultPriorityLevel) },
            defaultQueuePolicy: queuePolicyView(batching.defaultQueuePolicy),
            priorityQueuePolicies: batching.priorityQueuePolicies.map(({ level, policy }) => ({
              level: String(level),
              policy: queuePolicyView(policy),
            })),
          },
    instances: { count: String(ir.instances.count), kind: instanceKind[ir.instances.kind] },
  };
}

export function renderConfigPbtxt(ir: PipelineIr): string {
  return renderTemplate('config.pbtxt', configPbtxtView(ir));
}
