// The batching controls codegen writes into config.pbtxt, proven against the
// real tritonserver: a config with priority levels, a default queue policy
// and a per-level policy loads, Triton reads every field
// back as written, and requests at each priority level (and with their own
// timeout) are answered.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { renderConfigPbtxt } from '../../codegen/emit/config-pbtxt.js';
import type { PipelineIr } from '../../codegen/ir/schema.js';
import { buildExample } from '../e2e/build-example.js';
import { repoRoot, startTriton, type RunningTriton } from '../e2e/triton-server.js';
import { TritonHttp } from './triton-http.js';

const MODEL = 'minilm_embeddings';

describe('batching controls in config.pbtxt, loaded by tritonserver', () => {
  let server: RunningTriton;
  let client: TritonHttp;
  let config: Record<string, unknown>;

  beforeAll(async () => {
    const repo = buildExample('examples/embeddings/pipeline.ts', 'build/serving/batching');
    const { ir } = checkPipeline(path.join(repoRoot, 'examples/embeddings/pipeline.ts'));
    const batching: PipelineIr['dynamicBatching'] = {
      maxQueueDelayMicroseconds: 1000,
      preferredBatchSizes: [8, 16],
      preserveOrdering: false,
      priorityLevels: 3,
      defaultPriorityLevel: 2,
      defaultQueuePolicy: { timeoutAction: 'delay', defaultTimeoutMicroseconds: 30_000_000, allowTimeoutOverride: true, maxQueueSize: 128 },
      priorityQueuePolicies: [{ level: 1, policy: { timeoutAction: 'reject', defaultTimeoutMicroseconds: 0, allowTimeoutOverride: false, maxQueueSize: 16 } }],
    };
    writeFileSync(path.join(repo, MODEL, 'config.pbtxt'), renderConfigPbtxt({ ...ir, dynamicBatching: batching }));
    server = await startTriton(repo);
    client = new TritonHttp(server.ports.http);
    config = await client.config(MODEL);
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('reads every dynamic batching field back as codegen wrote it', () => {
    // Triton's JSON form of the model config: 64-bit numbers are strings.
    expect(config['dynamic_batching']).toMatchObject({
      preferred_batch_size: [8, 16],
      max_queue_delay_microseconds: 1000,
      preserve_ordering: false,
      priority_levels: 3,
      default_priority_level: 2,
      default_queue_policy: {
        timeout_action: 'DELAY',
        default_timeout_microseconds: 30_000_000,
        allow_timeout_override: true,
        max_queue_size: 128,
      },
      priority_queue_policy: {
        '1': { timeout_action: 'REJECT', default_timeout_microseconds: 0, allow_timeout_override: false, max_queue_size: 16 },
      },
    });
  });

  it('answers requests at every priority level and with their own timeout', async () => {
    const outcomes = await Promise.all([
      client.inferWithParameters(MODEL, ['highest'], { priority: 1 }),
      client.inferWithParameters(MODEL, ['middle'], { priority: 2 }),
      client.inferWithParameters(MODEL, ['lowest'], { priority: 3 }),
      client.inferWithParameters(MODEL, ['default level'], {}),
      client.inferWithParameters(MODEL, ['own timeout'], { timeout: 10_000_000 }),
    ]);
    for (const outcome of outcomes) {
      expect(outcome.ok ? outcome.response.outputs[0]?.shape : outcome.error).toEqual([1, 384]);
    }
  });
});
