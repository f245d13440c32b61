// Statistics the backend reports to Triton, read back after known traffic
// from /v2/models/<m>/stats and from the Prometheus metrics port:
// success/failure counts, inferences (rows) and executions, per-batch-size
// statistics, and the three compute phases (input = decode + tokenize,
// infer = engine + pooling, output = responses). Also the backend's log lines
// go through Triton's log API at the levels it sets.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExample } from '../e2e/build-example.js';
import { startTriton, type RunningTriton } from '../e2e/triton-server.js';
import { metric, scrapeMetrics, TritonHttp, type ModelStats } from './triton-http.js';

const MODEL = 'minilm_embeddings';
const LABELS = { model: MODEL, version: '1' };

// Sent one at a time, so each is an execution of its own.
const GOOD_REQUESTS: readonly (readonly string[])[] = [
  ['one row'],
  ['two rows', 'the second row is a little longer than the first one'],
  ['three', 'rows of', '中文 and English 😀'],
  ['x'.repeat(300)],
  ['four', 'rows', 'in one', 'request'],
];
const GOOD_ROWS = GOOD_REQUESTS.reduce((sum, rows) => sum + rows.length, 0);
// Reach the backend and fail there, each with its own error.
// (Empty texts: this pipeline forbids them; a request with one bad row fails whole.)
const BAD_REQUESTS: readonly (readonly string[])[] = [[''], ['fine', ''], ['', '']];
// Concurrent phase: the dynamic batcher merges these.
const CONCURRENT = 24;
const CONCURRENT_ROWS = Array.from({ length: CONCURRENT }, (_, i) => 1 + (i % 3)).reduce((a, b) => a + b, 0);
// One request of 32 full-length texts: 32 x 256 tokens, over the example's
// maxBatchTokens (4096), so its execution makes two engine calls.
const LONG_TEXT = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' ');
const OVER_BUDGET_ROWS = 32;

// The backend reports an execution's statistics right after sending its
// responses, so a client can see its answer a moment before the counts move:
// wait (bounded) until they reach what was sent.
async function settledStats(client: TritonHttp, success: number, fail: number, rows: number): Promise<ModelStats> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const stats = await client.stats(MODEL);
    const counts = stats.inference_stats;
    const settled = counts.success.count === success && counts.fail.count === fail && stats.inference_count === rows;
    if (settled || Date.now() > deadline) return stats;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function sumBatchStats(stats: ModelStats): { executions: number; rows: number } {
  let executions = 0;
  let rows = 0;
  for (const batch of stats.batch_stats) {
    executions += batch.compute_infer.count;
    rows += batch.batch_size * batch.compute_infer.count;
  }
  return { executions, rows };
}

describe('statistics reported to Triton', () => {
  let server: RunningTriton;
  let client: TritonHttp;
  let afterSequential: ModelStats;
  let metricsAfterSequential: Map<string, number>;
  let afterConcurrent: ModelStats;
  let metricsAfterConcurrent: Map<string, number>;
  let rejectedError = '';
  let overBudgetShape: number[] | undefined;

  beforeAll(async () => {
    const repo = buildExample('examples/embeddings/pipeline.ts', 'build/serving/statistics');
    server = await startTriton(repo, ['--log-verbose=1']);
    client = new TritonHttp(server.ports.http);

    for (const rows of GOOD_REQUESTS) {
      const outcome = await client.infer(MODEL, { rows });
      if (!outcome.ok) throw new Error(`good request failed: ${outcome.error}`);
    }
    for (const rows of BAD_REQUESTS) {
      const outcome = await client.infer(MODEL, { rows });
      if (outcome.ok) throw new Error(`bad request ${JSON.stringify(rows)} succeeded`);
    }
    // Rejected by Triton itself (wrong datatype): never reaches the backend.
    const rejected = await client.infer(MODEL, { rows: [1], datatype: 'INT32' });
    rejectedError = rejected.ok ? '' : rejected.error;
    afterSequential = await settledStats(client, GOOD_REQUESTS.length, BAD_REQUESTS.length, GOOD_ROWS);
    metricsAfterSequential = await scrapeMetrics(server.ports.metrics);

    const outcomes = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) => client.infer(MODEL, { rows: Array.from({ length: 1 + (i % 3) }, (__, r) => `request ${i} row ${r}`) })),
    );
    const failed = outcomes.filter((outcome) => !outcome.ok);
    if (failed.length > 0) throw new Error(`concurrent requests failed: ${JSON.stringify(failed[0])}`);
    afterConcurrent = await settledStats(client, GOOD_REQUESTS.length + CONCURRENT, BAD_REQUESTS.length, GOOD_ROWS + CONCURRENT_ROWS);
    metricsAfterConcurrent = await scrapeMetrics(server.ports.metrics);

    const overBudget = await client.infer(MODEL, { rows: Array.from({ length: OVER_BUDGET_ROWS }, (_, r) => `${r} ${LONG_TEXT}`) });
    overBudgetShape = overBudget.ok ? overBudget.response.outputs[0]?.shape : undefined;
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('counts successful and failed requests, inferences (rows) and executions', () => {
    expect(rejectedError).toMatch(/data-?type/i);
    expect(afterSequential.inference_stats.success.count).toBe(GOOD_REQUESTS.length);
    expect(afterSequential.inference_stats.fail.count).toBe(BAD_REQUESTS.length);
    expect(afterSequential.inference_count).toBe(GOOD_ROWS);
    expect(afterSequential.execution_count).toBe(GOOD_REQUESTS.length);
    expect(afterSequential.last_inference).toBeGreaterThan(0);
  });

  it('reports every compute phase of every successful request', () => {
    const stats = afterSequential.inference_stats;
    for (const phase of [stats.queue, stats.compute_input, stats.compute_infer, stats.compute_output]) {
      expect(phase.count).toBe(GOOD_REQUESTS.length);
      expect(phase.ns).toBeGreaterThan(0);
    }
    // A request's total time holds its compute time.
    expect(stats.success.ns).toBeGreaterThanOrEqual(stats.compute_input.ns + stats.compute_infer.ns + stats.compute_output.ns);
  });

  it('reports one batch statistic per execution, keyed by its rows', () => {
    const bySize = new Map(afterSequential.batch_stats.map((batch) => [batch.batch_size, batch]));
    const expected = new Map<number, number>();
    for (const rows of GOOD_REQUESTS) expected.set(rows.length, (expected.get(rows.length) ?? 0) + 1);
    expect([...bySize.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [size, count] of expected) {
      const batch = bySize.get(size);
      expect(batch?.compute_input.count).toBe(count);
      expect(batch?.compute_infer.count).toBe(count);
      expect(batch?.compute_output.count).toBe(count);
      expect(batch?.compute_infer.ns).toBeGreaterThan(0);
    }
  });

  it('keeps batch statistics consistent with the totals when the batcher merges requests', () => {
    const stats = afterConcurrent;
    expect(stats.inference_stats.success.count).toBe(GOOD_REQUESTS.length + CONCURRENT);
    expect(stats.inference_stats.fail.count).toBe(BAD_REQUESTS.length);
    expect(stats.inference_count).toBe(GOOD_ROWS + CONCURRENT_ROWS);
    expect(sumBatchStats(stats)).toEqual({ executions: stats.execution_count, rows: stats.inference_count });
    expect(stats.execution_count).toBeLessThanOrEqual(GOOD_REQUESTS.length + CONCURRENT);
  });

  it('shows the same numbers on the Prometheus metrics port', () => {
    for (const [stats, samples] of [
      [afterSequential, metricsAfterSequential],
      [afterConcurrent, metricsAfterConcurrent],
    ] as const) {
      expect(metric(samples, 'nv_inference_request_success', LABELS)).toBe(stats.inference_stats.success.count);
      expect(metric(samples, 'nv_inference_request_failure', { ...LABELS, reason: 'BACKEND' })).toBe(stats.inference_stats.fail.count);
      expect(metric(samples, 'nv_inference_count', LABELS)).toBe(stats.inference_count);
      expect(metric(samples, 'nv_inference_exec_count', LABELS)).toBe(stats.execution_count);
      // Durations: microseconds, each request's share rounded down on its own.
      const requests = stats.inference_stats.success.count;
      for (const [name, phase] of [
        ['nv_inference_queue_duration_us', stats.inference_stats.queue],
        ['nv_inference_compute_input_duration_us', stats.inference_stats.compute_input],
        ['nv_inference_compute_infer_duration_us', stats.inference_stats.compute_infer],
        ['nv_inference_compute_output_duration_us', stats.inference_stats.compute_output],
      ] as const) {
        const us = metric(samples, name, LABELS) ?? -1;
        expect(us).toBeGreaterThanOrEqual(Math.floor(phase.ns / 1000) - requests);
        expect(us).toBeLessThanOrEqual(Math.ceil(phase.ns / 1000));
      }
    }
  });

  it('splits a batch over the token budget into several engine calls, and answers it whole', () => {
    expect(overBudgetShape).toEqual([OVER_BUDGET_ROWS, 384]);
    const log = readFileSync(server.logFile, 'utf8');
    expect(log).toMatch(new RegExp(`faster-bert instance '${MODEL}[^']*': requests=1 rows=${OVER_BUDGET_ROWS} engine_calls=2 failed_requests=0"?$`, 'm'));
  });

  it('logs through Triton: the load at INFO, each execution at VERBOSE', () => {
    const log = readFileSync(server.logFile, 'utf8');
    expect(log).toMatch(new RegExp(`^I\\d{4} .*faster-bert model '${MODEL}' loaded from `, 'm'));
    expect(log).toMatch(new RegExp(`^I\\d{4} .*faster-bert instance '${MODEL}[^']*': requests=1 rows=4 engine_calls=1 failed_requests=0"?$`, 'm'));
  });
});
