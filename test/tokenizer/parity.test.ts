// The C++ tokenizer against HF tokenizers on the committed corpus: runs
// parity.py, which drives the fasterbert_tokenize CLI that the C++ build
// makes (FASTERBERT_TOKENIZE_BIN, default build/backend-cpp/text/).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const python = join(repoRoot, '.venv', 'bin', 'python');
const script = join(repoRoot, 'test', 'tokenizer', 'parity.py');
const tablesGenerator = join(repoRoot, 'tools', 'gen_unicode_tables.py');
const committedTables = join(repoRoot, 'backend-cpp', 'text', 'unicode_data.cc');
const tokenizeBin =
  process.env['FASTERBERT_TOKENIZE_BIN'] ??
  join(repoRoot, 'build', 'backend-cpp', 'text', 'fasterbert_tokenize');

describe('tokenizer parity with HF tokenizers', () => {
  it('gives the same ids, type ids, masks and offsets on the whole corpus', () => {
    const run = spawnSync(python, [script, '--bin', tokenizeBin], {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, FASTERBERT_TOKENIZE_BIN: tokenizeBin },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 110_000,
    });
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
    if (run.error) throw new Error(`could not run ${python} ${script}: ${run.error.message}`);
    const summary = /tokenizer parity: (\d+) passed, (\d+) failed/.exec(output);
    expect(summary, output).not.toBeNull();
    const [, passed, failed] = summary ?? [];
    expect(Number(failed), output).toBe(0);
    // 32,000 strings of test/tokenizer/corpus under their configs.
    expect(Number(passed), output).toBeGreaterThanOrEqual(130_000);
    expect(run.status, output).toBe(0);
  }, 120_000);

  it('has Unicode tables that match every code point of HF and the generator output', () => {
    // Exhaustive probe of HF's normalizer and pre-tokenizer, so that a
    // tokenizers upgrade that moves its Unicode tables shows up here.
    const check = spawnSync(python, [tablesGenerator, '--check-hf'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 110_000,
    });
    const checkOutput = `${check.stdout ?? ''}${check.stderr ?? ''}`;
    expect(checkOutput).toMatch(/check-hf: 0 differences/);
    expect(check.status, checkOutput).toBe(0);

    const dir = mkdtempSync(join(tmpdir(), 'fasterbert-tables-'));
    try {
      const out = join(dir, 'unicode_data.cc');
      const gen = spawnSync(python, [tablesGenerator, '--out', out], { cwd: repoRoot, encoding: 'utf8' });
      expect(gen.status, `${gen.stdout ?? ''}${gen.stderr ?? ''}`).toBe(0);
      const fresh = readFileSync(out, 'utf8') === readFileSync(committedTables, 'utf8');
      expect(fresh, 'unicode_data.cc is stale: rerun tools/gen_unicode_tables.py').toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
