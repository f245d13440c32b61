// Builds an example pipeline with the real CLI (`codegen build`) into
// build/e2e/<repo>; the codegen's content hash makes a second build in the
// same run (or after `npm start`) skip the compile.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './triton-server.js';

// With FASTERBERT_SANITIZE=1 (scripts/test-asan.sh) the backend is built with
// ASan+UBSan (codegen reads the variable) in <buildDir>-asan (default
// build/pipelines-asan), into <repositoryDir>-asan, so sanitizer and plain
// builds never overwrite each other.
export interface CodegenBuild {
  /** The model repository written. */
  readonly out: string;
  readonly status: number | null;
  /** stdout then stderr. */
  readonly output: string;
  readonly stderr: string;
}

export function codegenBuild(
  pipelineFile: string,
  repositoryDir: string,
  options: { readonly buildDir?: string; readonly env?: Readonly<Record<string, string>> } = {},
): CodegenBuild {
  const sanitize = process.env['FASTERBERT_SANITIZE'] === '1';
  const out = path.resolve(repoRoot, sanitize ? `${repositoryDir}-asan` : repositoryDir);
  const buildDir = sanitize ? `${options.buildDir ?? path.join(repoRoot, 'build/pipelines')}-asan` : options.buildDir;
  const run = spawnSync(
    'node',
    [path.join(repoRoot, 'bin/codegen.js'), 'build', pipelineFile, '--out', out, ...(buildDir === undefined ? [] : ['--build-dir', buildDir])],
    { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, ...options.env } },
  );
  return { out, status: run.status, output: `${run.stdout ?? ''}${run.stderr ?? ''}`, stderr: run.stderr ?? '' };
}

/** Builds an example; fails with codegen's output when the build fails. */
export function buildExample(pipelineFile: string, repositoryDir: string): string {
  const build = codegenBuild(pipelineFile, repositoryDir);
  process.stdout.write(build.output);
  if (build.status !== 0) throw new Error(`codegen build ${pipelineFile} failed (exit ${build.status}):\n${build.output}`);
  return build.out;
}
