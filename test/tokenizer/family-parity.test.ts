// The C++ tokenizer against HF tokenizers per tokenizer family (XLM-R
// Unigram, RoBERTa byte-level BPE, HF Unigram, BPE + Whitespace) on the
// trained tokenizer.json files of test/assets/tokenizers: runs
// family_parity.py, which generates its corpus (seeded) and drives the
// fasterbert_tokenize CLI (FASTERBERT_TOKENIZE_BIN, default
// build/backend-cpp/text/). Every committed family must run: a file the CLI
// refuses as 'not supported' fails here. The hand-made variants (a family's
// file with its normalizer or pre-tokenizer swapped for NFC, NFKD, Digits...)
// run the same way on the suites that exercise them.
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const python = join(repoRoot, '.venv', 'bin', 'python');
const script = join(repoRoot, 'test', 'tokenizer', 'family_parity.py');
const tokenizeBin =
  process.env['FASTERBERT_TOKENIZE_BIN'] ??
  join(repoRoot, 'build', 'backend-cpp', 'text', 'fasterbert_tokenize');

const families = [
  'xlmr-unigram',
  'xlmr-unigram-bytefallback',
  'roberta-bpe',
  'hf-unigram-metaspace',
  'bpe-whitespace',
];

describe('tokenizer parity with HF tokenizers, per family', () => {
  for (const family of families) {
    it(`${family}: same ids, type ids, masks and byte offsets on 21,000+ strings`, () => {
      const run = spawnSync(python, [script, '--bin', tokenizeBin, '--family', family], {
        cwd: repoRoot,
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        timeout: 290_000,
      });
      const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
      if (run.error) throw new Error(`could not run ${python} ${script}: ${run.error.message}`);
      expect(output, output).not.toMatch(new RegExp(`family parity ${family}: skipped`));
      const summary = new RegExp(
        `family parity ${family}: (\\d+) strings, (\\d+) passed, (\\d+) failed`,
      ).exec(output);
      expect(summary, output).not.toBeNull();
      const [, strings, passed, failed] = summary ?? [];
      expect(Number(failed), output).toBe(0);
      // 21,606 generated strings; the truncation suite runs under 12 configs.
      expect(Number(strings), output).toBeGreaterThanOrEqual(21_000);
      expect(Number(passed), output).toBeGreaterThanOrEqual(30_000);
      expect(run.status, output).toBe(0);
    }, 300_000);
  }
});

const variants = ['nfc', 'nfkd', 'nfkd-nfc-lowercase', 'digits-individual', 'digits-contiguous'];

describe('tokenizer parity with HF tokenizers, hand-made component variants', () => {
  for (const variant of variants) {
    it(`${variant}: same ids, type ids, masks and byte offsets on 13,000+ strings`, () => {
      const run = spawnSync(python, [script, '--bin', tokenizeBin, '--variant', variant], {
        cwd: repoRoot,
        encoding: 'utf8',
        maxBuffer: 16 * 1024 * 1024,
        timeout: 110_000,
      });
      const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
      if (run.error) throw new Error(`could not run ${python} ${script}: ${run.error.message}`);
      const summary = new RegExp(
        `family parity ${variant}: (\\d+) strings, (\\d+) passed, (\\d+) failed`,
      ).exec(output);
      expect(summary, output).not.toBeNull();
      const [, strings, passed, failed] = summary ?? [];
      expect(Number(failed), output).toBe(0);
      expect(Number(strings), output).toBeGreaterThanOrEqual(13_000);
      expect(Number(passed), output).toBe(Number(strings));
      expect(run.status, output).toBe(0);
    }, 120_000);
  }
});
