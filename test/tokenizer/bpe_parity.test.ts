// The C++ BPE model and GPT-2 split against HF tokenizers: runs
// bpe_parity.py, which trains small BPE models with HF's trainer and drives
// the fasterbert_bpe_check CLI that the C++ build makes
// (FASTERBERT_BPE_CHECK_BIN, default build/backend-cpp/text/).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runPython, summaryNumbers } from '../python-script.js';

const checkBin =
  process.env['FASTERBERT_BPE_CHECK_BIN'] ??
  join(repoRoot, 'build', 'backend-cpp', 'text', 'fasterbert_bpe_check');

describe('BPE parity with HF tokenizers', () => {
  it('gives the same tokens, offsets and GPT-2 splits on generated text', () => {
    const run = runPython('test/tokenizer/bpe_parity.py', ['--bin', checkBin], { timeoutMs: 170_000 });
    const [passed, failed] = summaryNumbers(run, /bpe parity: (\d+) passed, (\d+) failed/);
    expect(failed, run.output).toBe(0);
    // 5,000 split strings plus the words of seven model configs.
    expect(passed, run.output).toBeGreaterThanOrEqual(300_000);
    expect(run.status, run.output).toBe(0);
  }, 180_000);
});
