// The C++ tokenizer against HF tokenizers per tokenizer family (XLM-R
// Unigram, RoBERTa byte-level BPE, HF Unigram, BPE + Whitespace, MPNet's
// WordPiece, which runs on the fast BERT path) on the
// trained tokenizer.json files of test/assets/tokenizers: runs
// family_parity.py, which generates its corpus (seeded) and drives the
// fasterbert_tokenize CLI (FASTERBERT_TOKENIZE_BIN, default
// build/backend-cpp/text/). Every committed family must run: a file the CLI
// refuses as 'not supported' fails here. The hand-made variants (a family's
// file with its normalizer or pre-tokenizer swapped for NFC, NFKD, Digits...)
// run the same way on the suites that exercise them. Two runs go at a time:
// each is mostly one Python thread, and the machine has 2 cores.
import { describe, expect, it } from 'vitest';
import { ProcessSlots } from '../process-slots.js';
import { runPythonInSlot, summaryNumbers, tokenizeBin } from '../python-script.js';

const script = 'test/tokenizer/family_parity.py';
const slots = new ProcessSlots(2);
// A test waits for a slot behind the others, then runs under its own timeout.
const testTimeoutMs = 1_200_000;

const families = [
  'xlmr-unigram',
  'xlmr-unigram-bytefallback',
  'roberta-bpe',
  'hf-unigram-metaspace',
  'bpe-whitespace',
  'mpnet-wordpiece',
];

describe.concurrent('tokenizer parity with HF tokenizers, per family', () => {
  for (const family of families) {
    it(`${family}: same ids, type ids, masks and byte offsets on 21,000+ strings`, async () => {
      const run = await runPythonInSlot(slots, script, ['--bin', tokenizeBin, '--family', family], { timeoutMs: 290_000 });
      expect(run.output, run.output).not.toMatch(new RegExp(`family parity ${family}: skipped`));
      const [strings, passed, failed] = summaryNumbers(
        run,
        new RegExp(`family parity ${family}: (\\d+) strings, (\\d+) passed, (\\d+) failed`),
      );
      expect(failed, run.output).toBe(0);
      // 21,606 generated strings; the truncation suite runs under 12 configs (its 34 largest pairs under 11).
      expect(strings, run.output).toBeGreaterThanOrEqual(21_000);
      expect(passed, run.output).toBeGreaterThanOrEqual(30_000);
      expect(run.status, run.output).toBe(0);
    }, testTimeoutMs);
  }
});

const variants = ['nfc', 'nfkd', 'nfkd-nfc-lowercase', 'digits-individual', 'digits-contiguous'];

describe.concurrent('tokenizer parity with HF tokenizers, hand-made component variants', () => {
  for (const variant of variants) {
    it(`${variant}: same ids, type ids, masks and byte offsets on 13,000+ strings`, async () => {
      const run = await runPythonInSlot(slots, script, ['--bin', tokenizeBin, '--variant', variant], { timeoutMs: 110_000 });
      const [strings, passed, failed] = summaryNumbers(
        run,
        new RegExp(`family parity ${variant}: (\\d+) strings, (\\d+) passed, (\\d+) failed`),
      );
      expect(failed, run.output).toBe(0);
      expect(strings, run.output).toBeGreaterThanOrEqual(13_000);
      expect(passed, run.output).toBe(strings);
      expect(run.status, run.output).toBe(0);
    }, testTimeoutMs);
  }
});
