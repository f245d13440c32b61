// npm test's closing lines (scripts/test-summary.mjs) over reports in the
// formats ctest --output-junit and vitest's JSON reporter write: every test
// counted once, skips with their reasons, and failures last, just above the
// count, with what failed (CI's summary keeps only the log's tail). The last
// test runs real vitest over fixtures whose errors its JSON report leaves out
// (a failed hook, an unhandled rejection), which scripts/vitest-errors-reporter.mjs keeps.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../python-script.js';

const script = join(repoRoot, 'scripts', 'test-summary.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'faster-bert-summary-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const junit = (failed: boolean) => `<?xml version="1.0" encoding="UTF-8"?>
<testsuite name="Linux-c++" tests="4" failures="${failed ? 2 : 0}" disabled="0" skipped="1">
  <testcase name="PoolingTest.MeanOverMask" classname="PoolingTest.MeanOverMask" time="0.01" status="run">
    <system-out>[ RUN      ] PoolingTest.MeanOverMask
[       OK ] PoolingTest.MeanOverMask (0 ms)</system-out>
  </testcase>
  <testcase name="PoolingTest.L2" classname="PoolingTest.L2" time="0.01" status="${failed ? 'fail' : 'run'}">
    ${failed ? '<failure message="Failed"/>' : ''}
    <system-out>[ RUN      ] PoolingTest.L2
${failed ? `/src/backend-cpp/tests/pooling_test.cc:42: Failure
Expected equality of these values:
  norm
    Which is: 0.5
[  FAILED  ]` : '[       OK ]'} PoolingTest.L2 (0 ms)</system-out>
  </testcase>
  <testcase name="ResponseThreadTest.Stops" classname="ResponseThreadTest.Stops" time="0.02" status="${failed ? 'fail' : 'run'}">
    ${failed ? '<failure message=""/>' : ''}
    <system-out>[ RUN      ] ResponseThreadTest.Stops
${failed ? `==7==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010
    #0 0x55 in Responder::Send /src/backend-cpp/pipeline/response_thread.cc:40:3
SUMMARY: AddressSanitizer: heap-use-after-free /src/backend-cpp/pipeline/response_thread.cc:40:3 in Responder::Send
==7==ABORTING` : '[       OK ] ResponseThreadTest.Stops (0 ms)'}</system-out>
  </testcase>
  <testcase name="CudaTest.Pools" classname="CudaTest.Pools" time="0" status="notrun">
    <skipped message="Skipped"/>
    <system-out>/src/backend-cpp/tests/cuda_test.cc:9: Skipped

no CUDA device
</system-out>
  </testcase>
</testsuite>
`;

const vitest = (failed: boolean) => ({
  testResults: [
    {
      name: `${repoRoot}/test/e2e/a.test.ts`,
      status: failed ? 'failed' : 'passed',
      message: '',
      assertionResults: [
        { fullName: 'embeddings match the reference', status: 'passed', failureMessages: [] },
        {
          fullName: 'embeddings stay up',
          status: failed ? 'failed' : 'passed',
          failureMessages: failed ? ['AssertionError: expected false to be true\n    at a.test.ts:10:5'] : [],
        },
        { fullName: 'the image serves (run by npm run test:image)', status: 'skipped', failureMessages: [] },
      ],
    },
    {
      name: `${repoRoot}/test/e2e/b.test.ts`,
      status: failed ? 'failed' : 'passed',
      message: failed ? "Error: Cannot find module './gone.js'\nmore" : '',
      assertionResults: [],
    },
  ],
});

function summarize(name: string, failed: boolean, extra: readonly string[] = []) {
  const junitFile = join(scratch, `${name}.xml`);
  const vitestFile = join(scratch, `${name}.json`);
  writeFileSync(junitFile, junit(failed));
  writeFileSync(vitestFile, JSON.stringify(vitest(failed)));
  const run = spawnSync('node', [script, '--ctest', junitFile, ...extra, '--vitest', vitestFile], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { status: run.status, lines: run.stdout.trim().split('\n') };
}

describe('test-summary.mjs', () => {
  it('counts every test once over both runners and exits 0 when none failed', () => {
    const { status, lines } = summarize('green', false);
    expect(status).toBe(0);
    expect(lines.at(-1)).toBe('total: 5 passed, 0 failed, 2 skipped');
    expect(lines.filter((line) => line.startsWith('[test] failed'))).toEqual([]);
  });

  it('names skips with their reasons, then failures with what failed, just above the count', () => {
    const { status, lines } = summarize('red', true);
    expect(status).toBe(1);
    expect(lines.at(-1)).toBe('total: 2 passed, 4 failed, 2 skipped');
    const firstFailure = lines.findIndex((line) => line.startsWith('[test] failed'));
    expect(lines.slice(0, firstFailure).every((line) => line.startsWith('[test] skipped'))).toBe(true);
    expect(lines.slice(firstFailure, -1)).toEqual([
      `[test] failed: PoolingTest.L2 (ctest ${join(scratch, 'red.xml')}): ` +
        '/src/backend-cpp/tests/pooling_test.cc:42: Failure Expected equality of these values:',
      // A sanitizer's abort leaves no GoogleTest failure and an empty message: its SUMMARY line says why.
      `[test] failed: ResponseThreadTest.Stops (ctest ${join(scratch, 'red.xml')}): SUMMARY: AddressSanitizer: ` +
        'heap-use-after-free /src/backend-cpp/pipeline/response_thread.cc:40:3 in Responder::Send',
      `[test] failed: embeddings stay up (${repoRoot}/test/e2e/a.test.ts): AssertionError: expected false to be true`,
      `[test] failed: ${repoRoot}/test/e2e/b.test.ts: Error: Cannot find module './gone.js'`,
    ]);
    expect(lines).toContain(`[test] skipped: CudaTest.Pools (ctest ${join(scratch, 'red.xml')}): no CUDA device`);
    expect(lines).toContain(
      '[test] skipped: the image serves (run by npm run test:image) (vitest test/e2e/a.test.ts): skipped',
    );
  });

  it('names a failed hook\'s error and an unhandled one, from real vitest runs with the errors reporter', () => {
    const json = join(scratch, 'fixtures.json');
    const errors = join(scratch, 'fixtures-errors.json');
    const vitestRun = spawnSync(
      join(repoRoot, 'node_modules/.bin/vitest'),
      ['run', '--config', 'test/scripts/fixtures/vitest.config.ts', '--reporter=json', `--outputFile=${json}`,
        '--reporter=./scripts/vitest-errors-reporter.mjs'],
      { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, FASTERBERT_VITEST_ERRORS: errors } },
    );
    expect(vitestRun.status, vitestRun.stderr).toBe(1);
    const run = spawnSync('node', [script, '--vitest', json, '--vitest-errors', errors], { cwd: repoRoot, encoding: 'utf8' });
    const lines = run.stdout.trim().split('\n');
    expect(run.status).toBe(1);
    // The hook's test is skipped, the file failed once, the rejection is one more failure.
    expect(lines.at(-1)).toBe('total: 1 passed, 2 failed, 1 skipped');
    const hookFixture = join(repoRoot, 'test/scripts/fixtures/failing-hook.fixture.ts');
    expect(lines.slice(-3, -1).sort()).toEqual([
      `[test] failed: ${hookFixture}: in 'a server that never starts': ` +
        'Error: tritonserver exited with code 1; see build/logs/tritonserver-1.log',
      '[test] failed: vitest, outside any test: Error: socket closed while nobody listened',
    ].sort());
  });

  it('counts a runner whose report is missing as a failure', () => {
    const missing = join(scratch, 'never-written.xml');
    const { status, lines } = summarize('missing', false, [missing]);
    expect(status).toBe(1);
    expect(lines.at(-2)).toBe(`[test] failed: ${missing}: missing (the C++ build or ctest did not run)`);
    expect(lines.at(-1)).toBe('total: 5 passed, 1 failed, 2 skipped');
  });
});
