// The C++ tokenizer against HF tokenizers on the committed corpus: runs
// parity.py, which drives the fasterbert_tokenize CLI that the C++ build
// makes (FASTERBERT_TOKENIZE_BIN, default build/backend-cpp/text/).
import { describe, expect, it } from 'vitest';
import {
  expectGeneratedFileIsCommitted,
  expectHfCheckPasses,
  runPython,
  summaryNumbers,
  tokenizeBin,
} from '../python-script.js';

const tablesGenerator = 'tools/gen_unicode_tables.py';

describe('tokenizer parity with HF tokenizers', () => {
  it('gives the same ids, type ids, masks and offsets on the whole corpus', () => {
    const run = runPython('test/tokenizer/parity.py', ['--bin', tokenizeBin], {
      timeoutMs: 110_000,
      env: { ...process.env, FASTERBERT_TOKENIZE_BIN: tokenizeBin },
    });
    const [passed, failed] = summaryNumbers(run, /tokenizer parity: (\d+) passed, (\d+) failed/);
    expect(failed, run.output).toBe(0);
    // 32,000 strings of test/tokenizer/corpus under their configs.
    expect(passed, run.output).toBeGreaterThanOrEqual(130_000);
    expect(run.status, run.output).toBe(0);
  }, 120_000);

  it('has Unicode tables that match every code point of HF and the generator output', () => {
    // Exhaustive probe of HF's normalizer and pre-tokenizer, so that a
    // tokenizers upgrade that moves its Unicode tables shows up here.
    expectHfCheckPasses(tablesGenerator);
    expectGeneratedFileIsCommitted(tablesGenerator, 'backend-cpp/text/unicode_data.cc');
  }, 120_000);
});
