// Build-time checks of tokenClassify(): a well-wired NER pipeline lowers to
// the IR the runtime expects (token logits [batch, sequence, labels], label
// names, typed outputs of maxEntities slots); miswiring is reported at the
// user's file:line. Model signatures come from sidecar files written here.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { checkErrors, locationPrefix, repoRoot, writePipeline, type PipelineFolder } from './pipeline-fixture.js';

const ids = { name: 'input_ids', dtype: 'INT64', shape: ['batch', 'sequence'] };
const mask = { name: 'attention_mask', dtype: 'INT64', shape: ['batch', 'sequence'] };
const types = { name: 'token_type_ids', dtype: 'INT64', shape: ['batch', 'sequence'] };

function writeModel(folder: PipelineFolder, logitsShape: readonly (string | number)[]): void {
  writeFileSync(join(folder.dir, 'ner.onnx'), 'not read: the sidecar gives the signature');
  writeFileSync(
    join(folder.dir, 'ner.onnx.json'),
    JSON.stringify({ inputs: [ids, mask, types], outputs: [{ name: 'logits', dtype: 'FP32', shape: logitsShape }], max_position_embeddings: 64 }),
  );
}

function source(options: string, tokenizeOptions = "vocab: './assets/vocab.txt'"): string {
  return `import { pipeline, textInput, tokenize, engine, tokenClassify, output } from 'faster-bert';

export default pipeline({
  name: 'tiny_ner',
  maxBatchSize: 8,
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { ${tokenizeOptions}, maxLength: 16 });
    const { tokenLogits } = engine(tokens, { onnx: './ner.onnx' });
    const ner = tokenClassify(tokenLogits, ${options});
    return [output('entities', ner.json), output('starts', ner.starts), output('scores', ner.scores)];
  },
});
`;
}

const familyFile = (name: string): string => join(repoRoot, 'test', 'assets', 'tokenizers', `${name}.json`);

describe('tokenClassify on tokenizer.json families', () => {
  it('builds NER on a Unigram and a byte-level BPE tokenizer.json', () => {
    for (const name of ['xlmr-unigram', 'roberta-bpe']) {
      const folder = writePipeline(source("{ labels: { names: ['O', 'B-PER', 'I-PER'] } }", `tokenizerJson: '${familyFile(name)}'`));
      writeModel(folder, ['batch', 'sequence', 3]);
      expect(checkPipeline(folder.pipelineFile).ir.tokenizer.kind).toBe('tokenizerJson');
    }
  });

  it('refuses a decoder the runtime cannot make HF\'s words with, at tokenize()', () => {
    const json = JSON.parse(readFileSync(familyFile('xlmr-unigram'), 'utf8')) as Record<string, unknown>;
    json['decoder'] = { type: 'CTC', pad_token: '<pad>', word_delimiter_token: '|', cleanup: true };
    const folder = writePipeline(source("{ labels: { names: ['O', 'B-PER', 'I-PER'] } }", "tokenizerJson: './ctc.json'"), { 'ctc.json': JSON.stringify(json) });
    writeModel(folder, ['batch', 'sequence', 3]);
    expect(checkErrors(folder.pipelineFile)[0]).toBe(
      `${locationPrefix(folder, 'tokenize(')} error: tokenize: token classification makes its words with the tokenizer's decoder; this tokenizer.json's decoder is 'CTC', supported: WordPiece, Metaspace, ByteLevel or none`,
    );
  });
});

describe('tokenClassify at build time', () => {
  it('lowers to token logits, labels and typed outputs', () => {
    const folder = writePipeline(source("{ labels: { names: ['O', 'B-PER', 'I-PER'] }, aggregation: 'first', maxEntities: 4 }"));
    writeModel(folder, ['batch', 'sequence', 3]);
    const { ir } = checkPipeline(folder.pipelineFile);
    expect(ir.engine.outputs.tokenLogits).toBe('logits');
    expect(ir.engine.numTokenLabels).toBe(3);
    expect(ir.tokenClassifier).toMatchObject({ labels: ['O', 'B-PER', 'I-PER'], aggregation: 'first', ignoreLabels: ['O'], maxEntities: 4 });
    expect(ir.outputs.map((out) => [out.kind, out.dataType, out.dims])).toEqual([
      ['entities', 'BYTES', [1]],
      ['entityStarts', 'INT64', [4]],
      ['entityScores', 'FP32', [4]],
    ]);
  });

  it('reports a label count that does not match the logits, and sequence logits, at the call', () => {
    const folder = writePipeline(source("{ labels: { names: ['O', 'B-PER'] } }"));
    writeModel(folder, ['batch', 'sequence', 3]);
    expect(checkErrors(folder.pipelineFile)[0]).toBe(
      `${locationPrefix(folder, 'tokenClassify(tokenLogits')} error: tokenClassify: 2 label names from labels.names, but the model's logits have 3 classes`,
    );
    const sequence = writePipeline(source('{}'));
    writeModel(sequence, ['batch', 3]);
    expect(checkErrors(sequence.pipelineFile)[0]).toMatch(/engine: output 'logits' has shape \[batch, 3\]; token classifier logits must be rank 3 \[batch, sequence, labels\]/);
  });
});
