// Runs test/onnx/check_export.py: exports all-MiniLM-L6-v2 to ONNX with
// tools/bert_onnx/export_bert_onnx.py and compares ONNX Runtime's token
// embeddings with the numpy reference forward pass (tools/bert_onnx/numpy_bert.py).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const python = join(repoRoot, '.venv', 'bin', 'python');
const script = join(repoRoot, 'test', 'onnx', 'check_export.py');
const TOLERANCE = 1e-4;

describe('BERT ONNX export', () => {
  it(
    'matches the numpy reference within 1e-4 on MiniLM token embeddings',
    () => {
      expect(existsSync(python), `missing ${python}`).toBe(true);
      const result = spawnSync(python, [script], {
        cwd: repoRoot,
        encoding: 'utf8',
        timeout: 290_000,
        maxBuffer: 16 * 1024 * 1024,
      });
      const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
      expect(result.error, output).toBeUndefined();
      expect(result.status, output).toBe(0);

      const match = /onnx export: (\d+) sentences, max abs diff ([0-9.eE+-]+)/.exec(result.stdout);
      expect(match, output).not.toBeNull();
      const sentences = Number(match?.[1]);
      const maxDiff = Number(match?.[2]);
      expect(sentences).toBeGreaterThanOrEqual(50);
      expect(Number.isFinite(maxDiff), output).toBe(true);
      expect(maxDiff).toBeLessThanOrEqual(TOLERANCE);
    },
    300_000,
  );
});
