// npm test's closing lines: counts tests (not files) over every runner, and
// names each skipped test with why it was skipped. Failures come last, just
// above the count, with their first message line: a log cut to its tail
// (as CI's summaries are) still names what failed.
//
// Usage: node scripts/test-summary.mjs --ctest FILE.xml ... --vitest FILE.json
//   [--vitest-errors FILE.json]
// ctest's JUnit files (ctest --output-junit) and vitest's JSON report, with
// what scripts/vitest-errors-reporter.mjs wrote (the errors of hooks and
// outside tests, which the JSON report leaves out). A runner whose report is
// missing counts as one failure: it did not run.
import { existsSync, readFileSync } from 'node:fs';

const ctestFiles = [];
const vitestFiles = [];
const vitestErrorFiles = [];
let target = null;
for (const arg of process.argv.slice(2)) {
  if (arg === '--ctest') target = ctestFiles;
  else if (arg === '--vitest') target = vitestFiles;
  else if (arg === '--vitest-errors') target = vitestErrorFiles;
  else if (target === null) throw new Error(`unexpected argument ${arg}`);
  else target.push(arg);
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const skips = [];
const failures = [];

function unescapeXml(text) {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

// A report's message down to its first line that says something: the
// summary names, the log above explains.
function firstLine(text) {
  return (String(text).split('\n').find((line) => line.trim() !== '') ?? '').trim().slice(0, 300);
}

// GoogleTest prints "file:line: Skipped" then the message given to
// GTEST_SKIP, and "file:line: Failure" then what did not hold.
// Returns that place and the message's first line.
function gtestReason(output, marker) {
  const lines = output.split('\n');
  const at = lines.findIndex((line) => line.trim().endsWith(` ${marker}`));
  const message = at >= 0 ? lines.slice(at + 1).find((line) => line.trim() !== '') : undefined;
  return message === undefined ? undefined : { place: lines[at].trim(), message: message.trim() };
}

// What a failed ctest test printed that says why: GoogleTest's failed
// check, else a sanitizer's SUMMARY line, else its last line (ctest records
// no signal: a test that crashed silently printed nothing).
function ctestFailure(output) {
  const check = gtestReason(output, 'Failure');
  if (check !== undefined) return `${check.place} ${check.message}`;
  const lines = output.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const sanitizer = lines.find((line) => line.startsWith('SUMMARY: '));
  if (sanitizer !== undefined) return firstLine(sanitizer);
  return lines.length === 0 ? 'printed nothing (a crash? see its ctest log)' : firstLine(lines.at(-1));
}

for (const file of ctestFiles) {
  if (!existsSync(file)) {
    totals.failed += 1;
    failures.push(`${file}: missing (the C++ build or ctest did not run)`);
    continue;
  }
  const xml = readFileSync(file, 'utf8');
  for (const match of xml.matchAll(/<testcase name="([^"]*)"[^>]*status="([^"]*)"[^>]*>([\s\S]*?)<\/testcase>/g)) {
    const [, name, status, body] = match;
    const output = unescapeXml(/<system-out>([\s\S]*?)<\/system-out>/.exec(body)?.[1] ?? '');
    if (status === 'notrun' || body.includes('<skipped')) {
      totals.skipped += 1;
      const why = gtestReason(output, 'Skipped')?.message ?? 'skipped (no reason printed)';
      skips.push(`${unescapeXml(name)} (ctest ${file}): ${why}`);
    } else if (body.includes('<failure')) {
      totals.failed += 1;
      failures.push(`${unescapeXml(name)} (ctest ${file}): ${ctestFailure(output)}`);
    } else {
      totals.passed += 1;
    }
  }
}

// { file: [messages] }, '' for errors outside any file; absent when vitest
// wrote none (the reporter writes a file only when it ran).
const vitestErrors = {};
for (const file of vitestErrorFiles) {
  if (existsSync(file)) Object.assign(vitestErrors, JSON.parse(readFileSync(file, 'utf8')));
}
for (const message of vitestErrors[''] ?? []) {
  totals.failed += 1;
  failures.push(`vitest, outside any test: ${firstLine(message)}`);
}

for (const file of vitestFiles) {
  if (!existsSync(file)) {
    totals.failed += 1;
    failures.push(`${file}: missing (vitest did not run)`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  for (const suite of report.testResults ?? []) {
    const tests = suite.assertionResults ?? [];
    // A file that failed outside its tests (an import error, a hook that
    // threw: its tests then count as skipped) is one failure.
    if (suite.status === 'failed' && !tests.some((t) => t.status === 'failed')) {
      totals.failed += 1;
      const why = [suite.message ?? '', ...(vitestErrors[suite.name] ?? [])].map(firstLine).filter((l) => l !== '');
      failures.push(`${suite.name}: ${why.length === 0 ? 'failed (no message)' : why.join('; ')}`);
    }
    for (const test of tests) {
      if (test.status === 'passed') totals.passed += 1;
      else if (test.status === 'failed') {
        totals.failed += 1;
        const why = firstLine(test.failureMessages?.[0] ?? '');
        failures.push(`${test.fullName} (${suite.name})${why === '' ? '' : `: ${why}`}`);
      } else {
        totals.skipped += 1;
        // Our skipped tests say in their names what they need.
        skips.push(`${test.fullName} (vitest ${suite.name.replace(`${process.cwd()}/`, '')}): ${test.status}`);
      }
    }
  }
}

for (const line of skips) console.log(`[test] skipped: ${line}`);
for (const line of failures) console.log(`[test] failed: ${line}`);
const skipped = totals.skipped > 0 ? `, ${totals.skipped} skipped` : '';
console.log(`total: ${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(totals.failed > 0 ? 1 : 0);
