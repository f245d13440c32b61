// Word ids (which tokens make one word, what QA widens answers to) of the
// C++ tokenizer against HF tokenizers' Encoding.word_ids, per family: the
// committed tokenizer.json files of test/assets/tokenizers (the generic
// runtime's pre-tokenizer splits) and a plain BERT tokenizer.json (the fast
// WordPiece path). Runs word_ids_parity.py, which drives the
// fasterbert_tokenize CLI's --words on family_parity.py's seeded corpus.
import { describe, expect, it } from 'vitest';
import { runPython, summaryNumbers, tokenizeBin } from '../python-script.js';

const script = 'test/tokenizer/word_ids_parity.py';

const tokenizers = [
  'xlmr-unigram',
  'xlmr-unigram-bytefallback',
  'roberta-bpe',
  'hf-unigram-metaspace',
  'bpe-whitespace',
  'bert',
];

describe('word ids as HF tokenizers numbers words, per family', () => {
  for (const name of tokenizers) {
    it(`${name}: the same tokens start words on 17,000+ strings`, () => {
      const run = runPython(script, ['--bin', tokenizeBin, '--family', name], { timeoutMs: 110_000 });
      const [strings, passed, failed] = summaryNumbers(
        run,
        new RegExp(`word ids ${name}: (\\d+) strings, (\\d+) passed, (\\d+) failed`),
      );
      expect(failed, run.output).toBe(0);
      expect(strings, run.output).toBeGreaterThanOrEqual(17_000);
      expect(passed, run.output).toBe(strings);
      expect(run.status, run.output).toBe(0);
    }, 120_000);
  }
});
