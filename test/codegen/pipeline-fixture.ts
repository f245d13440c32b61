// Helpers for codegen tests: pipeline files written into a fresh temporary
// folder beside copies of the tiny fixture assets, and positions in them.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { formatDiagnostic, PipelineCheckError } from '../../codegen/frontend/diagnostics.js';

export const fixturesDir = fileURLToPath(new URL('./fixtures/', import.meta.url));
export const assetsDir = join(fixturesDir, 'assets');
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/** The tiny fixture pipeline; tests swap parts of it with String.replace. */
export const basePipelineSource = `import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'tiny_embeddings',
  maxBatchSize: 8,
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { vocab: './assets/vocab.txt', maxLength: 16 });
    const hidden = engine(tokens, { onnx: './assets/model.onnx' });
    return [output('embedding', normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask)))];
  },
});
`;

const madeFolders: string[] = [];

/** A fresh temporary folder, removed when the test file is done. */
export function temporaryFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  madeFolders.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of madeFolders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export interface PipelineFolder {
  readonly dir: string;
  readonly pipelineFile: string;
  readonly source: string;
}

/** A temporary folder with assets/ (copies of the fixture assets), extra files, and pipeline.ts holding `source`. */
export function writePipeline(source: string, extraFiles: Readonly<Record<string, string>> = {}): PipelineFolder {
  const dir = temporaryFolder('faster-bert-codegen-');
  cpSync(assetsDir, join(dir, 'assets'), { recursive: true });
  for (const [name, text] of Object.entries(extraFiles)) writeFileSync(join(dir, name), text);
  const pipelineFile = join(dir, 'pipeline.ts');
  writeFileSync(pipelineFile, source);
  return { dir, pipelineFile, source };
}

/** `file:line:col` prefix (file relative to cwd, as diagnostics print it) of the first occurrence of `needle`. */
export function locationPrefix(folder: PipelineFolder, needle: string): string {
  const index = folder.source.indexOf(needle);
  if (index < 0) throw new Error(`'${needle}' is not in the source`);
  const linesBefore = folder.source.slice(0, index).split('\n');
  const column = (linesBefore.at(-1)?.length ?? 0) + 1;
  return formatDiagnostic({ location: { file: folder.pipelineFile, line: linesBefore.length, column }, message: '' }).replace(
    / error: $/,
    '',
  );
}

/** The formatted diagnostics that checking the pipeline raises; fails when it passes. */
export function checkErrors(pipelineFile: string): string[] {
  try {
    checkPipeline(pipelineFile);
  } catch (error) {
    if (error instanceof PipelineCheckError) return error.diagnostics.map((diagnostic) => formatDiagnostic(diagnostic));
    throw error;
  }
  throw new Error(`${pipelineFile} passed the check`);
}

/** Whether g++ is here to syntax-check rendered C++ (tests that need it are skipped without). */
export const hasCompiler = spawnSync('g++', ['--version']).status === 0;

/** Expects a rendered pipeline_spec.cc to compile, warnings as errors, against backend-cpp's pipeline_spec.h. */
export function expectSpecCompiles(spec: string): void {
  const dir = temporaryFolder('faster-bert-spec-');
  writeFileSync(join(dir, 'pipeline_spec.cc'), spec);
  const run = spawnSync('g++', ['-std=c++17', '-Wall', '-Werror', '-fsyntax-only', '-I', join(repoRoot, 'backend-cpp'), 'pipeline_spec.cc'], {
    cwd: dir,
    encoding: 'utf8',
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
}
