// Runs test/onnx/check_xlmr.py: a small XLM-RoBERTa (real shapes, seeded
// random weights) exported by tools/bert_onnx/export_bert_onnx.py, under ONNX
// Runtime, against the numpy reference (tools/bert_onnx/numpy_bert.py).
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const python = join(repoRoot, '.venv', 'bin', 'python');
const script = join(repoRoot, 'test', 'onnx', 'check_xlmr.py');

describe('XLM-RoBERTa ONNX export', () => {
  it('matches the numpy reference within 1e-4 with RoBERTa positions, right and left padding', () => {
    const result = spawnSync(python, [script], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 290_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
    expect(result.error, output).toBeUndefined();
    expect(result.status, output).toBe(0);
    const match = /xlmr export: (\d+) texts, max abs diff ([0-9.eE+-]+)/.exec(result.stdout);
    expect(match, output).not.toBeNull();
    expect(Number(match?.[1])).toBeGreaterThanOrEqual(40);
    const maxDiff = Number(match?.[2]);
    expect(Number.isFinite(maxDiff), output).toBe(true);
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  }, 300_000);
});
