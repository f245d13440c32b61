// The backend compares config.pbtxt with the pipeline compiled into it at
// load, and refuses to load on a difference (backend-cpp/triton/config_check.h):
// a hand-edited copy of the example's generated config.pbtxt must fail to
// load with a message naming the difference, while the unedited one loads.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildExample } from '../e2e/build-example.js';
import { repoRoot, startTriton, type RunningTriton } from '../e2e/triton-server.js';
import { TritonHttp } from './triton-http.js';

const MODEL = 'minilm_embeddings';

describe('config.pbtxt checked against the compiled pipeline at load', () => {
  let server: RunningTriton;
  const repo = path.join(repoRoot, 'build/serving/config-check');

  const load = async (): Promise<{ status: number; body: string }> => {
    const res = await fetch(`http://127.0.0.1:${server.ports.http}/v2/repository/models/${MODEL}/load`, { method: 'POST' });
    return { status: res.status, body: await res.text() };
  };
  const editConfig = (from: RegExp, to: string): void => {
    const file = path.join(repo, MODEL, 'config.pbtxt');
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(from);
    writeFileSync(file, text.replace(from, to));
  };

  beforeAll(async () => {
    const built = buildExample('examples/embeddings/pipeline.ts', 'build/e2e/embeddings');
    rmSync(repo, { recursive: true, force: true });
    mkdirSync(repo, { recursive: true });
    cpSync(built, repo, { recursive: true });
    server = await startTriton(repo, ['--model-control-mode=explicit']);
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('loads the generated config.pbtxt', async () => {
    expect((await load()).status).toBe(200);
  });

  it('refuses an output whose dims were edited, naming the output and both values', async () => {
    editConfig(/dims: \[ 384 \]/, 'dims: [ 385 ]');
    const { status, body } = await load();
    expect(status).toBe(400);
    expect(body).toContain(
      "model 'minilm_embeddings': config.pbtxt does not match the pipeline 'minilm_embeddings' this backend was built from: " +
        "output 'embedding' has dims [385] in config.pbtxt, [384] in the compiled pipeline",
    );
    editConfig(/dims: \[ 385 \]/, 'dims: [ 384 ]');
  });

  it('refuses a max_batch_size that differs from the compiled one', async () => {
    editConfig(/max_batch_size: 32/, 'max_batch_size: 64');
    const { status, body } = await load();
    expect(status).toBe(400);
    expect(body).toContain('max_batch_size is 64 in config.pbtxt, 32 in the compiled pipeline');
    editConfig(/max_batch_size: 64/, 'max_batch_size: 32');
    expect((await load()).status).toBe(200);
  });

  // Parameter response_thread "true" sends responses from a thread of each
  // instance's own (backend-cpp/triton/response_thread.h); by default the
  // instance's thread sends them. Both answer alike.
  it('answers the same with and without the response thread, and refuses another value', async () => {
    const client = new TritonHttp(server.ports.http);
    const rows = ['The response thread sends this one.', 'And this, in the same request.'];
    const inline = await client.infer(MODEL, { rows });
    const parameter = (value: string): string =>
      `parameters { key: "response_thread" value { string_value: "${value}" } }\n`;
    const file = path.join(repo, MODEL, 'config.pbtxt');
    const original = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, original + parameter('true'));
      expect((await load()).status).toBe(200);
      // Several batches in a row: each is answered while the next computes.
      const withThread = await Promise.all([0, 1, 2, 3, 4, 5].map(() => client.infer(MODEL, { rows })));
      expect(inline.ok).toBe(true);
      for (const outcome of withThread) {
        expect(outcome.ok).toBe(true);
        if (outcome.ok && inline.ok) {
          expect(outcome.response.outputs[0]?.shape).toEqual([2, 384]);
          expect(outcome.response.outputs).toEqual(inline.response.outputs);
        }
      }

      writeFileSync(file, original + parameter('off'));
      const { status, body } = await load();
      expect(status).toBe(400);
      expect(body).toContain(
        "model 'minilm_embeddings': config.pbtxt parameter 'response_thread' must have string_value " +
          '\\"true\\" or \\"false\\", not \\"off\\"',
      );
    } finally {
      writeFileSync(file, original);
    }
    expect((await load()).status).toBe(200);
  });
});
