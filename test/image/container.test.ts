// The CPU image (docker/Dockerfile) as a running container: what it serves
// through the published loopback ports, checked against HF tokenizers + ONNX
// Runtime + numpy (test/e2e/embeddings_check.py), and what it is made of (user,
// HEALTHCHECK, no compilers). scripts/test-image.sh (`npm run test:image`)
// builds the image, starts the container and runs this file with the
// FASTERBERT_IMAGE_* variables; without them (plain `npm test`) it is skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { python, repoRoot } from '../e2e/triton-server.js';

const MODEL = 'minilm_embeddings';
const COSINE = 0.99999;

const containerEnvSchema = z.object({
  FASTERBERT_IMAGE: z.string().min(1),
  FASTERBERT_IMAGE_CONTAINER: z.string().min(1),
  FASTERBERT_IMAGE_HTTP_PORT: z.coerce.number().int().positive(),
  FASTERBERT_IMAGE_GRPC_PORT: z.coerce.number().int().positive(),
  FASTERBERT_IMAGE_METRICS_PORT: z.coerce.number().int().positive(),
  // The container's CPU limit (podman --cpus), as Kubernetes' limits.cpu sets one.
  FASTERBERT_IMAGE_CPUS: z.coerce.number().int().positive(),
});
const parsedEnv = containerEnvSchema.safeParse(process.env);
const env = parsedEnv.success ? parsedEnv.data : undefined;

const checkReportSchema = z.object({
  output_dim: z.number(),
  sentences: z.number(),
  http_batch_min_cosine: z.number(),
  grpc_batch_min_cosine: z.number(),
  http_single_min_cosine: z.number(),
  concurrent_min_cosine: z.number(),
  concurrent_failed: z.number(),
  bad_request_errors: z.record(z.string(), z.string().nullable()),
  mixed_good_ok: z.number(),
  mixed_good_sent: z.number(),
  mixed_bad_errors: z.number(),
  mixed_bad_sent: z.number(),
  mixed_good_min_cosine: z.number().nullable(),
  after_errors_cosine: z.number(),
  server_live: z.boolean(),
});

/** podman with the runtime that works on this machine (crun does not: cgroups v1 hybrid). */
function podman(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('podman', ['--runtime', '/usr/sbin/runc', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

/** A shell command inside the running container, as the container's user. */
function inContainer(container: string, script: string): string {
  const run = podman(['exec', container, '/bin/bash', '-c', script]);
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

const imageInspectSchema = z.array(
  z.object({
    User: z.string(),
    Healthcheck: z.object({ Test: z.array(z.string()) }).optional(),
    Config: z.object({ ExposedPorts: z.record(z.string(), z.unknown()), Entrypoint: z.array(z.string()), Cmd: z.array(z.string()) }),
  }),
);

/** What `podman image inspect` says of the image (HEALTHCHECK survives only in the docker format). */
function imageConfig(image: string): z.infer<typeof imageInspectSchema>[number] {
  const run = podman(['image', 'inspect', image]);
  expect(run.status, run.stderr).toBe(0);
  const [config] = imageInspectSchema.parse(JSON.parse(run.stdout));
  if (config === undefined) throw new Error(`podman image inspect ${image} printed no image`);
  return config;
}

async function infer(port: number, body: string): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`http://127.0.0.1:${port}/v2/models/${MODEL}/infer`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, json: await res.json() };
}

async function ready(port: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/v2/health/ready`);
  return res.status === 200;
}

const errorSchema = z.object({ error: z.string() });
const embeddingResponseSchema = z.object({
  outputs: z.array(z.object({ name: z.string(), shape: z.array(z.number()), data: z.array(z.number()) })),
});

describe.skipIf(env === undefined)('the CPU image as a running container (run by npm run test:image, which starts it)', () => {
  // Set whenever this block runs (skipIf above).
  const e = env as z.infer<typeof containerEnvSchema>;

  it('serves embeddings equal to the reference, over HTTP and gRPC, through the published ports', () => {
    const stdout = execFileSync(
      python,
      [
        path.join(repoRoot, 'test/e2e/embeddings_check.py'),
        `--http-port=${e.FASTERBERT_IMAGE_HTTP_PORT}`,
        `--grpc-port=${e.FASTERBERT_IMAGE_GRPC_PORT}`,
        `--model=${MODEL}`,
        `--model-dir=${path.join(repoRoot, 'models/all-MiniLM-L6-v2')}`,
        '--max-length=256',
      ],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 300_000 },
    );
    const report = checkReportSchema.parse(JSON.parse(stdout.trim().split('\n').pop() ?? '{}'));
    expect(report.output_dim).toBe(384);
    expect(report.sentences).toBeGreaterThanOrEqual(40);
    expect(report.http_batch_min_cosine).toBeGreaterThanOrEqual(COSINE);
    expect(report.grpc_batch_min_cosine).toBeGreaterThanOrEqual(COSINE);
    expect(report.http_single_min_cosine).toBeGreaterThanOrEqual(COSINE);
    expect(report.concurrent_failed).toBe(0);
    expect(report.concurrent_min_cosine).toBeGreaterThanOrEqual(COSINE);

    // Bad requests each get their own error; good ones batched with them are right; the server stays up.
    const errors = report.bad_request_errors;
    expect(errors['empty']).toMatch(/empty text/);
    expect(errors['invalid_utf8']).toMatch(/UTF-8/);
    expect(errors['truncated_utf8']).toMatch(/UTF-8/);
    expect(errors['wrong_datatype']).toMatch(/data-?type|BYTES|INT32/i);
    expect(errors['wrong_shape']).toMatch(/shape/i);
    expect(errors['too_large_batch']).toMatch(/batch/i);
    expect(report.mixed_good_ok).toBe(report.mixed_good_sent);
    expect(report.mixed_bad_errors).toBe(report.mixed_bad_sent);
    expect(report.mixed_good_min_cosine).toBeGreaterThanOrEqual(COSINE);
    expect(report.after_errors_cosine).toBeGreaterThanOrEqual(COSINE);
    expect(report.server_live).toBe(true);
  }, 600_000);

  it('sizes OpenVINO\'s threads to the container\'s CPU limit, which it sees as a quota, not as fewer cores', () => {
    const visible = Number(inContainer(e.FASTERBERT_IMAGE_CONTAINER, 'nproc'));
    const logs = podman(['logs', e.FASTERBERT_IMAGE_CONTAINER]);
    const log = `${logs.stdout}\n${logs.stderr}`;
    const compiled = /faster-bert OpenVINO: .*compiled with 1 stream\(s\), (\d+) thread\(s\)/.exec(log);
    expect(compiled, log).not.toBeNull();
    expect(Number(compiled?.[1])).toBe(Math.min(visible, e.FASTERBERT_IMAGE_CPUS));
    if (visible > e.FASTERBERT_IMAGE_CPUS) {
      expect(log).toContain(`the cgroup's CPU quota allows ${e.FASTERBERT_IMAGE_CPUS} of the ${visible} cores`);
    }
  });

  it('answers the README JSON request with a unit-length 384-vector', async () => {
    const { status, json } = await infer(
      e.FASTERBERT_IMAGE_HTTP_PORT,
      JSON.stringify({ inputs: [{ name: 'text', shape: [1, 1], datatype: 'BYTES', data: ['Hello, Triton!'] }] }),
    );
    expect(status).toBe(200);
    const output = embeddingResponseSchema.parse(json).outputs[0];
    expect(output?.name).toBe('embedding');
    expect(output?.shape).toEqual([1, 384]);
    expect(Math.hypot(...(output?.data ?? []))).toBeCloseTo(1, 5);
  });

  it('rejects a text over the byte limit and a malformed body, and stays ready', async () => {
    const tooLong = 'a'.repeat((1 << 20) + 1);
    const overLimit = await infer(
      e.FASTERBERT_IMAGE_HTTP_PORT,
      JSON.stringify({ inputs: [{ name: 'text', shape: [1, 1], datatype: 'BYTES', data: [tooLong] }] }),
    );
    expect(overLimit.status).toBe(400);
    expect(errorSchema.parse(overLimit.json).error).toMatch(/limit/);
    const malformed = await infer(e.FASTERBERT_IMAGE_HTTP_PORT, '{"inputs": [');
    // Triton 2.51 answers a body it cannot parse with 500 (its own classification, before our backend).
    expect([400, 500]).toContain(malformed.status);
    expect(errorSchema.parse(malformed.json).error).not.toBe('');
    expect(await ready(e.FASTERBERT_IMAGE_HTTP_PORT)).toBe(true);
  });

  it('publishes the metrics port', async () => {
    const res = await fetch(`http://127.0.0.1:${e.FASTERBERT_IMAGE_METRICS_PORT}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(new RegExp(`nv_inference_request_success\\{model="${MODEL}"`));
  });

  it('runs tritonserver as a non-root user', () => {
    expect(imageConfig(e.FASTERBERT_IMAGE).User).toBe('1000:1000');
    // PID 1 is tritonserver (the entrypoint): its real, effective, saved and filesystem uids.
    const status = inContainer(e.FASTERBERT_IMAGE_CONTAINER, 'cat /proc/1/status; echo "comm=$(cat /proc/1/comm)"');
    expect(status).toMatch(/^comm=tritonserver$/m);
    expect(status).toMatch(/^Uid:\s+1000\s+1000\s+1000\s+1000$/m);
    expect(status).toMatch(/^Gid:\s+1000\s+1000\s+1000\s+1000$/m);
  });

  it('has a HEALTHCHECK on /v2/health/ready that reports healthy', () => {
    expect(imageConfig(e.FASTERBERT_IMAGE).Healthcheck?.Test).toEqual(['CMD', '/usr/local/bin/healthcheck']);
    expect(inContainer(e.FASTERBERT_IMAGE_CONTAINER, 'cat /usr/local/bin/healthcheck')).toMatch(/\/v2\/health\/ready/);
    const run = podman(['healthcheck', 'run', e.FASTERBERT_IMAGE_CONTAINER]);
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    // And it can fail: pointed at a port nothing listens on, the same script reports unhealthy.
    const wrongPort = podman(['exec', '--env', 'HEALTHCHECK_PORT=1', e.FASTERBERT_IMAGE_CONTAINER, '/usr/local/bin/healthcheck']);
    expect(wrongPort.status).not.toBe(0);
  });

  it('serves /models on 8000 (HTTP), 8001 (gRPC) and 8002 (metrics) from its entrypoint', () => {
    const config = imageConfig(e.FASTERBERT_IMAGE).Config;
    expect(Object.keys(config.ExposedPorts).sort()).toEqual(['8000/tcp', '8001/tcp', '8002/tcp']);
    expect(config.Entrypoint).toEqual(['/opt/tritonserver/bin/tritonserver']);
    expect(config.Cmd).toEqual(['--model-repository=/models']);
  });

  it('holds no compiler, build tool, Python or Node', () => {
    const tools = ['gcc', 'g++', 'cc', 'c++', 'cpp', 'clang', 'cmake', 'make', 'ninja', 'ld', 'as', 'python3', 'node', 'npm'];
    const found = inContainer(
      e.FASTERBERT_IMAGE_CONTAINER,
      `for tool in ${tools.join(' ')}; do command -v "$tool" || true; done; ls /usr/lib/gcc/x86_64-linux-gnu/*/cc1* 2>/dev/null || true`,
    );
    expect(found).toBe('');
    // Nor their packages (files copied in without dpkg are what the PATH check above is for).
    const packages = inContainer(e.FASTERBERT_IMAGE_CONTAINER, "dpkg-query -W -f '${Package}\\n'").split('\n');
    expect(packages.length).toBeGreaterThan(50);
    // (gcc-12-base, which libgcc-s1 needs, is only a copyright file.)
    const buildPackage = /^((gcc|g\+\+|cpp|clang)(-\d+)?|binutils.*|cmake|make|ninja-build|python3(\.\d+)?|nodejs)$/;
    expect(packages).toContain('libstdc++6'); // the probe reads the real list: tritonserver needs this one
    expect(packages.filter((name) => buildPackage.test(name))).toEqual([]);
    // The probe itself works: it finds what the image does have.
    expect(inContainer(e.FASTERBERT_IMAGE_CONTAINER, 'command -v bash ldd')).toMatch(/bash[\s\S]*ldd/);
  });
});
