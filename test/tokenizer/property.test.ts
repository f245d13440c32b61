// Property test: random Unicode strings, weighted towards the tokenizer's
// edge cases, must tokenize exactly as HF tokenizers does (property.py;
// a new seed each run, printed for replay with FASTERBERT_PROPERTY_SEED).
// Bounded: at most 30,000 checks or 40 s of checking.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { python, repoRoot, tokenizeBin } from '../python-script.js';

const script = join(repoRoot, 'test', 'tokenizer', 'property.py');

describe('tokenizer property test against HF tokenizers', () => {
  it('gives HF identical results on random edge-case strings', () => {
    const run = spawnSync(
      python,
      [script, '--bin', tokenizeBin, '--count', '30000', '--max-seconds', '40'],
      { cwd: repoRoot, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 58_000 },
    );
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
    if (run.error) throw new Error(`could not run ${python} ${script}: ${run.error.message}`);
    const summary = /property parity: (\d+) passed, (\d+) failed/.exec(output);
    expect(summary, output).not.toBeNull();
    const [, passed, failed] = summary ?? [];
    expect(Number(failed), output).toBe(0);
    expect(Number(passed), output).toBeGreaterThanOrEqual(1000);
    expect(run.status, output).toBe(0);
  }, 60_000);
});
