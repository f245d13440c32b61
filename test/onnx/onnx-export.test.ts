// Runs test/onnx/check_export.py: exports all-MiniLM-L6-v2 to ONNX with
// tools/bert_onnx/export_bert_onnx.py and compares ONNX Runtime's token
// embeddings with the numpy reference forward pass (tools/bert_onnx/numpy_bert.py).
import { describe, it, expect } from 'vitest';
import { runPython, summaryNumbers } from '../python-script.js';

const TOLERANCE = 1e-4;

describe('BERT ONNX export', () => {
  it(
    'matches the numpy reference within 1e-4 on MiniLM token embeddings',
    () => {
      const run = runPython('test/onnx/check_export.py', [], { timeoutMs: 290_000 });
      expect(run.status, run.output).toBe(0);
      const [sentences, maxDiff] = summaryNumbers(run, /onnx export: (\d+) sentences, max abs diff ([0-9.eE+-]+)/);
      expect(sentences).toBeGreaterThanOrEqual(50);
      expect(Number.isFinite(maxDiff), run.output).toBe(true);
      expect(maxDiff).toBeLessThanOrEqual(TOLERANCE);
    },
    300_000,
  );
});
