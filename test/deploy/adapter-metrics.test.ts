// The prometheus-adapter rule against a real tritonserver: `codegen deploy`
// runs on the model repository `codegen build` wrote for the embeddings
// example, the server serves it, and the metrics port carries both counters
// the rule divides, with the `model` label its matcher selects. The rule's
// quotient, taken over two scrapes around known traffic (what rate()/rate()
// computes over a window), equals the mean queue time per request that the
// independent statistics endpoint reports for the same traffic.
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployModelRepository, manifestPaths } from '../../codegen/deploy/generate-manifests.js';
import { parseDeployOptions } from '../../codegen/deploy/options.js';
import { adapterRulesSchema, type AdapterRule } from '../../codegen/deploy/prometheus-adapter-rule.js';
import { buildExample } from '../e2e/build-example.js';
import { startTriton, type RunningTriton } from '../e2e/triton-server.js';
import { scrapeMetrics, TritonHttp, type ModelStats } from '../serving/triton-http.js';
import { temporaryDir } from './manifest-fixture.js';

const MODEL = 'minilm_embeddings';
const REQUESTS = 40;

let server: RunningTriton;
let rule: AdapterRule;
let repository: string;

/** The series of one metric in a scrape: labels → value. */
function series(samples: Map<string, number>, name: string): { labels: Record<string, string>; value: number }[] {
  return [...samples.entries()]
    .filter(([key]) => key.startsWith(`${name}{`))
    .map(([key, value]) => {
      const labels = Object.fromEntries([...key.slice(name.length + 1, -1).matchAll(/([A-Za-z_][A-Za-z0-9_]*)="([^"]*)"/g)].map((match) => [match[1], match[2]]));
      return { labels, value };
    });
}

/** The rule's model matcher as the anchored regex Prometheus applies. */
function modelRegex(query: string): RegExp {
  const matcher = /model=~"([^"]*)"/.exec(query)?.[1];
  if (matcher === undefined) throw new Error(`no model matcher in ${query}`);
  return new RegExp(`^(?:${matcher.replace(/\\\\/g, '\\')})$`);
}

/** sum over the rule's models of one counter (one pod: this server). */
function summed(samples: Map<string, number>, name: string): number {
  const regex = modelRegex(rule.metricsQuery);
  return series(samples, name)
    .filter((sample) => regex.test(sample.labels['model'] ?? ''))
    .reduce((sum, sample) => sum + sample.value, 0);
}

async function settledStats(client: TritonHttp, success: number): Promise<ModelStats> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const stats = await client.stats(MODEL);
    if (stats.inference_stats.success.count >= success || Date.now() > deadline) return stats;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeAll(async () => {
  repository = buildExample('examples/embeddings/pipeline.ts', 'build/e2e/embeddings');
  const outDir = temporaryDir('deploy-metrics');
  deployModelRepository(parseDeployOptions({ repositoryDir: repository, outDir }));
  rule = adapterRulesSchema.parse(parseYaml(readFileSync(join(outDir, manifestPaths.adapterRules), 'utf8'))).rules[0] as AdapterRule;
  server = await startTriton(repository);
}, 600_000);

afterAll(async () => {
  await server?.stop();
});

describe('the adapter rule against a real tritonserver', () => {
  it('both counters the rule uses are on the metrics port, with the model label its matcher selects', async () => {
    const client = new TritonHttp(server.ports.http);
    const warm = await client.infer(MODEL, { rows: ['warm up'] });
    expect(warm.ok).toBe(true);
    await settledStats(client, 1);
    const samples = await scrapeMetrics(server.ports.metrics);
    const regex = modelRegex(rule.metricsQuery);
    for (const name of ['nv_inference_queue_duration_us', 'nv_inference_request_success']) {
      expect(rule.metricsQuery).toContain(`${name}{<<.LabelMatchers>>`);
      const found = series(samples, name).filter((sample) => sample.labels['model'] === MODEL);
      expect(found.length, `${name} for ${MODEL}`).toBe(1);
      expect(regex.test(found[0]?.labels['model'] ?? '')).toBe(true);
    }
    expect(rule.seriesQuery.startsWith('nv_inference_queue_duration_us{')).toBe(true);
    expect(regex.test('not_served_here')).toBe(false);
  });

  it('queue time / successful requests between two scrapes = the statistics endpoint\'s mean queue time per request', async () => {
    const client = new TritonHttp(server.ports.http);
    const statsBefore = await client.stats(MODEL);
    const before = await scrapeMetrics(server.ports.metrics);
    // Concurrent requests of several rows: the dynamic batcher queues some behind others.
    const outcomes = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) => client.infer(MODEL, { rows: Array.from({ length: 1 + (i % 4) }, (__, row) => `request ${i} row ${row} ${'text '.repeat(i % 7)}`) })),
    );
    expect(outcomes.every((outcome) => outcome.ok)).toBe(true);
    const statsAfter = await settledStats(client, statsBefore.inference_stats.success.count + REQUESTS);
    const after = await scrapeMetrics(server.ports.metrics);

    const served = summed(after, 'nv_inference_request_success') - summed(before, 'nv_inference_request_success');
    const queuedUs = summed(after, 'nv_inference_queue_duration_us') - summed(before, 'nv_inference_queue_duration_us');
    expect(served).toBe(REQUESTS);
    const ruleValue = queuedUs / served;

    const statsServed = statsAfter.inference_stats.success.count - statsBefore.inference_stats.success.count;
    const statsQueuedNs = statsAfter.inference_stats.queue.ns - statsBefore.inference_stats.queue.ns;
    expect(statsServed).toBe(REQUESTS);
    const reference = statsQueuedNs / 1000 / statsServed;
    expect(reference).toBeGreaterThan(0);
    // The metric adds each request's queue time in whole microseconds: at most 1 us per request below the exact mean.
    expect(ruleValue).toBeLessThanOrEqual(reference + 1e-9);
    expect(ruleValue).toBeGreaterThanOrEqual(reference - 1);
  });
});
