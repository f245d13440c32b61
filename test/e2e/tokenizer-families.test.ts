// Embedding pipelines whose tokenizer.json is not BERT WordPiece, built by
// `codegen build` and served by the real tritonserver: an XLM-R SentencePiece
// Unigram file and a RoBERTa byte-level BPE file, each with an XLM-R encoder
// (fixed random weights), against HF tokenizers + ONNX Runtime + numpy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { codegenBuild } from './build-example.js';
import { checkEmbeddings } from './run-check.js';
import { repoRoot, startTriton, type RunningTriton } from './triton-server.js';

const COSINE = 0.99999;
const MODELS = {
  xlmr_embeddings: { example: 'examples/multilingual-embeddings/pipeline.ts', modelDir: 'models/random-xlmr-unigram' },
  roberta_bpe_embeddings: { example: 'examples/multilingual-embeddings/roberta-bpe.ts', modelDir: 'models/random-roberta-bpe' },
} as const;

interface CheckReport {
  sentences: number;
  http_batch_min_cosine: number;
  grpc_batch_min_cosine: number;
  http_single_min_cosine: number;
  concurrent_min_cosine: number;
  concurrent_failed: number;
  bad_request_errors: Record<string, string | null>;
  mixed_good_ok: number;
  mixed_good_sent: number;
  mixed_bad_errors: number;
  mixed_bad_sent: number;
  server_live: boolean;
}

describe('tokenizer.json families served by tritonserver (XLM-R Unigram, RoBERTa BPE; random weights)', () => {
  let server: RunningTriton;
  const reports: Record<string, CheckReport> = {};
  let repo = '';

  beforeAll(async () => {
    for (const { example } of Object.values(MODELS)) {
      const build = codegenBuild(example, 'build/e2e/families');
      if (build.status !== 0) throw new Error(`codegen build ${example} failed:\n${build.output}`);
      repo = build.out;
    }
    server = await startTriton(repo, ['--log-verbose=1']);
    for (const [model, { modelDir }] of Object.entries(MODELS)) {
      reports[model] = checkEmbeddings<CheckReport>(server, model, modelDir);
    }
  }, 900_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('ships the tokenizer.json itself, not a vocab.txt', () => {
    for (const model of Object.keys(MODELS)) {
      const files = readdirSync(path.join(repo, model, '1'));
      expect(files).toContain('tokenizer.json');
      expect(files).not.toContain('vocab.txt');
    }
    expect(existsSync(path.join(repoRoot, 'test/assets/tokenizers/xlmr-unigram.json'))).toBe(true);
  });

  it.each(Object.keys(MODELS))('%s: embeddings equal the reference alone, batched, concurrent, over HTTP and gRPC', (model) => {
    const report = reports[model];
    expect(report?.sentences).toBeGreaterThanOrEqual(40);
    for (const key of ['http_batch_min_cosine', 'grpc_batch_min_cosine', 'http_single_min_cosine', 'concurrent_min_cosine'] as const) {
      expect(report?.[key], key).toBeGreaterThanOrEqual(COSINE);
    }
    expect(report?.concurrent_failed).toBe(0);
  });

  it.each(Object.keys(MODELS))('%s: bad rows get their own errors while the rest of the batch succeeds', (model) => {
    const report = reports[model];
    expect(report?.bad_request_errors['empty']).toMatch(/empty text/);
    expect(report?.bad_request_errors['invalid_utf8']).toMatch(/UTF-8/);
    expect(report?.mixed_good_ok).toBe(report?.mixed_good_sent);
    expect(report?.mixed_bad_errors).toBe(report?.mixed_bad_sent);
    expect(report?.server_live).toBe(true);
  });
});
