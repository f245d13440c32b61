// The embedding-variants example (all-MiniLM-L6-v2, real weights): pooling
// read from the sentence-transformers folder, CLS and max pooling and the
// token count as separate outputs, each computed only when a request asks for
// it; built by `codegen build`, served by the real tritonserver, against HF
// tokenizers + ONNX Runtime + numpy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildExample } from './build-example.js';
import { runCheck } from './run-check.js';
import { repoRoot, startTriton, type RunningTriton } from './triton-server.js';

interface VariantsReport {
  sentences: number;
  folder_pooling: string;
  folder_normalize: boolean;
  default_outputs: string[];
  max_abs_diff: Record<string, number>;
  token_counts_equal: boolean;
  token_count_dtype: string;
  norms: Record<string, number[]>;
  only_token_count: string[];
  only_max_and_cls: string[];
  only_max_diff: number;
  mixed_executions: number;
  mixed_requests: number;
  mixed_wrong: unknown[];
  mixed_max_abs_diff: number;
  unknown_output_error: string | null;
  empty_text_error: string | null;
}

// FP32 engines (OpenVINO here, ONNX Runtime in the reference) agree to about 1e-6 on this model.
const TOLERANCE = 1e-5;

describe('embedding variants example (all-MiniLM-L6-v2) served by tritonserver', () => {
  let server: RunningTriton;
  let report: VariantsReport;

  beforeAll(async () => {
    const repo = buildExample('examples/embedding-variants/pipeline.ts', 'build/e2e/embedding-variants');
    server = await startTriton(repo);
    report = runCheck<VariantsReport>('embedding_variants_check.py', [
      `--http-port=${server.ports.http}`,
      `--grpc-port=${server.ports.grpc}`,
      '--model=minilm_variants',
      `--model-dir=${path.join(repoRoot, 'models/all-MiniLM-L6-v2')}`,
      '--max-length=256',
    ]);
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('pools as the sentence-transformers folder says (mean, then Normalize) and matches the reference', () => {
    expect(report.folder_pooling).toBe('mean_tokens');
    expect(report.folder_normalize).toBe(true);
    expect(report.max_abs_diff['embedding']).toBeLessThanOrEqual(TOLERANCE);
    for (const norm of report.norms['embedding'] ?? []) expect(norm).toBeCloseTo(1, 5);
  });

  it('gives CLS pooling (not normalized) and normalized max pooling equal to the reference', () => {
    expect(report.max_abs_diff['cls_embedding']).toBeLessThanOrEqual(TOLERANCE);
    expect(report.max_abs_diff['max_embedding']).toBeLessThanOrEqual(TOLERANCE);
    expect(Math.max(...(report.norms['cls_embedding'] ?? []))).toBeGreaterThan(1.5);
  });

  it('counts tokens as HF tokenizers does, truncation included, as INT64', () => {
    expect(report.token_counts_equal).toBe(true);
    expect(report.token_count_dtype).toBe('int64');
  });

  it('returns every output when the request names none, and only the named ones otherwise', () => {
    expect(report.default_outputs).toEqual(['cls_embedding', 'embedding', 'max_embedding', 'token_count']);
    expect(report.only_token_count).toEqual(['token_count']);
    expect(report.only_max_and_cls).toEqual(['cls_embedding', 'max_embedding']);
    expect(report.only_max_diff).toBeLessThanOrEqual(TOLERANCE);
    expect(report.unknown_output_error).toMatch(/no_such_output/);
  });

  it('serves requests naming different outputs from one dynamic batch, each with its own', () => {
    expect(report.mixed_wrong).toEqual([]);
    expect(report.mixed_max_abs_diff).toBeLessThanOrEqual(TOLERANCE);
    expect(report.mixed_executions).toBeLessThan(report.mixed_requests);
  });

  it('gives a bad request its own error', () => {
    expect(report.empty_text_error).toMatch(/empty text/);
  });
});
