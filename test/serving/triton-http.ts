// A small client for the parts of Triton's HTTP API the serving tests use:
// inference (JSON), model statistics, the repository API (explicit model
// control), and the Prometheus text on the metrics port. Answers are checked
// with zod where they enter the test.
import { z } from 'zod';

const durationStat = z.object({ count: z.number().int(), ns: z.number().int() });

export const modelStatsSchema = z.object({
  model_stats: z
    .array(
      z.object({
        name: z.string(),
        version: z.string(),
        last_inference: z.number().int(),
        inference_count: z.number().int(),
        execution_count: z.number().int(),
        inference_stats: z.object({
          success: durationStat,
          fail: durationStat,
          queue: durationStat,
          compute_input: durationStat,
          compute_infer: durationStat,
          compute_output: durationStat,
        }),
        batch_stats: z
          .array(
            z.object({
              batch_size: z.number().int(),
              compute_input: durationStat,
              compute_infer: durationStat,
              compute_output: durationStat,
            }),
          )
          .default([]),
      }),
    )
    .length(1),
});
export type ModelStats = z.infer<typeof modelStatsSchema>['model_stats'][number];

const inferResponseSchema = z.object({
  outputs: z.array(z.object({ name: z.string(), shape: z.array(z.number().int()), data: z.array(z.number()) })),
});
export type InferResponse = z.infer<typeof inferResponseSchema>;

const repositoryIndexSchema = z.array(
  z.object({ name: z.string(), version: z.string().optional(), state: z.string().optional(), reason: z.string().optional() }),
);

/** One inference outcome: the parsed outputs, or Triton's error message. */
export type InferOutcome = { ok: true; response: InferResponse } | { ok: false; status: number; error: string };

export interface TextTensor {
  readonly name?: string;
  readonly datatype?: string;
  readonly rows: readonly (string | number)[];
}

export class TritonHttp {
  readonly base: string;

  constructor(httpPort: number) {
    this.base = `http://127.0.0.1:${httpPort}`;
  }

  private async post(path: string, body?: unknown): Promise<{ status: number; text: string }> {
    const res = await fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, text: await res.text() };
  }

  private async get(path: string): Promise<unknown> {
    const res = await fetch(`${this.base}${path}`);
    const text = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}: ${text}`);
    return JSON.parse(text) as unknown;
  }

  /** One request with a [rows, 1] text input (BYTES unless `datatype` says otherwise). */
  async infer(model: string, input: TextTensor, headers: Record<string, string> = {}): Promise<InferOutcome> {
    const res = await fetch(`${this.base}/v2/models/${model}/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({
        inputs: [{ name: input.name ?? 'text', shape: [input.rows.length, 1], datatype: input.datatype ?? 'BYTES', data: input.rows }],
      }),
    });
    return this.outcome(res.status, await res.text());
  }

  /** One single-text-row request with request parameters (e.g. `priority`, `timeout` in microseconds). */
  async inferWithParameters(model: string, rows: readonly string[], parameters: Record<string, number>): Promise<InferOutcome> {
    const res = await fetch(`${this.base}/v2/models/${model}/infer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ parameters, inputs: [{ name: 'text', shape: [rows.length, 1], datatype: 'BYTES', data: rows }] }),
    });
    return this.outcome(res.status, await res.text());
  }

  private outcome(status: number, text: string): InferOutcome {
    if (status === 200) return { ok: true, response: inferResponseSchema.parse(JSON.parse(text)) };
    const parsed = z.object({ error: z.string() }).safeParse(JSON.parse(text));
    return { ok: false, status, error: parsed.success ? parsed.data.error : text };
  }

  async stats(model: string): Promise<ModelStats> {
    const [stats] = modelStatsSchema.parse(await this.get(`/v2/models/${model}/stats`)).model_stats;
    if (stats === undefined) throw new Error('no statistics');
    return stats;
  }

  async config(model: string): Promise<Record<string, unknown>> {
    return z.record(z.string(), z.unknown()).parse(await this.get(`/v2/models/${model}/config`));
  }

  /** POST .../load; `config` (a model config as JSON) makes Triton load the model with it, a reload when loaded. */
  async load(model: string, config?: Record<string, unknown>): Promise<void> {
    const body = config === undefined ? undefined : { parameters: { config: JSON.stringify(config) } };
    const res = await this.post(`/v2/repository/models/${model}/load`, body);
    if (res.status !== 200) throw new Error(`load ${model}: HTTP ${res.status}: ${res.text}`);
  }

  async unload(model: string): Promise<void> {
    const res = await this.post(`/v2/repository/models/${model}/unload`);
    if (res.status !== 200) throw new Error(`unload ${model}: HTTP ${res.status}: ${res.text}`);
  }

  /** The model's state in the repository index (READY, UNLOADING, UNAVAILABLE, ...). */
  async modelState(model: string): Promise<string | undefined> {
    const res = await this.post('/v2/repository/index');
    if (res.status !== 200) throw new Error(`repository index: HTTP ${res.status}: ${res.text}`);
    return repositoryIndexSchema.parse(JSON.parse(res.text)).find((entry) => entry.name === model)?.state;
  }

  /** Unload is asynchronous: waits until the index says the model is gone. */
  async waitUnloaded(model: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const state = await this.modelState(model);
      if (state === 'UNAVAILABLE') return;
      if (Date.now() > deadline) throw new Error(`${model} still ${state ?? 'absent'} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** Samples of a Prometheus text page: `name{labels}` → value (labels as written, sorted by name). */
export async function scrapeMetrics(metricsPort: number): Promise<Map<string, number>> {
  const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
  if (res.status !== 200) throw new Error(`metrics: HTTP ${res.status}`);
  const samples = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (match === null) continue;
    const [, name, labels, value] = match;
    const sortedLabels = (labels ?? '')
      .split(/,(?=[A-Za-z_][A-Za-z0-9_]*=")/)
      .filter((label) => label !== '')
      .sort()
      .join(',');
    samples.set(`${name}{${sortedLabels}}`, Number(value));
  }
  return samples;
}

/** One sample by metric name and labels, e.g. metric(m, 'nv_inference_count', { model: 'x', version: '1' }). */
export function metric(samples: Map<string, number>, name: string, labels: Record<string, string>): number | undefined {
  const key = Object.entries(labels)
    .map(([label, value]) => `${label}="${value}"`)
    .sort()
    .join(',');
  return samples.get(`${name}{${key}}`);
}
