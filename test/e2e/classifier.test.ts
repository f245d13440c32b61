// The classifier examples (a small BERT sequence classifier with fixed RANDOM
// WEIGHTS: real architecture and vocab, not a trained model): softmax with
// labels from config.json id2label, and multi-label sigmoid with a threshold
// and labels from a file; built by `codegen build`, both served by one real
// tritonserver, against HF tokenizers + ONNX Runtime + numpy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildExample } from './build-example.js';
import { runCheck } from './run-check.js';
import { repoRoot, startTriton, type RunningTriton } from './triton-server.js';

interface ClassifierReport {
  texts: number;
  outputs: Record<string, [string, number[]]>;
  labels_equal: boolean;
  argmax_equal: boolean;
  label_mismatches: unknown[];
  label_scores_max_abs_diff: number;
  scores_max_abs_diff: number;
  logits_max_abs_diff?: number;
  empty_slots: number;
  reference_min_margin: number;
  concurrent_executions: number;
  concurrent_requests: number;
  concurrent_wrong: unknown[];
  empty_text_error: string | null;
}

const modelDir = path.join(repoRoot, 'models/random-bert-classifier');

describe('classifier examples (random weights) served by tritonserver', () => {
  let server: RunningTriton;
  let softmax: ClassifierReport;
  let sigmoid: ClassifierReport;

  beforeAll(async () => {
    // Two pipelines, one model repository, one server.
    const repo = path.join(repoRoot, 'build/e2e/classifiers');
    const single = buildExample('examples/classifier/pipeline.ts', 'build/e2e/classifier');
    const multi = buildExample('examples/multi-label-classifier/pipeline.ts', 'build/e2e/multi-label-classifier');
    rmSync(repo, { recursive: true, force: true });
    mkdirSync(repo, { recursive: true });
    cpSync(path.join(single, 'topic_classifier'), path.join(repo, 'topic_classifier'), { recursive: true });
    cpSync(path.join(multi, 'topic_tagger'), path.join(repo, 'topic_tagger'), { recursive: true });
    server = await startTriton(repo);
    const ports = [`--http-port=${server.ports.http}`, `--grpc-port=${server.ports.grpc}`, `--model-dir=${modelDir}`];
    softmax = runCheck<ClassifierReport>('classifier_check.py', [
      ...ports,
      '--model=topic_classifier',
      '--activation=softmax',
      '--labels-from=config',
      '--top-k=3',
      '--labels-output=labels',
      '--label-scores-output=label_scores',
      '--scores-output=scores',
      '--logits-output=logits',
    ]);
    sigmoid = runCheck<ClassifierReport>('classifier_check.py', [
      ...ports,
      '--model=topic_tagger',
      '--activation=sigmoid',
      '--labels-from=file',
      '--top-k=5',
      '--threshold=0.5',
      '--labels-output=tags',
      '--label-scores-output=tag_scores',
      '--scores-output=scores',
    ]);
  }, 900_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('softmax (random weights): argmax and top-3 labels from config.json id2label equal the reference exactly', () => {
    expect(softmax.outputs).toEqual({
      scores: ['float32', [softmax.texts, 5]],
      labels: ['object', [softmax.texts, 3]],
      label_scores: ['float32', [softmax.texts, 3]],
      logits: ['float32', [softmax.texts, 5]],
    });
    expect(softmax.label_mismatches).toEqual([]);
    expect(softmax.argmax_equal).toBe(true);
    expect(softmax.labels_equal).toBe(true);
    expect(softmax.reference_min_margin).toBeGreaterThan(1e-5);
  });

  it('softmax (random weights): scores, label scores and logits within 1e-5', () => {
    expect(softmax.scores_max_abs_diff).toBeLessThanOrEqual(1e-5);
    expect(softmax.label_scores_max_abs_diff).toBeLessThanOrEqual(1e-5);
    expect(softmax.logits_max_abs_diff ?? 1).toBeLessThanOrEqual(1e-5);
  });

  it('sigmoid multi-label (random weights): labels over the threshold from the labels file, exactly', () => {
    expect(sigmoid.outputs).toEqual({
      tags: ['object', [sigmoid.texts, 5]],
      tag_scores: ['float32', [sigmoid.texts, 5]],
      scores: ['float32', [sigmoid.texts, 5]],
    });
    expect(sigmoid.label_mismatches).toEqual([]);
    expect(sigmoid.labels_equal).toBe(true);
    // The threshold really left labels out.
    expect(sigmoid.empty_slots).toBeGreaterThan(0);
    expect(sigmoid.scores_max_abs_diff).toBeLessThanOrEqual(1e-5);
    expect(sigmoid.label_scores_max_abs_diff).toBeLessThanOrEqual(1e-5);
    expect(sigmoid.reference_min_margin).toBeGreaterThan(1e-5);
  });

  it('answers concurrent requests merged by the dynamic batcher, each with the outputs it named', () => {
    for (const report of [softmax, sigmoid]) {
      expect(report.concurrent_wrong).toEqual([]);
      expect(report.concurrent_executions).toBeLessThan(report.concurrent_requests);
    }
  });

  it('gives a bad request its own error', () => {
    expect(softmax.empty_text_error).toMatch(/empty text/);
  });
});
