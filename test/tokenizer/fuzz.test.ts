// libFuzzer over the C++ tokenizer under ASan+UBSan: the WordPiece target
// for 60 s, then four other tokenizer families for 30 s each
// (test/tokenizer/fuzz/run.sh, which installs clang from Debian when it is
// missing and builds the target). The runs are single-threaded, so two go
// at a time: each still fuzzes for its full time, on its own core.
// Longer runs on demand:
//   bash test/tokenizer/fuzz/run.sh 3600
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProcessSlots, type ProcessRun } from '../process-slots.js';
import { repoRoot } from '../python-script.js';

const script = join(repoRoot, 'test', 'tokenizer', 'fuzz', 'run.sh');
const seconds = process.env['FASTERBERT_FUZZ_SECONDS'] ?? '60';
const familySeconds = process.env['FASTERBERT_FUZZ_FAMILY_SECONDS'] ?? '30';
const slots = new ProcessSlots(2);
// Room for a first apt-get install of clang and the build.
const runTimeoutMs = 900_000;

function fuzz(time: string, env: NodeJS.ProcessEnv): Promise<ProcessRun> {
  return slots.run('bash', [script, time], { cwd: repoRoot, env, timeoutMs: runTimeoutMs });
}

function expectClean(run: ProcessRun): void {
  expect(run.output).toMatch(/tokenizer fuzz: \d+ runs in \d+s, no crash, no failed check/);
  expect(run.status, run.output.slice(-8000)).toBe(0);
}

// A run's own time and a wait for a slot.
const timeoutMs = 2 * runTimeoutMs;

describe.concurrent('tokenizer fuzzing', () => {
  it(`survives ${seconds} s of libFuzzer with ASan and UBSan, every check holding`, async () => {
    expectClean(await fuzz(seconds, process.env));
  }, timeoutMs);

  // The other families: the target builds its tokenizer from the file
  // (FUZZ_TOKENIZER_JSON) and checks Encode/EncodePair's invariants.
  for (const family of ['xlmr-unigram', 'roberta-bpe', 'hf-unigram-metaspace', 'mpnet-wordpiece']) {
    it(`${family}: survives ${familySeconds} s of libFuzzer with ASan and UBSan`, async () => {
      const file = join(repoRoot, 'test', 'assets', 'tokenizers', `${family}.json`);
      expectClean(await fuzz(familySeconds, { ...process.env, FUZZ_TOKENIZER_JSON: file }));
    }, timeoutMs);
  }
});
