// What emit renders: config.pbtxt (parsed back), pipeline_spec.cc (its
// constants, and it compiles against the contract header), CMakeLists.txt,
// and the quoting helpers.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { cmakeQuotedArgument, cppStringLiteral, protobufTextString } from '../../codegen/emit/escape.js';
import { renderPipelineFiles, type RenderedPipelineFiles } from '../../codegen/emit/render-pipeline-files.js';
import type { PipelineIr } from '../../codegen/ir/schema.js';
import { parsePbtxt } from './parse-pbtxt.js';
import { expectSpecCompiles, fixturesDir, hasCompiler, repoRoot, temporaryFolder } from './pipeline-fixture.js';


let ir: PipelineIr;
let files: RenderedPipelineFiles;

beforeAll(() => {
  ir = checkPipeline(join(fixturesDir, 'pipelines', 'valid.ts')).ir;
  files = renderPipelineFiles(ir, join(repoRoot, 'backend-cpp'));
});

describe('config.pbtxt', () => {
  it('declares the model for Triton', () => {
    expect(parsePbtxt(files['config.pbtxt'])).toEqual({
      name: 'tiny_embeddings',
      backend: 'tiny_embeddings',
      max_batch_size: 8,
      input: [{ name: 'text', data_type: 'TYPE_STRING', dims: [1] }],
      output: [{ name: 'embedding', data_type: 'TYPE_FP32', dims: [8] }],
      dynamic_batching: {
        max_queue_delay_microseconds: 100,
        preferred_batch_size: [4, 8],
        preserve_ordering: 'false',
        default_queue_policy: { timeout_action: 'REJECT', default_timeout_microseconds: 0, allow_timeout_override: 'false', max_queue_size: 0 },
      },
      instance_group: [{ count: 2, kind: 'KIND_CPU' }],
    });
  });

  it('leaves out dynamic_batching when the pipeline does not ask for it, and preferred sizes when none', () => {
    const plain = renderPipelineFiles({ ...ir, dynamicBatching: null }, '/x')['config.pbtxt'];
    expect(parsePbtxt(plain)['dynamic_batching']).toBeUndefined();
    const batching = ir.dynamicBatching;
    if (batching === null) throw new Error('the fixture asks for dynamic batching');
    const noPreferred = renderPipelineFiles({ ...ir, dynamicBatching: { ...batching, maxQueueDelayMicroseconds: 5, preferredBatchSizes: [] } }, '/x');
    expect(parsePbtxt(noPreferred['config.pbtxt'])['dynamic_batching']).not.toHaveProperty('preferred_batch_size');
  });
});

describe('pipeline_spec.cc', () => {
  it('fills every field of the spec with the pipeline constants', () => {
    const spec = files['pipeline_spec.cc'];
    for (const line of [
      '#include "pipeline/pipeline_spec.h"',
      'PipelineSpec MakePipelineSpec() {',
      'spec.name = "tiny_embeddings";',
      'spec.text_inputs = {\n      "text",\n  };',
      'spec.encoding.kind = EncodingKind::kSingleText;',
      'spec.allow_empty_text = false;',
      'spec.max_text_bytes = 1048576;',
      'spec.max_batch_size = 8;',
      'spec.tokenizer.vocab_file = "vocab.txt";',
      'spec.tokenizer.options.lowercase = true;',
      'spec.tokenizer.options.strip_accents = true;',
      'spec.tokenizer.options.cls_token = "[CLS]";',
      'spec.tokenizer.options.continuing_subword_prefix = "##";',
      'spec.tokenizer.max_length = 16;',
      'spec.tokenizer.truncation = true;',
      'spec.engine.kind = EngineKind::kOpenVino;',
      'spec.engine.model_file = "model.onnx";',
      'spec.engine.device = "CPU";',
      'spec.engine.input_ids = "input_ids";',
      'spec.engine.token_type_ids = "token_type_ids";',
      'spec.engine.token_embeddings = "last_hidden_state";',
      'spec.engine.hidden_size = 8;',
      'PostOp::kMeanPool,',
      'PostOp::kL2Normalize,',
      'spec.outputs.push_back({ "embedding", OutputKind::kSentenceEmbedding, 8, {',
      'spec.engine.logits = "";',
    ]) {
      expect(spec).toContain(line);
    }
    expect(spec.indexOf('kMeanPool')).toBeLessThan(spec.indexOf('kL2Normalize'));
  });

  it('writes an empty token_type_ids for a model without them', () => {
    const spec = renderPipelineFiles({ ...ir, engine: { ...ir.engine, inputs: { ...ir.engine.inputs, tokenTypeIds: null } } }, '/x');
    expect(spec['pipeline_spec.cc']).toContain('spec.engine.token_type_ids = "";');
  });

  it.skipIf(!hasCompiler)('compiles against backend-cpp/pipeline/pipeline_spec.h', () => {
    expectSpecCompiles(files['pipeline_spec.cc']);
  });
});

describe('CMakeLists.txt', () => {
  it('adds the runtime and the backend named after the pipeline', () => {
    expect(files['CMakeLists.txt'].split('\n').filter((line) => !line.startsWith('#'))).toEqual([
      'cmake_minimum_required(VERSION 3.18)',
      'project(triton_tiny_embeddings LANGUAGES CXX)',
      `add_subdirectory("${join(repoRoot, 'backend-cpp')}" fasterbert)`,
      'fasterbert_add_backend(NAME tiny_embeddings SPEC_SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/pipeline_spec.cc")',
      '',
    ]);
  });
});

describe('quoting', () => {
  const awkward = ['plain', 'quote " and backslash \\', 'tab\tnew\nline', '??=trigraph', 'caf\u00e9 \u4e2d\u6587 \u{1F600}', '\u0001\u007f', 'x\u00e9f'];

  it.skipIf(!hasCompiler)('C++ literals read back byte for byte', () => {
    const dir = temporaryFolder('faster-bert-escape-');
    const program = [
      '#include <cstdio>',
      '#include <string>',
      'int main() {',
      ...awkward.map((text) => `  { std::string s = ${cppStringLiteral(text)}; std::fwrite(s.data(), 1, s.size(), stdout); std::fputc(0, stdout); }`),
      '}',
    ].join('\n');
    writeFileSync(join(dir, 'escape.cc'), program);
    execFileSync('g++', ['-std=c++17', '-o', 'escape', 'escape.cc'], { cwd: dir });
    const output = execFileSync(join(dir, 'escape'));
    expect(output.toString('utf8').split('\0').slice(0, -1)).toEqual(awkward);
  });

  it('protobuf text strings use only printable ASCII', () => {
    for (const text of awkward) expect(protobufTextString(text)).toMatch(/^"[ -~]*"$/);
    expect(protobufTextString('a"b')).toBe('"a\\"b"');
  });

  it('CMake arguments do not expand variables', () => {
    expect(cmakeQuotedArgument('/opt/${HOME}/a "b" c\\d')).toBe('"/opt/\\${HOME}/a \\"b\\" c\\\\d"');
  });
});
