// Runs test/onnx/check_heads.py: the exporter's classification (BERT and XLM-R), QA and token-classification heads
// (random weights) against the same heads computed in numpy on numpy_bert's
// hidden states.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('BERT ONNX export with task heads (random weights)', () => {
  it('gives classifier (BERT and XLM-R layouts), QA start/end and token-classification logits equal to numpy within 1e-4', () => {
    const result = spawnSync(join(repoRoot, '.venv', 'bin', 'python'), [join(repoRoot, 'test', 'onnx', 'check_heads.py')], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
    expect(result.status, output).toBe(0);
    expect(result.stdout).toMatch(/heads: classification [0-9.e+-]+, xlm-r classification [0-9.e+-]+, question answering [0-9.e+-]+, token classification [0-9.e+-]+/);
  });
});
