// Each check the pipeline checker makes, with the message it prints: the
// user's file:line:col and what to do.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { basePipelineSource, checkErrors, locationPrefix, writePipeline } from './pipeline-fixture.js';

function withReplaced(search: string, replacement: string): string {
  if (!basePipelineSource.includes(search)) throw new Error(`'${search}' is not in the base pipeline`);
  return basePipelineSource.replace(search, replacement);
}

describe('type errors', () => {
  it('reports a miswired stage at its file:line:col with the TypeScript message', () => {
    const folder = writePipeline(
      withReplaced(
        'normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask))',
        'normalize(hidden.tokenEmbeddings)',
      ),
    );
    const errors = checkErrors(folder.pipelineFile);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`${locationPrefix(folder, 'hidden.tokenEmbeddings)')} error: `);
    expect(errors[0]).toMatch(/'TokenEmbeddings' is not assignable to parameter of type 'SentenceEmbedding'/);
    expect(errors[0]).toMatch(/\(TS2345\)/);
  });

  it('rejects meanPool without an attention mask', () => {
    const folder = writePipeline(
      withReplaced('meanPool(hidden.tokenEmbeddings, tokens.attentionMask)', 'meanPool(hidden.tokenEmbeddings, tokens.inputIds)'),
    );
    const [error] = checkErrors(folder.pipelineFile);
    expect(error).toContain(`${locationPrefix(folder, 'tokens.inputIds')} error: `);
    expect(error).toMatch(/'TokenIds' is not assignable to parameter of type 'AttentionMask'/);
  });

  it('rejects both vocab and tokenizerJson on one tokenize()', () => {
    const folder = writePipeline(
      withReplaced("{ vocab: './assets/vocab.txt',", "{ vocab: './assets/vocab.txt', tokenizerJson: './assets/tokenizer.json',"),
    );
    const [error] = checkErrors(folder.pipelineFile);
    expect(error).toMatch(/pipeline\.ts:8:\d+ error: .*not assignable to parameter of type .TokenizeOptions.*\(TS2345\)/s);
  });
});

describe('asset files', () => {
  it('names a missing vocab file, its resolved path and the tokenize() line', () => {
    const folder = writePipeline(withReplaced("vocab: './assets/vocab.txt'", "vocab: '../x/vocab.txt'"));
    const errors = checkErrors(folder.pipelineFile);
    expect(errors).toEqual([
      `${locationPrefix(folder, 'tokenize(')} error: tokenize: vocab file '../x/vocab.txt' not found (resolved to ${join(folder.dir, '..', 'x', 'vocab.txt')}); paths are relative to the pipeline file`,
    ]);
  });

  it('names a missing tokenizer.json', () => {
    const folder = writePipeline(withReplaced("vocab: './assets/vocab.txt'", "tokenizerJson: './nope/tokenizer.json'"));
    const [error] = checkErrors(folder.pipelineFile);
    expect(error).toContain(`${locationPrefix(folder, 'tokenize(')} error: tokenize: tokenizer file './nope/tokenizer.json' not found (resolved to ${join(folder.dir, 'nope', 'tokenizer.json')})`);
  });

  it('names a missing ONNX model at the engine() line', () => {
    const folder = writePipeline(withReplaced("onnx: './assets/model.onnx'", "onnx: './assets/missing.onnx'"));
    const [error] = checkErrors(folder.pipelineFile);
    expect(error).toContain(`${locationPrefix(folder, 'engine(')} error: engine: ONNX model './assets/missing.onnx' not found (resolved to ${join(folder.dir, 'assets', 'missing.onnx')})`);
  });

  it('reports a special token missing from vocab.txt', () => {
    const folder = writePipeline(withReplaced('maxLength: 16 }', "maxLength: 16, clsToken: '<s>' }"));
    const [error] = checkErrors(folder.pipelineFile);
    expect(error).toContain(`${locationPrefix(folder, 'tokenize(')} error: tokenize: clsToken '<s>' is not in the vocabulary`);
  });
});

describe('engine wiring', () => {
  it('reports an unknown output name with the model outputs and how to name one', () => {
    const folder = writePipeline(
      withReplaced("{ onnx: './assets/model.onnx' }", "{ onnx: './assets/model.onnx', outputs: { tokenEmbeddings: 'hidden_states' } }"),
    );
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'engine(')} error: engine: the model has no output 'hidden_states' (its outputs: 'last_hidden_state'); name the token embeddings output with engine(tokens, { outputs: { tokenEmbeddings: '...' } })`,
    ]);
  });

  it('reports an unknown input name', () => {
    const folder = writePipeline(
      withReplaced("{ onnx: './assets/model.onnx' }", "{ onnx: './assets/model.onnx', inputs: { inputIds: 'ids' } }"),
    );
    const errors = checkErrors(folder.pipelineFile);
    expect(errors[0]).toContain(`${locationPrefix(folder, 'engine(')} error: engine: the model has no input 'ids' (its inputs: 'input_ids', 'attention_mask', 'token_type_ids')`);
    // input_ids is then fed by nothing: said too.
    expect(errors[1]).toContain("engine: the model input 'input_ids' would get no data");
  });

  it('requires a rank-3 FP32 token embeddings output with a fixed hidden size', () => {
    const folder = writePipeline(basePipelineSource);
    const sidecarPath = join(folder.dir, 'assets', 'model.onnx.json');
    const sidecar = JSON.parse(readFileSync(sidecarPath, 'utf8')) as { outputs: Array<{ shape: unknown }> };
    sidecar.outputs[0] = { ...sidecar.outputs[0], shape: ['batch', 8] };
    writeFileSync(sidecarPath, JSON.stringify(sidecar));
    expect(checkErrors(folder.pipelineFile)[0]).toContain(
      "engine: output 'last_hidden_state' has shape [batch, 8]; token embeddings must be rank 3 [batch, sequence, hidden]",
    );
    sidecar.outputs[0] = { ...sidecar.outputs[0], shape: ['batch', 'sequence', 'hidden'] };
    writeFileSync(sidecarPath, JSON.stringify(sidecar));
    expect(checkErrors(folder.pipelineFile)[0]).toContain('its last dim (the hidden size) must be a fixed number');
  });

  it('rejects a maxLength beyond the model positions', () => {
    const folder = writePipeline(withReplaced('maxLength: 16', 'maxLength: 100'));
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'tokenize(')} error: tokenize: maxLength 100 is more than the model's max_position_embeddings 64; lower maxLength`,
    ]);
  });
});

describe('names and outputs', () => {
  it('rejects a pipeline name that cannot name libtriton_<name>.so', () => {
    const folder = writePipeline(withReplaced("name: 'tiny_embeddings'", "name: 'Tiny-Embeddings'"));
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'pipeline({')} error: pipeline: name = "Tiny-Embeddings": must match ^[a-z][a-z0-9_]*$ (lower case letters, digits and _, starting with a letter): it names the Triton model and libtriton_<name>.so`,
    ]);
  });

  it('rejects an output name that is not a valid tensor name', () => {
    const folder = writePipeline(withReplaced("output('embedding'", "output('sentence embedding'"));
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'output(')} error: output: name = "sentence embedding": is not a valid tensor name: use letters, digits and _, not starting with a digit`,
    ]);
  });

  it('rejects an output named like the input', () => {
    const folder = writePipeline(withReplaced("output('embedding'", "output('text'"));
    expect(checkErrors(folder.pipelineFile)[0]).toContain(
      `${locationPrefix(folder, 'output(')} error: output: name: tensor name 'text' is already used by another input or output`,
    );
  });

  it('rejects duplicate output names at the second output', () => {
    const source = withReplaced(
      'return [output(',
      "const pooled = meanPool(hidden.tokenEmbeddings, tokens.attentionMask);\n    return [output('embedding', pooled), output(",
    );
    const folder = writePipeline(source);
    const errors = checkErrors(folder.pipelineFile);
    const second = `output('embedding', normalize`;
    expect(errors).toContain(`${locationPrefix(folder, second)} error: output: duplicate output name 'embedding'; each output needs its own name`);
  });

  it('accepts several outputs, each computed from the one engine', () => {
    const source = withReplaced(
      'return [output(',
      "const pooled = meanPool(hidden.tokenEmbeddings, tokens.attentionMask);\n    return [output('pooled', pooled), output('tokens', tokens.tokenCount), output(",
    );
    const folder = writePipeline(source);
    const { ir } = checkPipeline(folder.pipelineFile);
    expect(ir.outputs.map((out) => [out.name, out.kind, out.dataType, out.dims[0]])).toEqual([
      ['pooled', 'sentenceEmbedding', 'FP32', 8],
      ['tokens', 'tokenCount', 'INT64', 1],
      ['embedding', 'sentenceEmbedding', 'FP32', 8],
    ]);
  });

  it('rejects preferred batch sizes above maxBatchSize', () => {
    const folder = writePipeline(withReplaced('maxBatchSize: 8,', 'maxBatchSize: 8,\n  dynamicBatching: { preferredBatchSizes: [4, 16] },'));
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'pipeline({')} error: pipeline: dynamicBatching.preferredBatchSizes: preferred batch size 16 is larger than maxBatchSize 8`,
    ]);
  });

  it('reports bad option values at the stage that has them', () => {
    const folder = writePipeline(withReplaced('maxLength: 16', 'maxLength: 2'));
    expect(checkErrors(folder.pipelineFile)).toEqual([
      `${locationPrefix(folder, 'tokenize(')} error: tokenize: maxLength = 2: must be at least 3 ([CLS], one token, [SEP])`,
    ]);
  });
});

describe('running the file', () => {
  it('asks for a default export', () => {
    const folder = writePipeline(basePipelineSource.replace('export default pipeline', 'export const p = pipeline'));
    expect(checkErrors(folder.pipelineFile)[0]).toMatch(/pipeline\.ts:1:1 error: the file has no pipeline as its default export/);
  });

  it('points at the line that threw', () => {
    const source = withReplaced("const text = textInput('text');", "const text = textInput('text');\n    if (text) throw new Error('boom');");
    const folder = writePipeline(source);
    expect(checkErrors(folder.pipelineFile)).toEqual([`${locationPrefix(folder, "new Error('boom')")} error: graph() failed: boom`]);
  });
});
