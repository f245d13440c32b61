// Batching controls: the DSL's dynamicBatching options (priority levels,
// queue policies, preferred sizes, queue delay, ordering) resolved into the IR
// and written into config.pbtxt as Triton reads them, and the token budget
// (maxBatchTokens) carried into the pipeline spec; each bad value is reported
// at the pipeline() call.
import { describe, expect, it } from 'vitest';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { renderPipelineFiles } from '../../codegen/emit/render-pipeline-files.js';
import { parsePbtxt } from './parse-pbtxt.js';
import { basePipelineSource, checkErrors, locationPrefix, writePipeline } from './pipeline-fixture.js';

function withOptions(options: string): string {
  const search = 'maxBatchSize: 8,';
  if (!basePipelineSource.includes(search)) throw new Error(`'${search}' is not in the base pipeline`);
  return basePipelineSource.replace(search, `${search}\n  ${options}`);
}

const fullBatching = `maxBatchTokens: 64,
  dynamicBatching: {
    maxQueueDelayMicroseconds: 500,
    preferredBatchSizes: [4, 8],
    preserveOrdering: false,
    priorityLevels: 3,
    defaultPriorityLevel: 2,
    queuePolicy: { timeoutAction: 'reject', defaultTimeoutMicroseconds: 100000, allowTimeoutOverride: true, maxQueueSize: 64 },
    priorityQueuePolicies: {
      3: { timeoutAction: 'delay', defaultTimeoutMicroseconds: 5000 },
      1: { maxQueueSize: 16 },
    },
  },`;

describe('dynamic batching options', () => {
  it('resolves every option into the IR, with Triton defaults for the fields left out', () => {
    const { ir } = checkPipeline(writePipeline(withOptions(fullBatching)).pipelineFile);
    expect(ir.maxBatchTokens).toBe(64);
    expect(ir.dynamicBatching).toEqual({
      maxQueueDelayMicroseconds: 500,
      preferredBatchSizes: [4, 8],
      preserveOrdering: false,
      priorityLevels: 3,
      defaultPriorityLevel: 2,
      defaultQueuePolicy: { timeoutAction: 'reject', defaultTimeoutMicroseconds: 100000, allowTimeoutOverride: true, maxQueueSize: 64 },
      priorityQueuePolicies: [
        { level: 1, policy: { timeoutAction: 'reject', defaultTimeoutMicroseconds: 0, allowTimeoutOverride: false, maxQueueSize: 16 } },
        { level: 3, policy: { timeoutAction: 'delay', defaultTimeoutMicroseconds: 5000, allowTimeoutOverride: false, maxQueueSize: 0 } },
      ],
    });
  });

  it('writes them into config.pbtxt as Triton names them', () => {
    const { ir } = checkPipeline(writePipeline(withOptions(fullBatching)).pipelineFile);
    const config = parsePbtxt(renderPipelineFiles(ir, '/x')['config.pbtxt']);
    expect(config['dynamic_batching']).toEqual({
      max_queue_delay_microseconds: 500,
      preferred_batch_size: [4, 8],
      preserve_ordering: 'false',
      priority_levels: 3,
      default_priority_level: 2,
      default_queue_policy: { timeout_action: 'REJECT', default_timeout_microseconds: 100000, allow_timeout_override: 'true', max_queue_size: 64 },
      priority_queue_policy: [
        { key: 1, value: { timeout_action: 'REJECT', default_timeout_microseconds: 0, allow_timeout_override: 'false', max_queue_size: 16 } },
        { key: 3, value: { timeout_action: 'DELAY', default_timeout_microseconds: 5000, allow_timeout_override: 'false', max_queue_size: 0 } },
      ],
    });
  });

  it('defaults the priority of unmarked requests to the lowest level, and writes no priorities when there are none', () => {
    const withLevels = checkPipeline(writePipeline(withOptions('dynamicBatching: { priorityLevels: 4 },')).pipelineFile).ir;
    expect(withLevels.dynamicBatching?.defaultPriorityLevel).toBe(4);
    const plain = checkPipeline(writePipeline(withOptions('dynamicBatching: {},')).pipelineFile).ir;
    expect(plain.dynamicBatching?.priorityLevels).toBe(0);
    expect(plain.dynamicBatching?.defaultPriorityLevel).toBe(0);
    const batching = parsePbtxt(renderPipelineFiles(plain, '/x')['config.pbtxt'])['dynamic_batching'];
    expect(batching).toEqual({
      max_queue_delay_microseconds: 0,
      preserve_ordering: 'false',
      default_queue_policy: { timeout_action: 'REJECT', default_timeout_microseconds: 0, allow_timeout_override: 'false', max_queue_size: 0 },
    });
  });

  it('rejects a default priority level outside 1..priorityLevels', () => {
    const folder = writePipeline(withOptions('dynamicBatching: { priorityLevels: 2, defaultPriorityLevel: 3 },'));
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'pipeline({')} error: pipeline: dynamicBatching.defaultPriorityLevel: 3 is not a priority level: use 1 (highest) to 2`,
    ]);
  });

  it('rejects a default priority level without priority levels', () => {
    const folder = writePipeline(withOptions('dynamicBatching: { defaultPriorityLevel: 1 },'));
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'pipeline({')} error: pipeline: dynamicBatching.defaultPriorityLevel: is set but priorityLevels is 0; set priorityLevels too`,
    ]);
  });

  it('rejects a queue policy for a level that does not exist', () => {
    const folder = writePipeline(withOptions('dynamicBatching: { priorityLevels: 2, priorityQueuePolicies: { 5: { maxQueueSize: 1 } } },'));
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'pipeline({')} error: pipeline: dynamicBatching.priorityQueuePolicies.level: level 5 is not a priority level: use 1 (highest) to 2`,
    ]);
  });

  it('rejects preserveOrdering with more than one priority level, as Triton does', () => {
    const folder = writePipeline(withOptions('dynamicBatching: { preserveOrdering: true, priorityLevels: 2 },'));
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'pipeline({')} error: pipeline: dynamicBatching.preserveOrdering: Triton allows one priority level with preserveOrdering, not 2`,
    ]);
  });

  it('rejects negative timeouts and queue sizes', () => {
    const folder = writePipeline(withOptions('dynamicBatching: { queuePolicy: { defaultTimeoutMicroseconds: -1 } },'));
    const [error] = checkErrors(folder.pipelineFile);
    expect(error).toContain(`${locationPrefix(folder, 'pipeline({')} error: pipeline: dynamicBatching.defaultQueuePolicy.defaultTimeoutMicroseconds`);
  });

  it('makes a timeout action other than reject or delay a type error', () => {
    const folder = writePipeline(withOptions("dynamicBatching: { queuePolicy: { timeoutAction: 'drop' } },"));
    const [error] = checkErrors(folder.pipelineFile);
    expect(error).toContain(`${locationPrefix(folder, "timeoutAction: 'drop'")} error: Type '"drop"' is not assignable to type '"reject" | "delay" | undefined'`);
  });
});

describe('token budget (maxBatchTokens)', () => {
  it('goes into the pipeline spec, 0 when the pipeline sets none', () => {
    const { ir } = checkPipeline(writePipeline(withOptions('maxBatchTokens: 4096,')).pipelineFile);
    expect(renderPipelineFiles(ir, '/x')['pipeline_spec.cc']).toContain('spec.max_batch_tokens = 4096;');
    const plain = checkPipeline(writePipeline(basePipelineSource).pipelineFile).ir;
    expect(plain.maxBatchTokens).toBeNull();
    expect(renderPipelineFiles(plain, '/x')['pipeline_spec.cc']).toContain('spec.max_batch_tokens = 0;');
  });

  it('must fit one full-length text', () => {
    const folder = writePipeline(withOptions('maxBatchTokens: 10,'));
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'pipeline({')} error: pipeline: maxBatchTokens: 10 is less than the tokenizer's maxLength 16: a full-length text would not fit one engine call`,
    ]);
  });
});
