// The reranking example (a small BERT cross-encoder with fixed RANDOM WEIGHTS:
// real architecture and vocab, not a trained reranker), built by `codegen
// build` and served by the real tritonserver, against HF tokenizers' pair
// encoding (only_second truncation) + ONNX Runtime + numpy sigmoid and argsort
// written in the check script.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildExample } from './build-example.js';
import { runCheck, type RerankReport } from './run-check.js';
import { repoRoot, startTriton, type RunningTriton } from './triton-server.js';

// What rerank_check.py adds when it is given a pair-per-row model (--pair-model).
interface RerankPairReport extends RerankReport {
  pairs_per_row: {
    shape: number[];
    dtype: string;
    score_max_abs_diff: number;
    truncated_pairs: number;
    concurrent_executions: number;
    concurrent_requests: number;
    concurrent_wrong: number[];
    bad_row_error: string | null;
  };
}

describe('reranking example (random weights) served by tritonserver', () => {
  let server: RunningTriton;
  let report: RerankPairReport;

  beforeAll(async () => {
    // Both examples in one model repository, served by one tritonserver.
    buildExample('examples/rerank/pair-per-row.ts', 'build/e2e/rerank');
    const repo = buildExample('examples/rerank/pipeline.ts', 'build/e2e/rerank');
    server = await startTriton(repo);
    report = runCheck<RerankPairReport>('rerank_check.py', [
      `--http-port=${server.ports.http}`,
      `--grpc-port=${server.ports.grpc}`,
      '--model=passage_reranker',
      `--model-dir=${path.join(repoRoot, 'models/random-bert-reranker')}`,
      '--max-length=128',
      '--activation=sigmoid',
      '--top-k=3',
      '--max-passages=64',
      '--pair-model=pair_scorer',
      `--pair-model-dir=${path.join(repoRoot, 'models/random-bert-reranker-2class')}`,
    ]);
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('takes a query and n passages per request and gives n scores in input order and the top 3 indices', () => {
    const passageCounts = [4, 3, 3, 3, 1, 4, 60];
    expect(report.shapes).toEqual(passageCounts.map((n) => [[1, n], [1, 3], 'float32', 'int64']));
  });

  it('gives the reference sigmoid scores within 1e-5 and the same top-k indices (random weights; English, Chinese, German with French, Russian and Japanese passages, mixed, truncated, 60 passages)', () => {
    expect(report.score_max_abs_diff).toBeLessThanOrEqual(1e-5);
    expect(report.top_mismatches).toEqual([]);
    // The order is decided by far more than float noise.
    expect(report.reference_min_gap).toBeGreaterThan(1e-5);
    expect(report.truncated_pairs).toBeGreaterThanOrEqual(1);
    expect(report.many_passages).toBe(60);
  });

  it('answers concurrent requests of different passage counts merged by the dynamic batcher (random weights)', () => {
    expect(report.concurrent_wrong).toEqual([]);
    expect(report.concurrent_executions).toBeLessThan(report.concurrent_requests);
  });

  it('gives bad requests their own errors while the good ones of the same batch succeed', () => {
    const [emptyQuery, noPassages, tooMany, emptyPassage, badPassage, badQuery] = report.bad_errors;
    expect(emptyQuery).toMatch(/input 'query' holds an empty text/);
    expect(noPassages).toMatch(/input 'passages' holds no passages|shape/);
    expect(tooMany).toMatch(/65 passages, over this model's limit of 64 \(maxPassages\)/);
    expect(emptyPassage).toMatch(/passage 1: input 'passages' holds an empty text/);
    expect(badPassage).toMatch(/passage 1: input 'passages':.*UTF-8/i);
    expect(badQuery).toMatch(/input 'query':.*UTF-8/i);
    expect(report.single_bad.empty_query).toMatch(/input 'query' holds an empty text/);
    expect(report.single_bad.too_many).toMatch(/limit of 64/);
  });

  it('scores one pair per batch row with a two-class head: softmax probability of class 1 within 1e-5 (random weights)', () => {
    const rows = report.pairs_per_row;
    expect(rows.shape).toEqual([18, 1]);
    expect(rows.dtype).toBe('float32');
    expect(rows.score_max_abs_diff).toBeLessThanOrEqual(1e-5);
    expect(rows.truncated_pairs).toBeGreaterThanOrEqual(1);
    expect(rows.concurrent_wrong).toEqual([]);
    expect(rows.concurrent_executions).toBeLessThan(rows.concurrent_requests);
    expect(rows.bad_row_error).toMatch(/row 1: input 'passage' holds an empty text/);
  });
});
