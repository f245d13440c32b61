// The example embedding pipeline, built by `codegen build` and served by the
// real tritonserver, against HF tokenizers + ONNX Runtime + numpy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildExample } from './build-example.js';
import { checkEmbeddings } from './run-check.js';
import { startTriton, type RunningTriton } from './triton-server.js';

const MODEL = 'minilm_embeddings';
const COSINE = 0.99999;
// The same built model served with instance_group count 2 and OpenVINO's
// threads and pinning set, as a user would edit config.pbtxt: the backend
// gives each instance its own OpenVINO stream and passes the parameters on.
const TWO_INSTANCES = 'minilm_embeddings_two_instances';
const OPENVINO_PARAMETERS = `parameters { key: "INFERENCE_NUM_THREADS" value { string_value: "2" } }
parameters { key: "ENABLE_CPU_PINNING" value { string_value: "NO" } }
`;

// A second model folder in `repo`: the example's version folder, its config.pbtxt
// with another name, two CPU instances and OpenVINO parameters.
function addTwoInstanceModel(repo: string): void {
  const config = readFileSync(path.join(repo, MODEL, 'config.pbtxt'), 'utf8');
  const edited = config
    .replace(`name: "${MODEL}"`, `name: "${TWO_INSTANCES}"`)
    .replace(/(instance_group \[\s*\{\s*count: )1/, '$12') + OPENVINO_PARAMETERS;
  if (!edited.includes(`name: "${TWO_INSTANCES}"`) || !/count: 2/.test(edited)) {
    throw new Error(`config.pbtxt of ${MODEL} is not laid out as expected:\n${config}`);
  }
  rmSync(path.join(repo, TWO_INSTANCES), { recursive: true, force: true }); // from an earlier run
  mkdirSync(path.join(repo, TWO_INSTANCES));
  writeFileSync(path.join(repo, TWO_INSTANCES, 'config.pbtxt'), edited);
  symlinkSync(path.join(repo, MODEL, '1'), path.join(repo, TWO_INSTANCES, '1'));
}

interface CheckReport {
  sentences: number;
  output_dim: number;
  http_batch_min_cosine: number;
  grpc_batch_min_cosine: number;
  http_single_min_cosine: number;
  concurrent_min_cosine: number;
  concurrent_requests: number;
  concurrent_inferences: number;
  concurrent_rows: number;
  concurrent_executions: number;
  bad_request_errors: Record<string, string | null>;
  mixed_good_ok: number;
  mixed_good_sent: number;
  mixed_bad_errors: number;
  mixed_bad_sent: number;
  mixed_good_min_cosine: number | null;
  mixed_executions: number;
  mixed_requests: number;
  mixed_rounds: number;
  concurrent_failed: number;
  after_errors_cosine: number;
  server_live: boolean;
}

describe('embeddings example served by tritonserver', () => {
  let server: RunningTriton;
  let report: CheckReport;
  let twoInstances: CheckReport;

  beforeAll(async () => {
    const repo = buildExample('examples/embeddings/pipeline.ts', 'build/e2e/embeddings');
    addTwoInstanceModel(repo);
    // Verbose: the backend logs each execution's request and failure counts.
    server = await startTriton(repo, ['--log-verbose=1']);
    report = checkEmbeddings<CheckReport>(server, MODEL);
    twoInstances = checkEmbeddings<CheckReport>(server, TWO_INSTANCES);
  }, 900_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('returns 384-dim embeddings equal to the reference for client-side batches over HTTP and gRPC', () => {
    expect(report.output_dim).toBe(384);
    expect(report.http_batch_min_cosine).toBeGreaterThanOrEqual(COSINE);
    expect(report.grpc_batch_min_cosine).toBeGreaterThanOrEqual(COSINE);
  });

  it('matches the reference for single requests, including truncated long texts', () => {
    expect(report.sentences).toBeGreaterThanOrEqual(40);
    expect(report.http_single_min_cosine).toBeGreaterThanOrEqual(COSINE);
  });

  it('matches the reference for concurrent requests merged by the dynamic batcher', () => {
    expect(report.concurrent_failed).toBe(0);
    expect(report.concurrent_min_cosine).toBeGreaterThanOrEqual(COSINE);
    expect(report.concurrent_inferences).toBe(report.concurrent_rows);
    // Fewer executions than requests: the batcher really merged them.
    expect(report.concurrent_executions).toBeLessThan(report.concurrent_requests);
  });

  it('gives each bad request its own error', () => {
    const errors = report.bad_request_errors;
    expect(errors.empty).toMatch(/empty text/);
    expect(errors.invalid_utf8).toMatch(/UTF-8/);
    expect(errors.truncated_utf8).toMatch(/UTF-8/);
    // Triton itself refuses these three before the backend sees them; the
    // backend's own checks are unit-tested (backend-cpp/tests/text_input_test.cc).
    expect(errors.wrong_datatype).toMatch(/data-?type|BYTES|INT32/i);
    expect(errors.wrong_shape).toMatch(/shape/i);
    expect(errors.too_large_batch).toMatch(/batch/i);
  });

  it('answers good requests correctly when bad ones share their batch, and stays up', () => {
    // Fewer executions than requests, and the backend's own count per
    // execution shows some held good and bad requests together (the check
    // repeats its round, at most 10 times, until one did).
    expect(report.mixed_executions).toBeLessThan(report.mixed_requests);
    expect(report.mixed_rounds).toBeLessThanOrEqual(10);
    const mixed = [...readFileSync(server.logFile, 'utf8').matchAll(/requests=(\d+) rows=\d+ engine_calls=\d+ failed_requests=(\d+)/g)]
      .map(([, requests, failed]) => [Number(requests), Number(failed)])
      .filter(([requests, failed]) => (failed ?? 0) > 0 && (failed ?? 0) < (requests ?? 0));
    expect(mixed.length).toBeGreaterThan(0);
    expect(report.mixed_good_ok).toBe(report.mixed_good_sent);
    expect(report.mixed_bad_errors).toBe(report.mixed_bad_sent);
    expect(report.mixed_good_min_cosine).toBeGreaterThanOrEqual(COSINE);
    expect(report.after_errors_cosine).toBeGreaterThanOrEqual(COSINE);
    expect(report.server_live).toBe(true);
  });

  it('gives each of two instances its own OpenVINO stream, with config.pbtxt\'s threads and pinning, and the same answers', () => {
    const log = readFileSync(server.logFile, 'utf8');
    // One engine per model: the example's one stream, and two for two instances.
    const engines = [...log.matchAll(/faster-bert OpenVINO: .*compiled with (\d+) stream\(s\), (\d+) thread\(s\), pinning (on|off)/g)];
    expect(engines.map((m) => Number(m[1])).sort()).toEqual([1, 2]);
    // What OpenVINO reports it compiled the two-instance model with.
    expect(engines.find((m) => m[1] === '2')?.slice(2)).toEqual(['2', 'off']);
    expect(twoInstances.concurrent_failed).toBe(0);
    expect(twoInstances.concurrent_inferences).toBe(twoInstances.concurrent_rows);
    for (const key of ['http_batch_min_cosine', 'grpc_batch_min_cosine', 'http_single_min_cosine', 'concurrent_min_cosine'] as const) {
      expect(twoInstances[key], key).toBeGreaterThanOrEqual(COSINE);
    }
    expect(twoInstances.mixed_good_ok).toBe(twoInstances.mixed_good_sent);
    expect(twoInstances.server_live).toBe(true);
  });

  it('answers the JSON request that README and npm start show', async () => {
    const res = await fetch(`http://127.0.0.1:${server.ports.http}/v2/models/${MODEL}/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: [{ name: 'text', shape: [1, 1], datatype: 'BYTES', data: ['Hello, Triton!'] }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { outputs: { name: string; shape: number[]; data: number[] }[] };
    expect(body.outputs[0]?.name).toBe('embedding');
    expect(body.outputs[0]?.shape).toEqual([1, 384]);
    const norm = Math.hypot(...(body.outputs[0]?.data ?? []));
    expect(norm).toBeCloseTo(1, 5);
  });
});
