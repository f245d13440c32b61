// tokenizer.json: what is accepted, and unsupported settings named by their JSON field.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTokenizerJson } from '../../codegen/model-files/tokenizer-json.js';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { assetsDir, basePipelineSource, checkErrors, locationPrefix, repoRoot, writePipeline } from './pipeline-fixture.js';

type Json = Record<string, unknown>;

function fixtureJson(): Json {
  return JSON.parse(readFileSync(join(assetsDir, 'tokenizer.json'), 'utf8')) as Json;
}

function problemsOf(json: Json): readonly string[] {
  const result = parseTokenizerJson(JSON.stringify(json));
  return 'problems' in result ? result.problems : [];
}

const jsonPipelineSource = basePipelineSource.replace("vocab: './assets/vocab.txt'", "tokenizerJson: './assets/tokenizer.json'");

describe('tokenizer.json', () => {
  it('gives the BertNormalizer options, WordPiece settings and special tokens', () => {
    const result = parseTokenizerJson(JSON.stringify(fixtureJson()));
    expect('settings' in result).toBe(true);
    if (!('settings' in result)) return;
    expect(result.settings).toMatchObject({
      cleanText: true,
      handleChineseChars: true,
      lowercase: true,
      stripAccents: undefined,
      unkToken: '[UNK]',
      clsToken: '[CLS]',
      sepToken: '[SEP]',
      continuingSubwordPrefix: '##',
      maxInputCharsPerWord: 100,
    });
    expect(result.settings.vocab.slice(0, 3)).toEqual(['[PAD]', '[UNK]', '[CLS]']);
  });

  it.skipIf(!existsSync(join(repoRoot, 'models', 'all-MiniLM-L6-v2', 'tokenizer.json')))(
    "accepts all-MiniLM-L6-v2's file (its truncation and padding are ignored)",
    () => {
      const text = readFileSync(join(repoRoot, 'models', 'all-MiniLM-L6-v2', 'tokenizer.json'), 'utf8');
      const result = parseTokenizerJson(text);
      expect('settings' in result && result.settings.vocab.length).toBe(30522);
    },
  );

  it('rejects another normalizer, naming normalizer.type', () => {
    const json = fixtureJson();
    json['normalizer'] = { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'Lowercase' }] };
    expect(problemsOf(json)).toEqual(['normalizer.type is "Sequence"; supported: BertNormalizer']);
  });

  it('rejects an unknown BertNormalizer field and a wrong option type, naming them', () => {
    const json = fixtureJson();
    json['normalizer'] = { ...(json['normalizer'] as Json), lowercase: 'yes', nfc: true };
    expect(problemsOf(json)).toEqual([
      'normalizer.lowercase Invalid input: expected boolean, received string',
      "normalizer has unsupported field(s) 'nfc'",
    ]);
  });

  it('rejects other models, pre-tokenizers and post-processors', () => {
    const json = fixtureJson();
    json['model'] = { type: 'BPE', vocab: {}, merges: [] };
    json['pre_tokenizer'] = { type: 'ByteLevel', add_prefix_space: false };
    json['post_processor'] = { type: 'RobertaProcessing' };
    expect(problemsOf(json)).toEqual([
      'pre_tokenizer.type is "ByteLevel"; supported: BertPreTokenizer',
      'post_processor.type is "RobertaProcessing"; supported: TemplateProcessing, BertProcessing',
      'model.type is "BPE"; supported: WordPiece',
    ]);
  });

  it('rejects a template other than [CLS] text [SEP]', () => {
    const json = fixtureJson();
    const post = json['post_processor'] as Json;
    post['single'] = [{ Sequence: { id: 'A', type_id: 0 } }];
    expect(problemsOf(json)).toEqual([
      'post_processor.single must be [SpecialToken, Sequence A, SpecialToken] ([CLS] text [SEP])',
    ]);
  });

  it('accepts BertProcessing and checks its ids against the vocab', () => {
    const json = fixtureJson();
    json['post_processor'] = { type: 'BertProcessing', cls: ['[CLS]', 2], sep: ['[SEP]', 4] };
    expect(problemsOf(json)).toEqual(["post_processor.sep: id 4 differs from model.vocab's"]);
  });

  it('rejects vocab ids with gaps and added tokens outside the vocab', () => {
    const gaps = fixtureJson();
    (gaps['model'] as { vocab: Record<string, number> }).vocab['hello'] = 99;
    expect(problemsOf(gaps)[0]).toMatch(/^model\.vocab has no token with id 5/);
    const added = fixtureJson();
    (added['added_tokens'] as Json[]).push({ id: 17, content: '<extra>', special: true });
    expect(problemsOf(added)).toEqual([
      "added_tokens[5]: '<extra>' (id 17) is not in model.vocab with that id; added tokens outside the WordPiece vocabulary are not supported",
    ]);
  });

  it('reports a normalizer no tokenizer of ours implements at the tokenize() line with the file', () => {
    const folder = writePipeline(jsonPipelineSource);
    const path = join(folder.dir, 'assets', 'tokenizer.json');
    const json = fixtureJson();
    json['normalizer'] = { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'ByteLevel' }] };
    writeFileSync(path, JSON.stringify(json));
    const [error] = checkErrors(folder.pipelineFile);
    expect(error).toMatch(/ error: tokenize: .*assets\/tokenizer\.json: normalizer\.normalizers\[1\]\.type is 'ByteLevel', which faster-bert's tokenizer does not implement; supported: Precompiled, NFD, NFKD, NFC, NFKC, Lowercase/);
    expect(error?.startsWith(locationPrefix(folder, 'tokenize('))).toBe(true);
  });

  it('takes normalizer options from the file; options in the DSL win', () => {
    const folder = writePipeline(
      jsonPipelineSource.replace('maxLength: 16 }', 'maxLength: 16, lowercase: false, handleChineseChars: false }'),
    );
    const path = join(folder.dir, 'assets', 'tokenizer.json');
    const json = fixtureJson();
    json['normalizer'] = { ...(json['normalizer'] as Json), clean_text: false, strip_accents: null };
    json['padding'] = { strategy: { Fixed: 128 }, pad_token: '[MASK]' };
    json['truncation'] = { max_length: 128, strategy: 'LongestFirst', stride: 0 };
    writeFileSync(path, JSON.stringify(json));
    const { ir, assets } = checkPipeline(folder.pipelineFile);
    expect(ir.tokenizer).toMatchObject({
      cleanText: false,
      lowercase: false,
      stripAccents: false,
      handleChineseChars: false,
      padToken: '[MASK]',
      maxLength: 16,
      vocab: { from: 'tokenizerJson', file: 'vocab.txt', size: 17 },
    });
    expect(assets[0]).toEqual({ file: 'vocab.txt', contents: readFileSync(join(assetsDir, 'vocab.txt'), 'utf8') });
  });
});
