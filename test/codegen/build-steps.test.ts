// The pieces of `codegen build` that need no compiler: the compile stamp and
// the model repository layout.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileStamp, type CompileInputs } from '../../codegen/compile/compile-stamp.js';
import { writeModelRepository } from '../../codegen/compile/model-repository.js';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import type { PipelineIr } from '../../codegen/ir/schema.js';
import { assetsDir, fixturesDir, temporaryFolder } from './pipeline-fixture.js';

let ir: PipelineIr;
let inputs: CompileInputs;

beforeAll(() => {
  ir = checkPipeline(join(fixturesDir, 'pipelines', 'valid.ts')).ir;
  inputs = {
    ir,
    sources: { 'pipeline_spec.cc': 'spec', 'CMakeLists.txt': 'lists' },
    backendHash: 'abc',
    flags: { OpenVINO_DIR: '/ov', buildType: 'Release' },
  };
});

describe('compile stamp', () => {
  it('changes with the IR, the generated sources, the runtime and the flags', () => {
    const base = compileStamp(inputs);
    expect(compileStamp({ ...inputs })).toBe(base);
    expect(compileStamp({ ...inputs, ir: { ...ir, maxBatchSize: 9 } })).not.toBe(base);
    expect(compileStamp({ ...inputs, sources: { ...inputs.sources, 'pipeline_spec.cc': 'spec2' } })).not.toBe(base);
    expect(compileStamp({ ...inputs, backendHash: 'abd' })).not.toBe(base);
    expect(compileStamp({ ...inputs, flags: { ...inputs.flags, OpenVINO_DIR: '/other' } })).not.toBe(base);
  });

  it('ignores where the DSL calls are written', () => {
    const moved = { ...ir, input: { ...ir.input, source: { file: '/elsewhere.ts', line: 99, column: 1 } } };
    expect(compileStamp({ ...inputs, ir: moved })).toBe(compileStamp(inputs));
  });
});

describe('model repository', () => {
  it('writes config.pbtxt and version 1 with the library, assets and IR, and drops stale files', () => {
    const root = temporaryFolder('faster-bert-repo-');
    const library = join(root, 'libtriton_tiny.so');
    writeFileSync(library, 'ELF');
    const versionDir = join(root, 'repo', 'tiny', '1');
    mkdirSync(versionDir, { recursive: true });
    writeFileSync(join(versionDir, 'stale.bin'), 'old');

    const modelDir = writeModelRepository({
      repositoryDir: join(root, 'repo'),
      name: 'tiny',
      configPbtxt: 'name: "tiny"\n',
      library,
      libraryName: 'libtriton_tiny.so',
      assets: [
        { file: 'vocab.txt', contents: 'a\nb\n' },
        { file: 'model.onnx', copyFrom: join(assetsDir, 'model.onnx') },
      ],
      pipelineJson: '{}\n',
    });
    expect(modelDir).toBe(join(root, 'repo', 'tiny'));
    expect(readFileSync(join(modelDir, 'config.pbtxt'), 'utf8')).toBe('name: "tiny"\n');
    expect(readdirSync(versionDir).sort()).toEqual(['libtriton_tiny.so', 'model.onnx', 'pipeline.json', 'vocab.txt']);
    expect(readFileSync(join(versionDir, 'vocab.txt'), 'utf8')).toBe('a\nb\n');
    expect(readFileSync(join(versionDir, 'model.onnx'))).toEqual(readFileSync(join(assetsDir, 'model.onnx')));
    expect(existsSync(join(versionDir, 'stale.bin'))).toBe(false);
    // A library rebuilt in place must not change the copy in the repository.
    expect(statSync(join(versionDir, 'libtriton_tiny.so')).ino).not.toBe(statSync(library).ino);
  });
});
