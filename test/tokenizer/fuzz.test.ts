// libFuzzer over the C++ tokenizer under ASan+UBSan: the WordPiece target
// for 60 s, then three other tokenizer families for 30 s each
// (test/tokenizer/fuzz/run.sh, which installs clang from Debian when it is
// missing and builds the target). The runs are single-threaded, so two go
// at a time: each still fuzzes for its full time, on its own core.
// Longer runs on demand:
//   bash test/tokenizer/fuzz/run.sh 3600
import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(repoRoot, 'test', 'tokenizer', 'fuzz', 'run.sh');
const seconds = process.env['FASTERBERT_FUZZ_SECONDS'] ?? '60';
const familySeconds = process.env['FASTERBERT_FUZZ_FAMILY_SECONDS'] ?? '30';
const runsAtOnce = 2;

interface FuzzRun {
  readonly status: number | null;
  readonly output: string;
}

// At most runsAtOnce runs at a time; the others wait their turn.
let running = 0;
const waiting: (() => void)[] = [];
async function takeSlot(): Promise<void> {
  if (running < runsAtOnce) {
    running += 1;
    return;
  }
  await new Promise<void>((resolveSlot) => waiting.push(resolveSlot));
}
function releaseSlot(): void {
  const next = waiting.shift();
  if (next) next(); // the slot passes on
  else running -= 1;
}

async function fuzz(time: string, env: NodeJS.ProcessEnv): Promise<FuzzRun> {
  await takeSlot();
  try {
    return await new Promise<FuzzRun>((resolveRun, rejectRun) => {
      const child = spawn('bash', [script, time], { cwd: repoRoot, env });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('error', (error) => rejectRun(new Error(`could not run ${script}: ${error.message}`)));
      child.on('close', (status) => resolveRun({ status, output }));
    });
  } finally {
    releaseSlot();
  }
}

function expectClean(run: FuzzRun): void {
  expect(run.output).toMatch(/tokenizer fuzz: \d+ runs in \d+s, no crash, no failed check/);
  expect(run.status, run.output.slice(-8000)).toBe(0);
}

// Room for a first apt-get install of clang and the build, and a wait for a slot.
const timeoutMs = 960_000;

describe.concurrent('tokenizer fuzzing', () => {
  it(`survives ${seconds} s of libFuzzer with ASan and UBSan, every check holding`, async () => {
    expectClean(await fuzz(seconds, process.env));
  }, timeoutMs);

  // The other families: the target builds its tokenizer from the file
  // (FUZZ_TOKENIZER_JSON) and checks Encode/EncodePair's invariants.
  for (const family of ['xlmr-unigram', 'roberta-bpe', 'hf-unigram-metaspace']) {
    it(`${family}: survives ${familySeconds} s of libFuzzer with ASan and UBSan`, async () => {
      const file = join(repoRoot, 'test', 'assets', 'tokenizers', `${family}.json`);
      expectClean(await fuzz(familySeconds, { ...process.env, FUZZ_TOKENIZER_JSON: file }));
    }, timeoutMs);
  }
});
