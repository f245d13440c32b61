// Regex patterns in Split pre-tokenizers (GPT-2's, Llama-3's, \w+|[^\w\s]+,
// \s+, digits, ...; every behavior, invert or not) and Replace normalizers:
// the C++ tokenizer's own regex engine against HF tokenizers (Oniguruma) on
// tokenizer.json files regex_parity.py makes from the committed families,
// over the family corpus plus contractions and \r\n breaks.
import { describe, expect, it } from 'vitest';
import { runPython, summaryNumbers, tokenizeBin } from '../python-script.js';


describe('regex Split and Replace parity with HF tokenizers', () => {
  it('same ids, type ids, masks and byte offsets for every pattern, behavior and invert', () => {
    const run = runPython('test/tokenizer/regex_parity.py', ['--bin', tokenizeBin], { timeoutMs: 170_000 });
    const [variants, strings, passed, failed] = summaryNumbers(
      run,
      /regex parity: (\d+) variants, (\d+) strings, (\d+) passed, (\d+) failed/,
    );
    expect(failed, run.output).toBe(0);
    // 8 Split patterns x 5 behaviors x 2 inverts + 4 Replace patterns.
    expect(variants, run.output).toBe(84);
    expect(strings, run.output).toBeGreaterThanOrEqual(70_000);
    expect(passed, run.output).toBe(strings);
    expect(run.status, run.output).toBe(0);
  }, 180_000);
});
