// Runs test/onnx/check_xlmr.py: a small XLM-RoBERTa (real shapes, seeded
// random weights) exported by tools/bert_onnx/export_bert_onnx.py, under ONNX
// Runtime, against the numpy reference (tools/bert_onnx/numpy_bert.py).
import { describe, expect, it } from 'vitest';
import { runPython, summaryNumbers } from '../python-script.js';

describe('XLM-RoBERTa ONNX export', () => {
  it('matches the numpy reference within 1e-4 with RoBERTa positions, right and left padding', () => {
    const run = runPython('test/onnx/check_xlmr.py', [], { timeoutMs: 290_000 });
    expect(run.status, run.output).toBe(0);
    const [texts, maxDiff] = summaryNumbers(run, /xlmr export: (\d+) texts, max abs diff ([0-9.eE+-]+)/);
    expect(texts).toBeGreaterThanOrEqual(40);
    expect(Number.isFinite(maxDiff), run.output).toBe(true);
    expect(maxDiff).toBeLessThanOrEqual(1e-4);
  }, 300_000);
});
