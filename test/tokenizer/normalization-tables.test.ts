// The generated tables behind NFC/NFKC/NFKD (normalization_data.cc) and
// Digits (numeric_char_data.cc) against HF tokenizers on every code point,
// so that a tokenizers upgrade that moves its Unicode versions shows up
// here, and the committed normalization tables against their generator.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const python = join(repoRoot, '.venv', 'bin', 'python');
const normalizationGenerator = join(repoRoot, 'tools', 'gen_normalization_tables.py');
const numericGenerator = join(repoRoot, 'tools', 'gen_numeric_table.py');

function checkHf(generator: string): void {
  const check = spawnSync(python, [generator, '--check-hf'], { cwd: repoRoot, encoding: 'utf8', timeout: 110_000 });
  const output = `${check.stdout ?? ''}${check.stderr ?? ''}`;
  expect(output).toMatch(/check-hf: 0 differences/);
  expect(check.status, output).toBe(0);
}

describe('Unicode normalization and numeric tables', () => {
  it('compose and decompose every code point as HF NFC, NFKC and NFKD do, as generated', () => {
    checkHf(normalizationGenerator);
    const dir = mkdtempSync(join(tmpdir(), 'fasterbert-normalization-'));
    try {
      const out = join(dir, 'normalization_data.cc');
      const gen = spawnSync(python, [normalizationGenerator, '--out', out], { cwd: repoRoot, encoding: 'utf8' });
      expect(gen.status, `${gen.stdout ?? ''}${gen.stderr ?? ''}`).toBe(0);
      const committed = join(repoRoot, 'backend-cpp', 'text', 'normalization_data.cc');
      const fresh = readFileSync(out, 'utf8') === readFileSync(committed, 'utf8');
      expect(fresh, 'normalization_data.cc is stale: rerun tools/gen_normalization_tables.py').toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("hold exactly the code points HF's Digits splits on", () => {
    checkHf(numericGenerator);
  }, 120_000);
});
