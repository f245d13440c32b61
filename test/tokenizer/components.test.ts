// One list of tokenizer components: what `codegen build` accepts in a
// tokenizer.json (codegen/model-files/tokenizer-json-components.ts) must be
// exactly what the C++ runtime implements. The runtime's own refusal names
// its supported types; this asks it for each field with an unknown type.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bertComponents, checkTokenizerJsonComponents, supportedComponents } from '../../codegen/model-files/tokenizer-json-components.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tokenizeBin =
  process.env['FASTERBERT_TOKENIZE_BIN'] ?? join(repoRoot, 'build', 'backend-cpp', 'text', 'fasterbert_tokenize');
const dir = mkdtempSync(join(tmpdir(), 'fasterbert-components-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The runtime's "supported: A, B, C" for `field` when its type is unknown.
// `base` is the file whose field is replaced (a BERT one asks the WordPiece path).
function runtimeSupported(field: keyof typeof supportedComponents, base = 'test/assets/tokenizers/xlmr-unigram.json'): string[] {
  const json = JSON.parse(readFileSync(join(repoRoot, base), 'utf8')) as Record<string, unknown>;
  json[field] = { type: 'NoSuchComponent' };
  const file = join(dir, `${field}-${base.replaceAll('/', '_')}`);
  writeFileSync(file, JSON.stringify(json));
  const run = spawnSync(tokenizeBin, ['--tokenizer-json', file, '-'], { input: '', encoding: 'utf8' });
  const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
  expect(run.status, output).not.toBe(0);
  expect(output, output).toContain(`${field}.type: 'NoSuchComponent'`);
  const listed = /supported: ([^)\n]*)/.exec(output);
  expect(listed, output).not.toBeNull();
  return (listed?.[1] ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
}

describe('tokenizer components', () => {
  for (const field of Object.keys(supportedComponents) as (keyof typeof supportedComponents)[]) {
    it(`${field}: codegen accepts exactly what the runtime implements`, () => {
      expect([...supportedComponents[field]].sort()).toEqual(runtimeSupported(field).sort());
    });
  }
  // A WordPiece file: the runtime's BERT reader (the model is WordPiece by definition).
  for (const field of ['normalizer', 'pre_tokenizer', 'post_processor'] as const) {
    it(`${field} beside a WordPiece model: codegen accepts exactly what the runtime implements`, () => {
      const runtime = runtimeSupported(field, 'test/codegen/fixtures/assets/tokenizer.json');
      expect([...bertComponents[field]].sort()).toEqual(runtime.sort());
    });
  }
});

// Whether the runtime loads xlmr-unigram.json with `field` set to `component`.
function runtimeAccepts(field: 'normalizer' | 'pre_tokenizer', component: unknown): boolean {
  const json = JSON.parse(readFileSync(join(repoRoot, 'test/assets/tokenizers/xlmr-unigram.json'), 'utf8')) as Record<string, unknown>;
  json[field] = component;
  const file = join(dir, 'pattern.json');
  writeFileSync(file, JSON.stringify(json));
  const run = spawnSync(tokenizeBin, ['--tokenizer-json', file, '-'], { input: '', encoding: 'utf8' });
  return run.status === 0;
}

describe('tokenizer component patterns', () => {
  // Split and Replace patterns: codegen refuses exactly what the runtime refuses.
  const cases: { field: 'normalizer' | 'pre_tokenizer'; component: unknown }[] = [
    { field: 'pre_tokenizer', component: { type: 'Split', pattern: { String: '-' }, behavior: 'Isolated', invert: false } },
    { field: 'pre_tokenizer', component: { type: 'Split', pattern: { String: '' }, behavior: 'Isolated', invert: false } },
    { field: 'pre_tokenizer', component: { type: 'Split', pattern: { Regex: '\\s+' }, behavior: 'Isolated', invert: false } },
    { field: 'pre_tokenizer', component: { type: 'Split', pattern: { Regex: '-' }, behavior: 'Removed', invert: false } },
    { field: 'normalizer', component: { type: 'Replace', pattern: { String: '``' }, content: '"' } },
    { field: 'normalizer', component: { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' } },
    { field: 'normalizer', component: { type: 'Replace', pattern: { Regex: '▁{12,}' }, content: '▁' } },
    { field: 'normalizer', component: { type: 'Replace', pattern: { Regex: '\\s+' }, content: ' ' } },
    { field: 'normalizer', component: { type: 'Replace', pattern: { Regex: '.{2,}' }, content: ' ' } },
    { field: 'normalizer', component: { type: 'Replace', pattern: { Regex: ' {0,}' }, content: ' ' } },
  ];
  for (const { field, component } of cases) {
    it(`${field} ${JSON.stringify(component)}: codegen and the runtime agree`, () => {
      const json = JSON.parse(readFileSync(join(repoRoot, 'test/assets/tokenizers/xlmr-unigram.json'), 'utf8')) as Record<string, unknown>;
      json[field] = component;
      const result = checkTokenizerJsonComponents(JSON.stringify(json));
      expect('problems' in result, JSON.stringify(result)).toBe(!runtimeAccepts(field, component));
    });
  }
});
