// Runs one of the repository's Python checks (against HF tokenizers, ONNX
// Runtime, numpy) with the project's venv, and reads the summary line it
// prints, so each test states only its script, arguments and bounds.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { ProcessRun, ProcessSlots } from './process-slots.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const python = join(repoRoot, '.venv', 'bin', 'python');
/** The C++ build's tokenizer CLI (FASTERBERT_TOKENIZE_BIN, default build/backend-cpp/text/), which the parity checks drive. */
export const tokenizeBin =
  process.env['FASTERBERT_TOKENIZE_BIN'] ?? join(repoRoot, 'build', 'backend-cpp', 'text', 'fasterbert_tokenize');

export type PythonRun = ProcessRun;

/** `script` is relative to the repository root, which is also the working directory. */
export function runPython(
  script: string,
  args: readonly string[],
  options: { readonly timeoutMs: number; readonly env?: NodeJS.ProcessEnv },
): PythonRun {
  const path = join(repoRoot, script);
  const run = spawnSync(python, [path, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: options.env ?? process.env,
    maxBuffer: 16 * 1024 * 1024,
    timeout: options.timeoutMs,
  });
  if (run.error) throw new Error(`could not run ${python} ${path}: ${run.error.message}`);
  return { status: run.status, output: `${run.stdout ?? ''}\n${run.stderr ?? ''}` };
}

/** runPython in one of `slots`, for checks that go side by side. */
export function runPythonInSlot(
  slots: ProcessSlots,
  script: string,
  args: readonly string[],
  options: { readonly timeoutMs: number; readonly env?: NodeJS.ProcessEnv },
): Promise<PythonRun> {
  return slots.run(python, [join(repoRoot, script), ...args], { cwd: repoRoot, ...options });
}

/** The numbers the summary line's groups capture; fails the test when the line is missing. */
export function summaryNumbers(run: PythonRun, summary: RegExp): number[] {
  const match = summary.exec(run.output);
  expect(match, run.output).not.toBeNull();
  return (match ?? []).slice(1).map(Number);
}

/** A table generator's `--check-hf` probe (every code point through HF) finds no difference. */
export function expectHfCheckPasses(generator: string): void {
  const run = runPython(generator, ['--check-hf'], { timeoutMs: 110_000 });
  expect(run.output).toMatch(/check-hf: 0 differences/);
  expect(run.status, run.output).toBe(0);
}

/** The generator, run with `--out` into a temporary folder, writes exactly the committed file. */
export function expectGeneratedFileIsCommitted(generator: string, committed: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'fasterbert-generated-'));
  try {
    const out = join(dir, basename(committed));
    const run = runPython(generator, ['--out', out], { timeoutMs: 110_000 });
    expect(run.status, run.output).toBe(0);
    const fresh = readFileSync(out, 'utf8') === readFileSync(join(repoRoot, committed), 'utf8');
    expect(fresh, `${committed} is stale: rerun ${generator}`).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
