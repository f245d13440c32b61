// The C++ BPE model and GPT-2 split against HF tokenizers: runs
// bpe_parity.py, which trains small BPE models with HF's trainer and drives
// the fasterbert_bpe_check CLI that the C++ build makes
// (FASTERBERT_BPE_CHECK_BIN, default build/backend-cpp/text/).
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const python = join(repoRoot, '.venv', 'bin', 'python');
const script = join(repoRoot, 'test', 'tokenizer', 'bpe_parity.py');
const checkBin =
  process.env['FASTERBERT_BPE_CHECK_BIN'] ??
  join(repoRoot, 'build', 'backend-cpp', 'text', 'fasterbert_bpe_check');

describe('BPE parity with HF tokenizers', () => {
  it('gives the same tokens, offsets and GPT-2 splits on generated text', () => {
    const run = spawnSync(python, [script, '--bin', checkBin], {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      timeout: 170_000,
    });
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
    if (run.error) throw new Error(`could not run ${python} ${script}: ${run.error.message}`);
    const summary = /bpe parity: (\d+) passed, (\d+) failed/.exec(output);
    expect(summary, output).not.toBeNull();
    const [, passed, failed] = summary ?? [];
    expect(Number(failed), output).toBe(0);
    // 5,000 split strings plus the words of seven model configs.
    expect(Number(passed), output).toBeGreaterThanOrEqual(300_000);
    expect(run.status, output).toBe(0);
  }, 180_000);
});
