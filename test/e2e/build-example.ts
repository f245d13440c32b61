// Builds an example pipeline with the real CLI (`codegen build`) into
// build/e2e/<repo>; the codegen's content hash makes a second build in the
// same run (or after `npm start`) skip the compile.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './triton-server.js';

// With FASTERBERT_SANITIZE=1 (scripts/test-asan.sh) the backend is built with
// ASan+UBSan (codegen reads the variable) in build/pipelines-asan, into
// <repositoryDir>-asan, so sanitizer and plain builds never overwrite each other.
export function buildExample(pipelineFile: string, repositoryDir: string): string {
  const sanitize = process.env['FASTERBERT_SANITIZE'] === '1';
  const out = path.join(repoRoot, sanitize ? `${repositoryDir}-asan` : repositoryDir);
  const buildDir = sanitize ? ['--build-dir', path.join(repoRoot, 'build/pipelines-asan')] : [];
  execFileSync('node', [path.join(repoRoot, 'bin/codegen.js'), 'build', pipelineFile, '--out', out, ...buildDir], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  return out;
}
