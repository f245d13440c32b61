// The host-side helpers of docker/build-trt-plan.sh, which runs only where
// trtexec exists: which ONNX nodes are LayerNorm (kept in FP32 in the FP16
// plan), for the exported MiniLM (opset 17: LayerNormalization nodes) and for a
// graph that spells LayerNorm out (opset 13), and the script's syntax.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../e2e/triton-server.js';

const python = join(repoRoot, '.venv', 'bin', 'python');
const helper = join(repoRoot, 'docker', 'layernorm_layers.py');
const scratch = mkdtempSync(join(tmpdir(), 'faster-bert-trt-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(command: string, args: readonly string[]): string {
  const result = spawnSync(command, args, { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout.trim();
}

// Node types by name, from the model itself (independent of the helper).
function nodeTypes(model: string): Record<string, string> {
  return JSON.parse(
    run(python, ['-c', 'import json, sys, onnx; print(json.dumps({n.name: n.op_type for n in onnx.load(sys.argv[1]).graph.node}))', model]),
  ) as Record<string, string>;
}

describe('docker/build-trt-plan.sh helpers', () => {
  it('names every LayerNormalization node of the exported MiniLM (embeddings + 2 per layer)', () => {
    const model = join(repoRoot, 'models', 'all-MiniLM-L6-v2', 'model.onnx');
    const names = run(python, [helper, model]).split(',').map((entry) => entry.replace(/:fp32$/, ''));
    const types = nodeTypes(model);
    const layerNorms = Object.entries(types).filter(([, type]) => type === 'LayerNormalization').map(([name]) => name);
    expect(layerNorms).toHaveLength(1 + 2 * 6);
    expect(names.sort()).toEqual(layerNorms.sort());
  });

  it('names the spelled-out LayerNorm chains of an opset-13 graph, and nothing else', () => {
    const model = join(scratch, 'tiny13.onnx');
    run(python, [join(repoRoot, 'tools', 'bert_onnx', 'export_bert_onnx.py'), '--random-weights', '--config',
      join(repoRoot, 'models', 'random-bert-classifier', 'config.json'), '--opset', '13', '--out', model]);
    const names = run(python, [helper, model]).split(',').map((entry) => entry.replace(/:fp32$/, ''));
    const types = nodeTypes(model);
    for (const name of names) expect(['ReduceMean', 'Sub', 'Pow', 'Add', 'Sqrt', 'Div', 'Mul']).toContain(types[name]);
    // One Sqrt per LayerNorm: embeddings + 2 per layer of the 2-layer model, and none left out.
    const sqrts = Object.entries(types).filter(([, type]) => type === 'Sqrt').map(([name]) => name);
    expect(sqrts).toHaveLength(5);
    for (const sqrt of sqrts) expect(names).toContain(sqrt);
    // No matmul or attention softmax is forced to FP32.
    expect(names.some((name) => ['MatMul', 'Softmax', 'Gemm'].includes(types[name] ?? ''))).toBe(false);
  });

  it('build-trt-plan.sh parses', () => {
    run('bash', ['-n', join(repoRoot, 'docker', 'build-trt-plan.sh')]);
  });
});
