// config.pbtxt: the Triton model configuration.
import type { PipelineIr } from '../ir/schema.js';
import { protobufTextString as str } from './escape.js';
import { renderTemplate } from './templates.js';

const instanceKind: Readonly<Record<PipelineIr['instances']['kind'], string>> = { cpu: 'KIND_CPU' };

export function configPbtxtView(ir: PipelineIr): object {
  const batching = ir.dynamicBatching;
  return {
    pipelineName: ir.name,
    name: str(ir.name),
    backend: str(ir.name),
    maxBatchSize: String(ir.maxBatchSize),
    input: { name: str(ir.input.name) },
    outputs: ir.outputs.map((output, index) => ({
      name: str(output.name),
      dim: String(output.dims[0]),
      separator: index + 1 < ir.outputs.length ? ',' : '',
    })),
    dynamicBatching:
      batching === null
        ? false
        : {
            maxQueueDelayMicroseconds: String(batching.maxQueueDelayMicroseconds),
            preferredBatchSizes: batching.preferredBatchSizes.length === 0 ? false : batching.preferredBatchSizes.join(', '),
          },
    instances: { count: String(ir.instances.count), kind: instanceKind[ir.instances.kind] },
  };
}

export function renderConfigPbtxt(ir: PipelineIr): string {
  return renderTemplate('config.pbtxt', configPbtxtView(ir));
}
