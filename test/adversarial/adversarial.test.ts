// Hostile input through the real tritonserver: one server serves the
// embeddings, QA, NER and rerank examples with test-only faults injected
// (FASTERBERT_FAULT_INJECTION, backend-cpp/engines/fault_injection.h), and
// adversarial_check.py sends the hostile requests while good requests run
// beside them and are compared with the reference. Each bad request must get
// its own status and message, the good ones their values, the server's
// memory must come back, and it must stay up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import { buildExample } from '../e2e/build-example.js';
import { python, repoRoot, startTriton, type RunningTriton } from '../e2e/triton-server.js';

interface Case {
  status: number;
  error: string | null;
  seconds: number;
  outputs?: Record<string, number[]>;
  cosine?: number;
}

interface AdversarialReport {
  cases: Record<string, Case>;
  shared_batch: {
    requests: number;
    executions: number;
    inferences: number;
    wrong_good: unknown[];
    bad_errors: string[];
  };
  good_traffic: { sent: number; correct: number; wrong: unknown[] };
  rss_mib_before: number;
  rss_mib_peak: number;
  rss_mib_after: number;
  ready_after: boolean;
}

// Single-token words of MiniLM's vocab (shared by every example model).
const throwWord = 'volcano';
const nanWord = 'glacier';
const batchFaultText = '__fasterbert_batch_fault__';
const examples: Array<[string, string]> = [
  ['examples/embeddings/pipeline.ts', 'build/e2e/embeddings'],
  ['examples/question-answering/pipeline.ts', 'build/e2e/question-answering'],
  ['examples/ner/pipeline.ts', 'build/e2e/ner'],
  ['examples/rerank/pipeline.ts', 'build/e2e/rerank'],
];

function tokenId(word: string): number {
  const vocab = readFileSync(path.join(repoRoot, 'models/all-MiniLM-L6-v2/vocab.txt'), 'utf8').split('\n');
  const id = vocab.indexOf(word);
  if (id < 0) throw new Error(`${word} is not one token of MiniLM's vocab`);
  return id;
}

describe('hostile requests against the served examples, with faults injected', () => {
  let server: RunningTriton;
  let report: AdversarialReport;
  let serverLog: string;

  beforeAll(async () => {
    // One repository of the four examples (each built as the e2e suites build it).
    const repository = path.join(repoRoot, process.env['FASTERBERT_SANITIZE'] === '1' ? 'build/adversarial-asan' : 'build/adversarial');
    rmSync(repository, { recursive: true, force: true });
    mkdirSync(repository, { recursive: true });
    for (const [pipeline, out] of examples) cpSync(buildExample(pipeline, out), repository, { recursive: true });
    server = await startTriton(repository, [], {
      FASTERBERT_FAULT_INJECTION: `engine-throw=${tokenId(throwWord)};engine-nan=${tokenId(nanWord)};batch-throw=${batchFaultText}`,
    });
    // Asynchronous, so the server's log pipe keeps draining while the check runs.
    const { stdout } = await promisify(execFile)(
      python,
      [
        path.join(repoRoot, 'test/adversarial/adversarial_check.py'),
        `--http-port=${server.ports.http}`,
        `--grpc-port=${server.ports.grpc}`,
        `--server-pid=${server.process.pid ?? 0}`,
        `--embedding-model-dir=${path.join(repoRoot, 'models/all-MiniLM-L6-v2')}`,
        `--throw-word=${throwWord}`,
        `--nan-word=${nanWord}`,
        `--batch-fault-text=${batchFaultText}`,
      ],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 900_000 },
    );
    report = JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as AdversarialReport;
    await new Promise((resolve) => setTimeout(resolve, 1000)); // the last log lines reach the file
    serverLog = readFileSync(server.logFile, 'utf8');
  }, 1_200_000);

  afterAll(async () => {
    await server?.stop();
  });

  const c = (name: string): Case => {
    const found = report.cases[name];
    if (found === undefined) throw new Error(`no case ${name}`);
    return found;
  };

  it('refuses a QA context of more than maxWindows windows at once, alone and 16 rows at a time', () => {
    // Before the bound: one such row took 15 s and left the server at 3.6 GB.
    expect(c('qa_1mib_context').status).toBe(400);
    expect(c('qa_1mib_context').error).toMatch(/input 'context' has \d+ tokens, which make \d+ windows .* over this model's limit of 64 \(maxWindows\)/);
    expect(c('qa_16_rows_of_1mib').status).toBe(400);
    expect(c('qa_16_rows_of_1mib').error).toMatch(/^row 0: .*maxWindows/);
    expect(c('qa_within_max_windows').status).toBe(200);
    expect(c('qa_within_max_windows').outputs?.['answer']).toEqual([1, 3]);
  });

  it('serves a text of exactly the byte limit (truncated, as the reference) and refuses one byte more', () => {
    expect(c('embedding_1mib_text').status).toBe(200);
    expect(c('embedding_1mib_text').cosine).toBeGreaterThan(0.99999);
    expect(c('embedding_over_1mib').status).toBe(400);
    expect(c('embedding_over_1mib').error).toMatch(/holds a text of 1048577 bytes, over this model's limit of 1048576/);
    expect(c('ner_1mib_text').status).toBe(200);
    expect(c('ner_1mib_text').outputs?.['entities']).toEqual([4, 1]);
  });

  it('answers a request of zero rows with a clear error (Triton refuses it before the backend), and keeps serving', () => {
    const zero = c('embedding_zero_rows');
    expect(zero.status).toBe(400);
    expect(zero.error).toMatch(/expected 1 string elements for inference input 'text'.*got 0/);
  });

  it('refuses a query of several strings and a passage list of millions from its shape alone', () => {
    expect(c('rerank_two_queries').status).toBe(400); // Triton's own shape check
    expect(c('rerank_two_rows').status).toBe(400); // the backend's: the passages of two rows
    expect(c('rerank_two_rows').error).toBe("input 'passages' must have shape [1, n]: one request holds one list");
    expect(c('rerank_4m_empty_passages').status).toBe(400);
    expect(c('rerank_4m_empty_passages').error).toMatch(/holds 4000000 passages, over this model's limit of 64 \(maxPassages\)/);
  });

  it('answers an engine failure or NaN from the engine with a 500 naming the model and step, without the engine text', () => {
    for (const [name, model] of [
      ['engine_throw', 'minilm_embeddings'],
      ['engine_nan', 'minilm_embeddings'],
      ['ner_nan', 'ner_tagger'],
      ['rerank_nan_passage', 'passage_reranker'],
    ] as const) {
      expect(c(name).status, name).toBe(500);
      expect(c(name).error, name).toContain(`model '${model}': the engine step failed for this request`);
      expect(c(name).error, name).not.toMatch(/injected|NaN/);
    }
    expect(serverLog).toMatch(/the engine step failed for a request: .*injected engine fault/);
    expect(serverLog).toMatch(/the engine step failed for a request: .*NaN or Inf/);
  });

  it('fails only the faulty requests of a shared dynamic batch', () => {
    const shared = report.shared_batch;
    expect(shared.executions).toBeLessThan(shared.requests); // the batcher merged them
    expect(shared.wrong_good).toEqual([]);
    expect(shared.bad_errors).toEqual([
      "[StatusCode.INTERNAL] model 'minilm_embeddings': the engine step failed for this request; the server log has the details",
    ]);
  });

  it('answers every request of a batch that throws outside the rows, and stays up', () => {
    expect(c('batch_throw').status).toBe(500);
    expect(c('batch_throw').error).toMatch(/internal error while running this request's batch/);
    expect(serverLog).toMatch(/a batch failed: std::bad_alloc/);
  });

  it('gave every concurrent good request its reference embedding, and is alive and small afterwards', () => {
    expect(report.good_traffic.wrong).toEqual([]);
    expect(report.good_traffic.sent).toBeGreaterThan(20);
    expect(report.good_traffic.correct).toBe(report.good_traffic.sent);
    expect(report.ready_after).toBe(true);
    expect(server.process.exitCode).toBeNull();
    // Scratch returns to a bounded size after the large batches (before the
    // bounds: +3.5 GB kept after one QA row).
    expect(report.rss_mib_after - report.rss_mib_before).toBeLessThan(400);
  });
});
