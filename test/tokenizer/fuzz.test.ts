// libFuzzer over the C++ tokenizer under ASan+UBSan for 60 s
// (test/tokenizer/fuzz/run.sh, which installs clang from Debian when it is
// missing and builds the target). Longer runs on demand:
//   bash test/tokenizer/fuzz/run.sh 3600
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(repoRoot, 'test', 'tokenizer', 'fuzz', 'run.sh');
const seconds = process.env['FASTERBERT_FUZZ_SECONDS'] ?? '60';
const familySeconds = process.env['FASTERBERT_FUZZ_FAMILY_SECONDS'] ?? '30';

describe('tokenizer fuzzing', () => {
  it(`survives ${seconds} s of libFuzzer with ASan and UBSan, every check holding`, () => {
    // Room for a first apt-get install of clang and the build.
    const run = spawnSync('bash', [script, seconds], {
      cwd: repoRoot,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 900_000,
    });
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
    if (run.error) throw new Error(`could not run ${script}: ${run.error.message}`);
    expect(output).toMatch(/tokenizer fuzz: \d+ runs in \d+s, no crash, no failed check/);
    expect(run.status, output.slice(-8000)).toBe(0);
  }, 960_000);

  // The other families: the target builds its tokenizer from the file
  // (FUZZ_TOKENIZER_JSON) and checks Encode/EncodePair's invariants.
  for (const family of ['xlmr-unigram', 'roberta-bpe', 'hf-unigram-metaspace']) {
    it(`${family}: survives ${familySeconds} s of libFuzzer with ASan and UBSan`, () => {
      const file = join(repoRoot, 'test', 'assets', 'tokenizers', `${family}.json`);
      const run = spawnSync('bash', [script, familySeconds], {
        cwd: repoRoot,
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        timeout: 900_000,
        env: { ...process.env, FUZZ_TOKENIZER_JSON: file },
      });
      const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
      if (run.error) throw new Error(`could not run ${script}: ${run.error.message}`);
      expect(output).toMatch(/tokenizer fuzz: \d+ runs in \d+s, no crash, no failed check/);
      expect(run.status, output.slice(-8000)).toBe(0);
    }, 960_000);
  }
});
