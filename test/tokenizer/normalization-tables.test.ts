// The generated tables behind NFC/NFKC/NFKD (normalization_data.cc) and
// Digits (numeric_char_data.cc) and the regex classes (general_category_data.cc)
// against HF tokenizers on every code point,
// so that a tokenizers upgrade that moves its Unicode versions shows up
// here, and the committed normalization tables against their generator.
import { describe, it } from 'vitest';
import { expectGeneratedFileIsCommitted, expectHfCheckPasses } from '../python-script.js';

describe('Unicode normalization and numeric tables', () => {
  it('compose and decompose every code point as HF NFC, NFKC and NFKD do, as generated', () => {
    expectHfCheckPasses('tools/gen_normalization_tables.py');
    expectGeneratedFileIsCommitted('tools/gen_normalization_tables.py', 'backend-cpp/text/normalization_data.cc');
  }, 120_000);

  it("hold exactly the code points HF's Digits splits on", () => {
    expectHfCheckPasses('tools/gen_numeric_table.py');
  }, 120_000);

  it("give the regex engine's \\p{L M N P S Z} and \\d exactly the code points HF's onig matches", () => {
    expectHfCheckPasses('tools/gen_general_category_table.py');
  }, 120_000);
});
