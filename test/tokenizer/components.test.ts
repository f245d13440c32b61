// One list of tokenizer components: what `codegen build` accepts in a
// tokenizer.json (codegen/model-files/tokenizer-json-components.ts) must be
// exactly what the C++ runtime implements. The runtime's own refusal names
// its supported types; this asks it for each field with an unknown type.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bertComponents, checkTokenizerJsonComponents, supportedComponents } from '../../codegen/model-files/tokenizer-json-components.js';
import { repoRoot, tokenizeBin } from '../python-script.js';

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
  // `accepted`: what both must say, where the case states it.
  const cases: { field: 'normalizer' | 'pre_tokenizer'; component: unknown; accepted?: boolean }[] = [
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
  // Regexes the runtime's engine takes and ones it refuses (text/regex.h), in
  // Split and in Replace.
  const regexes = [
    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
    '\\w+|[^\\w\\s]+', '\\p{N}', '\\d{1,3}', '\\P{Letter}+?', '[\\x41-\\x{5A}\\u00e9.-]', '^a$', '(a)(?:b)(?=c)(?!d)',
    '\\.\\\'', 'a{2}b{3,}c{0,300}?', '[\\w-a]', '[a-]', '\\p{^L}', 'a{1000}', '(a{8}){128}', '(a|b){256}',
  ];
  const refusedRegexes = [
    '(?<=a)b', '(?<!a)b', '(?>a)', '(?<n>a)', '(?i)a', 'a++', 'a{1001}', 'a{3,2}', '\\1', '\\b', '\\h', '\\p{Han}',
    '[[:alpha:]]', '[a&&b]', '[]a]', '[b-a]', 'a{', '}', ']', '(a', 'a)', '*a', 'a**', '^*', '(?=a)+', '\\xff', '\\x{110000}',
    '[a', '\\', '(a{8}){129}', '(a|b){257}', 'a{0,1000}', '\\p{L', 'é\\é',
  ];
  for (const [list, accepted] of [[regexes, true], [refusedRegexes, false]] as const) {
    for (const regex of list) {
      cases.push({ field: 'pre_tokenizer', component: { type: 'Split', pattern: { Regex: regex }, behavior: 'Isolated', invert: false }, accepted });
      // Whether a Replace takes it depends on empty matches too: below.
      cases.push({ field: 'normalizer', component: { type: 'Replace', pattern: { Regex: regex }, content: ' ' } });
    }
  }
  // HF inserts a Replace's content at an empty match: both refuse a Replace
  // regex that can match the empty string, and take one that cannot.
  for (const [regex, accepted] of [['\\s*', false], ['(?=a)', false], ['a|', false], ['x{0,3}', false], ['^', false],
    ['(a?)+', false], ['\\s+', true], ['a(?=b)', true], ['(a|b?c)+', true], [' {2,}', true]] as const) {
    cases.push({ field: 'normalizer', component: { type: 'Replace', pattern: { Regex: regex }, content: ' ' }, accepted });
  }
  for (const { field, component, accepted } of cases) {
    it(`${field} ${JSON.stringify(component)}: codegen and the runtime agree`, () => {
      if (accepted !== undefined) expect(runtimeAccepts(field, component)).toBe(accepted);
      const json = JSON.parse(readFileSync(join(repoRoot, 'test/assets/tokenizers/xlmr-unigram.json'), 'utf8')) as Record<string, unknown>;
      json[field] = component;
      const result = checkTokenizerJsonComponents(JSON.stringify(json));
      expect('problems' in result, JSON.stringify(result)).toBe(!runtimeAccepts(field, component));
    });
  }
});
