// Model lifecycle through Triton's repository API in explicit model-control
// mode: load, infer, reload with a changed instance count, infer, unload, many
// times over (FASTERBERT_LIFECYCLE_CYCLES, default 100). The server's resident
// memory, file descriptors and threads, sampled with the model unloaded, must
// come back to where they were after a few warm-up cycles:
//   RSS: the mean of the last ten samples within RSS_TOLERANCE_KIB of the mean
//   of the first ten (malloc's arenas make single samples step by 10-20 MiB
//   between cycles; one leaked engine per cycle would add ~90 MiB a cycle,
//   a leaked tokenizer or batch of scratch buffers a few MiB x 100), file
//   descriptors other than sockets within 2 (sockets follow the client's
//   keep-alive connections, which come and go), threads within 2.
// Every tenth cycle also unloads while requests are in flight: each gets its
// answer or a clean error, and the server stays up.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExample } from '../e2e/build-example.js';
import { repoRoot, startTriton, type RunningTriton } from '../e2e/triton-server.js';
import { processFootprint, type ProcessFootprint } from './process-probe.js';
import { TritonHttp } from './triton-http.js';

const MODEL = 'minilm_embeddings';
const CYCLES = Number(process.env['FASTERBERT_LIFECYCLE_CYCLES'] ?? '100');
const WARMUP_CYCLES = 5;
const RSS_TOLERANCE_KIB = 32 * 1024;
const FD_TOLERANCE = 2;
const THREAD_TOLERANCE = 2;

interface CycleRecord {
  readonly cycle: number;
  readonly loaded: ProcessFootprint;
  readonly unloaded: ProcessFootprint;
}

function meanRss(records: readonly CycleRecord[]): number {
  return Math.round(records.reduce((sum, record) => sum + record.unloaded.rssKiB, 0) / Math.max(1, records.length));
}

describe(`model load/unload/reload x${CYCLES} in explicit model-control mode`, () => {
  let server: RunningTriton;
  let client: TritonHttp;
  let pid: number;
  let start: ProcessFootprint;
  let baseline: ProcessFootprint;
  const records: CycleRecord[] = [];
  const failures: string[] = [];
  let inFlightAnswered = 0;
  let inFlightRefused = 0;

  async function expectEmbeddings(rows: string[], cycle: number, step: string): Promise<void> {
    const outcome = await client.infer(MODEL, { rows });
    if (!outcome.ok) {
      failures.push(`cycle ${cycle} ${step}: ${outcome.error}`);
    } else if (JSON.stringify(outcome.response.outputs[0]?.shape) !== JSON.stringify([rows.length, 384])) {
      failures.push(`cycle ${cycle} ${step}: shape ${JSON.stringify(outcome.response.outputs[0]?.shape)}`);
    }
  }

  async function cycle(index: number): Promise<void> {
    await client.load(MODEL);
    await expectEmbeddings(['load', `cycle ${index}`], index, 'after load');
    // Reload with another instance count: instances are torn down and made anew.
    const config = await client.config(MODEL);
    const groups = config['instance_group'] as { count: number }[];
    const reloaded = { ...config, instance_group: groups.map((group) => ({ ...group, count: index % 2 === 0 ? 2 : 1 })) };
    await client.load(MODEL, reloaded);
    await expectEmbeddings(['reload'], index, 'after reload');
    const loaded = processFootprint(pid);
    if (index % 10 === 9) {
      const inFlight = Array.from({ length: 8 }, (_, i) => client.infer(MODEL, { rows: [`in flight ${i}`] }));
      await client.unload(MODEL);
      for (const outcome of await Promise.all(inFlight)) {
        if (outcome.ok) inFlightAnswered += 1;
        else if (/unavailable|not found|unknown model/i.test(outcome.error)) inFlightRefused += 1;
        else failures.push(`cycle ${index} in flight: ${outcome.error}`);
      }
    } else {
      await client.unload(MODEL);
    }
    await client.waitUnloaded(MODEL);
    records.push({ cycle: index, loaded, unloaded: processFootprint(pid) });
  }

  beforeAll(async () => {
    const repo = buildExample('examples/embeddings/pipeline.ts', 'build/serving/lifecycle');
    server = await startTriton(repo, ['--model-control-mode=explicit']);
    client = new TritonHttp(server.ports.http);
    if (server.process.pid === undefined) throw new Error('tritonserver has no pid');
    pid = server.process.pid;
    start = processFootprint(pid);
    for (let i = 0; i < WARMUP_CYCLES; i++) await cycle(-WARMUP_CYCLES + i);
    baseline = processFootprint(pid);
    records.length = 0;
    for (let i = 0; i < CYCLES; i++) await cycle(i);
    const rssMeans = { first10KiB: meanRss(records.slice(0, 10)), last10KiB: meanRss(records.slice(-10)) };
    const report = { cycles: CYCLES, start, baseline, end: records.at(-1)?.unloaded, rssMeans, inFlightAnswered, inFlightRefused, records };
    mkdirSync(path.join(repoRoot, 'build/logs'), { recursive: true });
    writeFileSync(path.join(repoRoot, 'build/logs/lifecycle.json'), `${JSON.stringify(report, null, 1)}\n`);
    console.log(
      `lifecycle: ${CYCLES} cycles; unloaded RSS ${baseline.rssKiB} KiB after warm-up -> ${report.end?.rssKiB} KiB ` +
        `(mean of first/last ten cycles ${rssMeans.first10KiB} / ${rssMeans.last10KiB} KiB); ` +
        `fds other than sockets ${baseline.fdsNotSockets} -> ${report.end?.fdsNotSockets}; threads ${baseline.threads} -> ${report.end?.threads}; ` +
        `in flight during unload: ${inFlightAnswered} answered, ${inFlightRefused} refused`,
    );
  }, 900_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('answers correctly after every load and reload', () => {
    expect(failures).toEqual([]);
    expect(records).toHaveLength(CYCLES);
  });

  it('gives every request in flight during an unload its answer or a clean error', () => {
    expect(inFlightAnswered + inFlightRefused).toBe(8 * Math.floor(CYCLES / 10));
    expect(server.process.exitCode).toBeNull();
  });

  it('comes back to its resident memory, file descriptors and threads after unloading', () => {
    const end = records.at(-1)?.unloaded;
    expect(end).toBeDefined();
    if (end === undefined) return;
    // Under ASan (scripts/test-asan.sh) freed memory waits in its quarantine and
    // RSS means little; LeakSanitizer checks each model finalize instead.
    if (process.env['FASTERBERT_SANITIZE'] !== '1') {
      expect(meanRss(records.slice(-10))).toBeLessThanOrEqual(meanRss(records.slice(0, 10)) + RSS_TOLERANCE_KIB);
    }
    expect(end.fdsNotSockets).toBeLessThanOrEqual(baseline.fdsNotSockets + FD_TOLERANCE);
    expect(end.threads).toBeLessThanOrEqual(baseline.threads + THREAD_TOLERANCE);
    // No creep either: the last ten unloaded samples stay within the same bounds.
    for (const record of records.slice(-10)) {
      expect(record.unloaded.fdsNotSockets).toBeLessThanOrEqual(baseline.fdsNotSockets + FD_TOLERANCE);
      expect(record.unloaded.threads).toBeLessThanOrEqual(baseline.threads + THREAD_TOLERANCE);
    }
  });
});
