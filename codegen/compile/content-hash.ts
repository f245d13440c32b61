import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

// Build outputs and tool caches that may sit inside a source tree; they do
// not change what the sources compile to.
const skippedDirectories = new Set(['build', 'node_modules', '__pycache__']);

function listFiles(root: string, dir: string, into: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skippedDirectories.has(entry.name) && !entry.name.startsWith('cmake-build')) listFiles(root, path, into);
    } else if (entry.isFile()) {
      into.push(relative(root, path));
    }
  }
}

/** sha256 over the relative paths and contents of the files under `root`, in a fixed order. */
export function hashDirectory(root: string): string {
  const files: string[] = [];
  listFiles(root, root, files);
  files.sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

/** sha256 of one file's bytes. */
export function hashFile(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function hashText(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}
