import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The faster-bert checkout this code runs from (the folder of its
 * package.json), found by walking up from this module: the same answer for
 * codegen/ under vitest and for dist/codegen/ under the CLI.
 */
export function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
      if (typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === 'faster-bert') {
        return dir;
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the faster-bert package.json above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** The Python of the project's virtual environment (FASTER_BERT_PYTHON overrides it). */
export function projectPython(): string {
  return process.env['FASTER_BERT_PYTHON'] ?? join(projectRoot(), '.venv', 'bin', 'python');
}
