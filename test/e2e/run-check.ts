// Runs one of the Python check scripts against a served model and returns
// the JSON report it prints last.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { python, repoRoot } from './triton-server.js';

export function runCheck<Report>(script: string, args: readonly string[]): Report {
  const stdout = execFileSync(python, [path.join(repoRoot, 'test/e2e', script), ...args], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    cwd: path.join(repoRoot, 'test/e2e'),
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Report;
}
