// Pipelines whose tokenizer.json is not BERT WordPiece, built by `codegen
// build` and served by one real tritonserver: an XLM-R SentencePiece Unigram
// file and a RoBERTa byte-level BPE file, each with an XLM-R encoder (fixed
// random weights), against HF tokenizers + ONNX Runtime + numpy. The XLM-R
// examples as multilingual models make them: mean pooling (pipeline.ts), CLS
// pooling as bge-m3 (bge-m3.ts), mean pooling after multilingual-e5's
// "query: " / "passage: " prompts, which the reference puts in front itself
// (e5-query.ts, e5-passage.ts), and a one-logit XLM-R cross-encoder as
// bge-reranker-v2-m3 (examples/rerank-multilingual), checked as the BERT
// reranker is (rerank_check.py: HF pair encoding, ORT, numpy sigmoid and order).
// And all-mpnet-base-v2's WordPiece layout (test/e2e/mpnet-layout), which
// runs on the fast WordPiece path.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { codegenBuild } from './build-example.js';
import { checkEmbeddings, runCheck, type EmbeddingReference, type RerankReport } from './run-check.js';
import { repoRoot, startTriton, type RunningTriton } from './triton-server.js';

const COSINE = 0.99999;
const MODELS: Readonly<Record<string, { example: string; modelDir: string; reference?: EmbeddingReference }>> = {
  xlmr_embeddings: { example: 'examples/multilingual-embeddings/pipeline.ts', modelDir: 'models/random-xlmr-unigram' },
  roberta_bpe_embeddings: { example: 'examples/multilingual-embeddings/roberta-bpe.ts', modelDir: 'models/random-roberta-bpe' },
  xlmr_cls_embeddings: {
    example: 'examples/multilingual-embeddings/bge-m3.ts',
    modelDir: 'models/random-xlmr-unigram',
    reference: { pooling: 'cls' },
  },
  e5_query_embeddings: {
    example: 'examples/multilingual-embeddings/e5-query.ts',
    modelDir: 'models/random-xlmr-unigram',
    reference: { prompt: 'query: ' },
  },
  e5_passage_embeddings: {
    example: 'examples/multilingual-embeddings/e5-passage.ts',
    modelDir: 'models/random-xlmr-unigram',
    reference: { prompt: 'passage: ' },
  },
  mpnet_layout_embeddings: { example: 'test/e2e/mpnet-layout/pipeline.ts', modelDir: 'models/random-mpnet-wordpiece' },
};
const PROMPTED = Object.keys(MODELS).filter((model) => MODELS[model]?.reference?.prompt !== undefined);
const RERANK_EXAMPLE = 'examples/rerank-multilingual/pipeline.ts';

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
  /** With a prompt: the closest served embedding to the reference's of the text without it. */
  unprompted_max_cosine?: number;
}

describe('tokenizer.json families served by tritonserver (XLM-R Unigram, RoBERTa BPE, MPNet WordPiece; random weights)', () => {
  let server: RunningTriton;
  const reports: Record<string, CheckReport> = {};
  let rerank: RerankReport;
  let repo = '';

  beforeAll(async () => {
    for (const example of [...Object.values(MODELS).map((model) => model.example), RERANK_EXAMPLE]) {
      const build = codegenBuild(example, 'build/e2e/families');
      if (build.status !== 0) throw new Error(`codegen build ${example} failed:\n${build.output}`);
      repo = build.out;
    }
    server = await startTriton(repo, ['--log-verbose=1']);
    for (const [model, { modelDir, reference }] of Object.entries(MODELS)) {
      reports[model] = checkEmbeddings<CheckReport>(server, model, modelDir, reference);
    }
    rerank = runCheck<RerankReport>('rerank_check.py', [
      `--http-port=${server.ports.http}`,
      `--grpc-port=${server.ports.grpc}`,
      '--model=xlmr_reranker',
      `--model-dir=${path.join(repoRoot, 'models/random-xlmr-reranker')}`,
      '--max-length=128',
      '--activation=sigmoid',
      '--top-k=3',
      '--max-passages=64',
    ]);
  }, 1_200_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('ships the tokenizer.json itself, not a vocab.txt', () => {
    for (const model of [...Object.keys(MODELS), 'xlmr_reranker']) {
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

  it.each(PROMPTED)('%s: the served embeddings are those of prompt + text, none that of the text alone', (model) => {
    expect(reports[model]?.unprompted_max_cosine).toBeLessThan(COSINE);
  });

  it('xlmr_reranker: sigmoid scores within 1e-5 of the reference and the same top 3, in several languages (random weights)', () => {
    expect(rerank.shapes).toEqual([4, 3, 3, 3, 1, 4, 60].map((n) => [[1, n], [1, 3], 'float32', 'int64']));
    expect(rerank.score_max_abs_diff).toBeLessThanOrEqual(1e-5);
    expect(rerank.top_mismatches).toEqual([]);
    // The order is decided by far more than float noise.
    expect(rerank.reference_min_gap).toBeGreaterThan(1e-5);
    expect(rerank.truncated_pairs).toBeGreaterThanOrEqual(1);
    expect(rerank.many_passages).toBe(60);
  });

  it('xlmr_reranker: concurrent requests merged by the batcher, bad ones failing alone', () => {
    expect(rerank.concurrent_wrong).toEqual([]);
    expect(rerank.concurrent_executions).toBeLessThan(rerank.concurrent_requests);
    const [emptyQuery, , tooMany, emptyPassage, badPassage, badQuery] = rerank.bad_errors;
    expect(emptyQuery).toMatch(/input 'query' holds an empty text/);
    expect(tooMany).toMatch(/65 passages, over this model's limit of 64 \(maxPassages\)/);
    expect(emptyPassage).toMatch(/passage 1: input 'passages' holds an empty text/);
    expect(badPassage).toMatch(/passage 1: input 'passages':.*UTF-8/i);
    expect(badQuery).toMatch(/input 'query':.*UTF-8/i);
  });
});
