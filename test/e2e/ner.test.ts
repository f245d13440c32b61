// The NER example (a BERT token classifier with fixed RANDOM WEIGHTS: real
// architecture and vocab, not a trained model), built by `codegen build` and
// served by the real tritonserver, against HF tokenizers + ONNX Runtime + HF
// transformers' own TokenClassificationPipeline aggregation (ner_check.py).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { buildExample } from './build-example.js';
import { runCheck } from './run-check.js';
import { repoRoot, startTriton, type RunningTriton } from './triton-server.js';

interface NerReport {
  texts: number;
  reference_entities: number;
  outputs: Record<string, [string, number[]]>;
  mismatches: unknown[];
  typed_mismatches: number[];
  truncated_text_tokens: number;
  concurrent_executions: number;
  concurrent_wrong: unknown[];
  empty_text_error: string | null;
}

describe('NER example (random weights) served by tritonserver', () => {
  let server: RunningTriton;
  let report: NerReport;

  beforeAll(async () => {
    const repo = buildExample('examples/ner/pipeline.ts', 'build/e2e/ner');
    server = await startTriton(repo);
    report = runCheck<NerReport>('ner_check.py', [
      `--http-port=${server.ports.http}`,
      `--grpc-port=${server.ports.grpc}`,
      '--model=ner_tagger',
      `--model-dir=${path.join(repoRoot, 'models/random-bert-ner')}`,
      '--max-length=64',
      '--aggregation=simple',
    ]);
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('returns the JSON entities and the typed tensors', () => {
    expect(report.outputs).toEqual({
      entities: ['object', [9, 1]],
      entity_labels: ['int64', [9, 16]],
      entity_starts: ['int64', [9, 16]],
      entity_ends: ['int64', [9, 16]],
      entity_scores: ['float32', [9, 16]],
    });
  });

  it('equals HF TokenClassificationPipeline (simple) on English, Chinese, mixed, emoji, combining accents and a truncated text', () => {
    expect(report.reference_entities).toBeGreaterThan(10);
    expect(report.truncated_text_tokens).toBeGreaterThan(64);
    expect(report.mismatches).toEqual([]);
    expect(report.typed_mismatches).toEqual([]);
  });

  it('gives bad requests of a dynamic batch their own errors and the others their entities', () => {
    expect(report.concurrent_wrong).toEqual([]);
    expect(report.concurrent_executions).toBeLessThan(15);
    expect(report.empty_text_error).toMatch(/empty text/);
  });
});
