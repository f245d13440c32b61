// A BERT tokenizer.json: it goes into the model repository as it is (the
// runtime reads it); codegen checks only its component types, at the
// tokenize() line with the JSON path, and passes the DSL's BERT options on
// as overrides.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { renderPipelineFiles } from '../../codegen/emit/render-pipeline-files.js';
import { checkTokenizerJsonComponents } from '../../codegen/model-files/tokenizer-json-components.js';
import { assetsDir, basePipelineSource, checkErrors, expectSpecCompiles, hasCompiler, locationPrefix, repoRoot, writePipeline } from './pipeline-fixture.js';


type Json = Record<string, unknown>;

function fixtureJson(): Json {
  return JSON.parse(readFileSync(join(assetsDir, 'tokenizer.json'), 'utf8')) as Json;
}

function problemsOf(json: Json): readonly string[] {
  const result = checkTokenizerJsonComponents(JSON.stringify(json));
  return 'problems' in result ? result.problems : [];
}

const jsonPipelineSource = basePipelineSource.replace("vocab: './assets/vocab.txt'", "tokenizerJson: './assets/tokenizer.json'");

describe('BERT tokenizer.json', () => {
  it('is a WordPiece file with its vocab size', () => {
    expect(checkTokenizerJsonComponents(JSON.stringify(fixtureJson()))).toMatchObject({ model: 'WordPiece', vocabSize: 17 });
    const json = fixtureJson();
    json['normalizer'] = null; // the runtime reads no normalizer as no normalization
    expect(problemsOf(json)).toEqual([]);
  });

  it('goes into the model repository as tokenizer.json, with no vocab.txt and no settings read by codegen', () => {
    const folder = writePipeline(jsonPipelineSource);
    const { ir, assets } = checkPipeline(folder.pipelineFile);
    expect(ir.tokenizer).toEqual({
      kind: 'tokenizerJson',
      file: { path: join(folder.dir, 'assets', 'tokenizer.json'), file: 'tokenizer.json', model: 'WordPiece' },
      bertOverrides: {},
      maxLength: 16,
      truncation: true,
      source: expect.anything(),
    });
    expect(assets[0]).toEqual({ file: 'tokenizer.json', copyFrom: join(folder.dir, 'assets', 'tokenizer.json') });
    expect(assets.map((asset) => asset.file)).not.toContain('vocab.txt');
    const spec = renderPipelineFiles(ir, '/b')['pipeline_spec.cc'];
    expect(spec).toContain('spec.tokenizer.tokenizer_json_file = "tokenizer.json";');
    expect(spec).not.toContain('spec.tokenizer.vocab_file');
    expect(spec).not.toContain('tokenizer_json_overrides');
  });

  it('passes the BERT options of tokenize() to the runtime, which applies them over the file', () => {
    const folder = writePipeline(
      jsonPipelineSource.replace(
        'maxLength: 16 }',
        "maxLength: 16, lowercase: false, tokenizeChineseChars: false, clsToken: '[CLS]', maxInputCharsPerWord: 50 }",
      ),
    );
    const { ir } = checkPipeline(folder.pipelineFile);
    expect(ir.tokenizer).toMatchObject({
      kind: 'tokenizerJson',
      bertOverrides: { lowercase: false, handleChineseChars: false, clsToken: '[CLS]', maxInputCharsPerWord: 50 },
    });
    const spec = renderPipelineFiles(ir, '/b')['pipeline_spec.cc'];
    expect(spec).toContain('spec.tokenizer.tokenizer_json_overrides.lowercase = false;');
    expect(spec).toContain('spec.tokenizer.tokenizer_json_overrides.handle_chinese_chars = false;');
    expect(spec).toContain('spec.tokenizer.tokenizer_json_overrides.cls_token = "[CLS]";');
    expect(spec).toContain('spec.tokenizer.tokenizer_json_overrides.max_input_chars_per_word = 50;');
    expect(spec).not.toContain('tokenizer_json_overrides.strip_accents');
  });

  it.skipIf(!hasCompiler)('renders every override as C++ that compiles against pipeline_spec.h', () => {
    const every =
      "lowercase: false, stripAccents: true, cleanText: false, handleChineseChars: false, unkToken: '[UNK]', clsToken: '[CLS]', " +
      "sepToken: '[SEP]', padToken: '[PAD]', continuingSubwordPrefix: '##', maxInputCharsPerWord: 50";
    const folder = writePipeline(jsonPipelineSource.replace('maxLength: 16 }', `maxLength: 16, ${every} }`));
    const { ir } = checkPipeline(folder.pipelineFile);
    const spec = renderPipelineFiles(ir, join(repoRoot, 'backend-cpp'))['pipeline_spec.cc'];
    expect(spec.match(/tokenizer_json_overrides\./g)).toHaveLength(10);
    expectSpecCompiles(spec);
  });

  it('rejects another normalizer, pre-tokenizer or post-processor with a WordPiece model, naming the field', () => {
    const json = fixtureJson();
    json['normalizer'] = { type: 'Sequence', normalizers: [{ type: 'NFD' }, { type: 'Lowercase' }] };
    json['pre_tokenizer'] = { type: 'Whitespace' };
    json['post_processor'] = { type: 'RobertaProcessing' };
    expect(problemsOf(json)).toEqual([
      "normalizer.type is 'Sequence', which faster-bert's tokenizer does not implement with a WordPiece model; supported: BertNormalizer",
      "pre_tokenizer.type is 'Whitespace', which faster-bert's tokenizer does not implement with a WordPiece model; supported: BertPreTokenizer",
      "post_processor.type is 'RobertaProcessing', which faster-bert's tokenizer does not implement with a WordPiece model; supported: TemplateProcessing, BertProcessing",
    ]);
  });

  it('rejects a missing pre-tokenizer or post-processor: WordPiece needs words and the BERT template', () => {
    const json = fixtureJson();
    json['pre_tokenizer'] = null;
    delete json['post_processor'];
    expect(problemsOf(json)).toEqual(['pre_tokenizer is missing', 'post_processor is missing']);
  });

  it('rejects a BertNormalizer option of the wrong type, naming it', () => {
    const json = fixtureJson();
    json['normalizer'] = { ...(json['normalizer'] as Json), lowercase: 'yes', strip_accents: 1 };
    expect(problemsOf(json)).toEqual([
      'normalizer.lowercase is "yes"; it must be a boolean',
      'normalizer.strip_accents is 1; it must be a boolean or null',
    ]);
  });

  it('rejects a template other than [CLS] text [SEP]', () => {
    const json = fixtureJson();
    const post = json['post_processor'] as Json;
    post['single'] = [{ Sequence: { id: 'A', type_id: 0 } }];
    expect(problemsOf(json)).toEqual(['post_processor.single must be [SpecialToken, Sequence A, SpecialToken] ([CLS] text [SEP])']);
  });

  it('rejects an empty vocab', () => {
    const json = fixtureJson();
    (json['model'] as Json)['vocab'] = {};
    expect(problemsOf(json)).toEqual(['model.vocab is missing or empty']);
  });

  it('reports a special token set beside the file that its vocab lacks, at the tokenize() line', () => {
    const folder = writePipeline(jsonPipelineSource.replace('maxLength: 16 }', "maxLength: 16, clsToken: '<s>' }"));
    const [error, ...rest] = checkErrors(folder.pipelineFile);
    expect(rest).toEqual([]);
    expect(error).toMatch(/ error: tokenize: clsToken '<s>' is not in the vocabulary \(model\.vocab\) of .*assets\/tokenizer\.json; set clsToken to a token it has$/);
    expect(error?.startsWith(locationPrefix(folder, 'tokenize('))).toBe(true);
  });

  it('reports what it rejects at the tokenize() line with the file', () => {
    const folder = writePipeline(jsonPipelineSource);
    const path = join(folder.dir, 'assets', 'tokenizer.json');
    const json = fixtureJson();
    json['pre_tokenizer'] = { type: 'Sequence', pretokenizers: [{ type: 'WhitespaceSplit' }] };
    writeFileSync(path, JSON.stringify(json));
    const [error] = checkErrors(folder.pipelineFile);
    expect(error).toMatch(
      / error: tokenize: .*assets\/tokenizer\.json: pre_tokenizer\.type is 'Sequence', which faster-bert's tokenizer does not implement with a WordPiece model; supported: BertPreTokenizer$/,
    );
    expect(error?.startsWith(locationPrefix(folder, 'tokenize('))).toBe(true);
  });
});
