// How many special tokens a tokenizer.json's post_processor adds around a
// pair (codegen's docStride bound for QA rests on it), against HF
// tokenizers' own num_special_tokens_to_add(pair=True) on the same files.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readPairSpecialTokenCount } from '../../codegen/model-files/tokenizer-json-components.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const python = join(repoRoot, '.venv', 'bin', 'python');
const dir = mkdtempSync(join(tmpdir(), 'fasterbert-pair-specials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const template = (pair: readonly string[], ids: Record<string, readonly number[]>): unknown => ({
  type: 'TemplateProcessing',
  single: [{ Sequence: { id: 'A', type_id: 0 } }],
  pair: pair.map((item) => (item === 'A' || item === 'B' ? { Sequence: { id: item, type_id: 0 } } : { SpecialToken: { id: item, type_id: 0 } })),
  special_tokens: Object.fromEntries(
    Object.entries(ids).map(([id, list]) => [id, { id, ids: list, tokens: list.map(() => id) }]),
  ),
});

// post_processors over the XLM-R Unigram asset (<s> = 0, </s> = 2).
const variants: Record<string, unknown> = {
  'its own TemplateProcessing (<s> A </s></s> B </s>)': undefined,
  BertProcessing: { type: 'BertProcessing', sep: ['</s>', 2], cls: ['<s>', 0] },
  RobertaProcessing: { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: true },
  ByteLevel: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
  'no post_processor': null,
  'a template special of two ids': template(['<s>', 'A', '</s>', 'B'], { '<s>': [0, 3], '</s>': [2] }),
  'Sequence [ByteLevel, RobertaProcessing]': {
    type: 'Sequence',
    processors: [
      { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
      { type: 'RobertaProcessing', sep: ['</s>', 2], cls: ['<s>', 0], trim_offsets: true, add_prefix_space: true },
    ],
  },
};

function hfCount(file: string): number {
  const run = spawnSync(python, ['-c', 'import sys; from tokenizers import Tokenizer; print(Tokenizer.from_file(sys.argv[1]).num_special_tokens_to_add(True))', file], {
    encoding: 'utf8',
  });
  expect(run.status, run.stderr).toBe(0);
  return Number(run.stdout.trim());
}

describe('special tokens of a pair template', () => {
  const base = JSON.parse(readFileSync(join(repoRoot, 'test/assets/tokenizers/xlmr-unigram.json'), 'utf8')) as Record<string, unknown>;
  for (const [name, postProcessor] of Object.entries(variants)) {
    it(`${name}: the count HF tokenizers gives`, () => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, JSON.stringify(postProcessor === undefined ? base : { ...base, post_processor: postProcessor }));
      expect(readPairSpecialTokenCount(file)).toBe(hfCount(file));
    });
  }

  it('the RoBERTa BPE asset (RobertaProcessing): 4', () => {
    const file = join(repoRoot, 'test/assets/tokenizers/roberta-bpe.json');
    expect(readPairSpecialTokenCount(file)).toBe(4);
    expect(hfCount(file)).toBe(4);
  });

  it('an unknown post_processor or an unreadable file: undefined', () => {
    const file = join(dir, 'unknown.json');
    writeFileSync(file, JSON.stringify({ ...base, post_processor: { type: 'NoSuchProcessor' } }));
    expect(readPairSpecialTokenCount(file)).toBeUndefined();
    expect(readPairSpecialTokenCount(join(dir, 'missing.json'))).toBeUndefined();
  });
});
