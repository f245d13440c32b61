// tokenizer.json files that are not plain BERT WordPiece: the general
// tokenizer runs them (the file goes into the model version directory), and
// a component it does not implement fails the build at tokenize() with the
// JSON path.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { renderPipelineFiles } from '../../codegen/emit/render-pipeline-files.js';
import { checkTokenizerJsonComponents } from '../../codegen/model-files/tokenizer-json-components.js';
import { supportedRegexSubset } from '../../codegen/model-files/tokenizer-regex.js';
import { basePipelineSource, checkErrors, locationPrefix, repoRoot, writePipeline } from './pipeline-fixture.js';

const familiesDir = join(repoRoot, 'test', 'assets', 'tokenizers');
type Json = Record<string, unknown>;

function family(name: string): Json {
  return JSON.parse(readFileSync(join(familiesDir, `${name}.json`), 'utf8')) as Json;
}

function problemsOf(json: Json): readonly string[] {
  const result = checkTokenizerJsonComponents(JSON.stringify(json));
  return 'problems' in result ? result.problems : [];
}

const sourceWith = (tokenizeOptions: string): string =>
  basePipelineSource.replace("vocab: './assets/vocab.txt', maxLength: 16", tokenizeOptions);

describe('tokenizer.json families', () => {
  it('takes XLM-R Unigram, RoBERTa BPE and the other trained files as they are', () => {
    expect(checkTokenizerJsonComponents(JSON.stringify(family('xlmr-unigram')))).toMatchObject({ model: 'Unigram' });
    expect(checkTokenizerJsonComponents(JSON.stringify(family('roberta-bpe')))).toMatchObject({ model: 'BPE' });
    expect(checkTokenizerJsonComponents(JSON.stringify(family('hf-unigram-metaspace')))).toMatchObject({ model: 'Unigram' });
    expect(checkTokenizerJsonComponents(JSON.stringify(family('bpe-whitespace')))).toMatchObject({ model: 'BPE' });
  });

  it('names an unsupported component by its JSON path, inside sequences too', () => {
    const json = family('xlmr-unigram');
    json['pre_tokenizer'] = { type: 'Sequence', pretokenizers: [{ type: 'Metaspace' }, { type: 'UnicodeScripts' }] };
    json['model'] = { type: 'WordLevel', vocab: { a: 0 } };
    expect(problemsOf(json)).toEqual([
      "pre_tokenizer.pretokenizers[1].type is 'UnicodeScripts', which faster-bert's tokenizer does not implement; supported: Metaspace, ByteLevel, Whitespace, WhitespaceSplit, Punctuation, Split, Digits, Sequence",
      "model.type is 'WordLevel', which faster-bert's tokenizer does not implement; supported: BPE, Unigram",
    ]);
  });

  it("names a regex Split pattern outside the runtime's subset by its JSON path", () => {
    const json = family('xlmr-unigram');
    json['pre_tokenizer'] = { type: 'Sequence', pretokenizers: [
      { type: 'Split', pattern: { Regex: '\\p{N}{1,3}' }, behavior: 'Isolated', invert: false },
      { type: 'Split', pattern: { Regex: '(?<=a)b' }, behavior: 'Isolated', invert: false },
    ] };
    expect(problemsOf(json)).toEqual([
      "pre_tokenizer.pretokenizers[1].pattern is the regex '(?<=a)b', which faster-bert's tokenizer does not implement (at character 1: group '(?<' is not supported (supported: (...), (?:...), (?i:...), (?=...), (?!...))); supported: String patterns and regexes of " + supportedRegexSubset,
    ]);
  });

  it('refuses BPE dropout: a server must tokenize a text the same way every time', () => {
    const json = family('roberta-bpe');
    (json['model'] as Json)['dropout'] = 0.1;
    expect(problemsOf(json)[0]).toMatch(/^model\.dropout is 0\.1: BPE dropout is random/);
  });

  it('puts the file itself into the model repository and the spec', () => {
    const folder = writePipeline(sourceWith(`tokenizerJson: '${join(familiesDir, 'xlmr-unigram.json')}', maxLength: 16`));
    const { ir, assets } = checkPipeline(folder.pipelineFile);
    expect(ir.tokenizer).toMatchObject({ kind: 'tokenizerJson', file: { file: 'tokenizer.json', model: 'Unigram' }, maxLength: 16 });
    expect(assets.map((asset) => asset.file)).toContain('tokenizer.json');
    expect(assets.map((asset) => asset.file)).not.toContain('vocab.txt');
    const spec = renderPipelineFiles(ir, '/b')['pipeline_spec.cc'];
    expect(spec).toContain('spec.tokenizer.tokenizer_json_file = "tokenizer.json";');
    expect(spec).not.toContain('spec.tokenizer.vocab_file');
  });

  it('refuses BERT-only options with such a file', () => {
    const folder = writePipeline(sourceWith(`tokenizerJson: '${join(familiesDir, 'roberta-bpe.json')}', maxLength: 16, lowercase: false`));
    const [error] = checkErrors(folder.pipelineFile);
    expect(error).toContain('tokenize: lowercase applies to BERT WordPiece vocabularies;');
    expect(error?.startsWith(locationPrefix(folder, 'tokenize('))).toBe(true);
  });
});
