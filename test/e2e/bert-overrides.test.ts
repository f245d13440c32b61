// A BERT tokenizer.json read by the runtime itself, with a BERT-only option
// of tokenize() given beside it: MiniLM's uncased file with lowercase: false
// (test/e2e/bert-overrides/pipeline.ts), built by `codegen build` and served
// by the real tritonserver. The model repository holds the tokenizer.json and
// no vocab.txt; the served token counts and embeddings equal HF tokenizers'
// with HF's BertNormalizer set the same way (+ ONNX Runtime + numpy), and
// differ from the file's own (lowercasing) settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { buildExample } from './build-example.js';
import { runCheck } from './run-check.js';
import { repoRoot, startTriton, type RunningTriton } from './triton-server.js';

interface OverridesReport {
  sentences: number;
  max_abs_diff: Record<string, number>;
  token_counts_equal: boolean;
  file_settings_token_counts_equal: boolean;
  mixed_wrong: unknown[];
}

// FP32 engines (OpenVINO here, ONNX Runtime in the reference) agree to about 1e-6 on this model.
const TOLERANCE = 1e-5;
const MODEL = 'minilm_cased_variants';

describe('BERT tokenizer.json with lowercase: false beside it, served by tritonserver', () => {
  let server: RunningTriton;
  let repo: string;
  let report: OverridesReport;

  beforeAll(async () => {
    repo = buildExample('test/e2e/bert-overrides/pipeline.ts', 'build/e2e/bert-overrides');
    server = await startTriton(repo);
    report = runCheck<OverridesReport>('embedding_variants_check.py', [
      `--http-port=${server.ports.http}`,
      `--grpc-port=${server.ports.grpc}`,
      `--model=${MODEL}`,
      `--model-dir=${path.join(repoRoot, 'models/all-MiniLM-L6-v2')}`,
      '--max-length=256',
      '--lowercase=false',
    ]);
  }, 900_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('ships the tokenizer.json for the runtime to read, and no vocab.txt', () => {
    const files = readdirSync(path.join(repo, MODEL, '1'));
    expect(files).toContain('tokenizer.json');
    expect(files).not.toContain('vocab.txt');
  });

  it('tokenizes as HF with lowercase false, not as the file alone says', () => {
    expect(report.token_counts_equal).toBe(true);
    expect(report.file_settings_token_counts_equal).toBe(false);
    expect(report.mixed_wrong).toEqual([]);
  });

  it('gives the embeddings of the reference with the same setting', () => {
    for (const name of ['embedding', 'cls_embedding', 'max_embedding']) {
      expect(report.max_abs_diff[name], name).toBeLessThanOrEqual(TOLERANCE);
    }
  });
});
