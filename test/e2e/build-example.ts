// Builds an example pipeline with the real CLI (`codegen build`) into
// build/e2e/<repo>; the codegen's content hash makes a second build in the
// same run (or after `npm start`) skip the compile.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './triton-server.js';

export function buildExample(pipelineFile: string, repositoryDir: string): string {
  const out = path.join(repoRoot, repositoryDir);
  execFileSync('node', [path.join(repoRoot, 'bin/codegen.js'), 'build', pipelineFile, '--out', out], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  return out;
}
