// What scripts/prepare-models.sh reads from the checkout must reach the image
// build: copied by docker/Dockerfile before the step that runs it, and let
// through the allowlist docker/Dockerfile.dockerignore. Plain `npm test` does
// not build the image, so without this check a new input of the script breaks
// only `npm run test:image` (it did once: test/assets/tokenizers).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../e2e/triton-server.js';

const read = (file: string): string => readFileSync(path.join(repoRoot, file), 'utf8');

/** Checkout paths the script's commands read (models/ is what it writes; comments are skipped). */
function scriptInputs(script: string): string[] {
  const commands = script
    .split('\n')
    .filter((line) => !line.trim().startsWith('#'))
    .join('\n');
  const found = commands.match(/\b(?:test|tools|scripts|examples)\/[A-Za-z0-9_.\/-]*[A-Za-z0-9_.-]/g) ?? [];
  return [...new Set(found)];
}

/** Sources of the COPY steps (from the build context) before `RUN bash <script>`. */
function copiedBefore(dockerfile: string, script: string): string[] {
  const sources: string[] = [];
  for (const line of dockerfile.split('\n')) {
    if (line.trim() === `RUN bash ${script}`) return sources;
    const copy = /^COPY\s+(?!--from)(.+)$/.exec(line.trim());
    if (copy?.[1] !== undefined) sources.push(...copy[1].split(/\s+/).slice(0, -1));
  }
  throw new Error(`docker/Dockerfile never runs ${script}`);
}

/** The allowlist: `*` first, then `!path` lines let a path and everything under it through. */
function allowed(dockerignore: string): string[] {
  return dockerignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!'))
    .map((line) => line.slice(1).replace(/\/$/, ''));
}

const under = (file: string, folder: string): boolean =>
  file === folder || file.startsWith(`${folder.replace(/\/$/, '')}/`);

describe('image build context', () => {
  const script = 'scripts/prepare-models.sh';
  const inputs = scriptInputs(read(script));
  const copied = copiedBefore(read('docker/Dockerfile'), script);
  const allowlist = allowed(read('docker/Dockerfile.dockerignore'));

  it('finds the inputs of prepare-models.sh', () => {
    expect(inputs).toContain('tools/bert_onnx/export_bert_onnx.py');
    expect(inputs.some((input) => input.startsWith('test/assets/tokenizers'))).toBe(true);
  });

  it.each([script, ...inputs])('%s is copied before prepare-models.sh runs and is in the context', (input) => {
    expect(copied.some((source) => under(input, source)), `COPY ${input} before RUN bash ${script}`).toBe(true);
    expect(
      allowlist.some((entry) => under(input, entry)),
      `add !${input} to docker/Dockerfile.dockerignore`,
    ).toBe(true);
  });

  it('notices an input that is not copied (the check can fail)', () => {
    expect(copied.some((source) => under('test/assets/not-there.json', source))).toBe(false);
    expect(allowlist.some((entry) => under('test/assets/not-there.json', entry))).toBe(false);
  });
});
