// Reading a model repository: config.pbtxt as codegen renders it (compared
// with the test suite's own pbtxt reader), text-format variants Triton also
// accepts, and the mistakes that must stop `codegen deploy`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelRepositoryError, readModelRepository } from '../../codegen/deploy/model-repository.js';
import { parsePbtxt } from '../../codegen/deploy/pbtxt.js';
import { renderConfigPbtxt } from '../../codegen/emit/config-pbtxt.js';
import { parsePbtxt as referenceParsePbtxt } from '../codegen/parse-pbtxt.js';
import { configRepository, exampleIr, temporaryDir } from './manifest-fixture.js';

function repositoryWith(configs: Readonly<Record<string, string>>): string {
  const dir = temporaryDir('deploy-repo');
  for (const [folder, text] of Object.entries(configs)) {
    mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, folder, 'config.pbtxt'), text);
  }
  return dir;
}

describe('model repository reader', () => {
  it('reads what codegen renders as the test suite\'s reader does', () => {
    for (const example of ['embeddings/pipeline.ts', 'rerank/pipeline.ts', 'question-answering/pipeline.ts']) {
      const text = renderConfigPbtxt(exampleIr(example));
      const ours = parsePbtxt(text);
      const reference = referenceParsePbtxt(text);
      expect(ours['name']).toBe(reference['name']);
      expect(ours['instance_group']).toEqual(reference['instance_group']);
      expect(ours['dynamic_batching']).toEqual(reference['dynamic_batching']);
    }
  });

  it('names, instance kinds and counts from each config.pbtxt, sorted; folders without one are skipped', () => {
    const dir = configRepository([exampleIr('rerank/pipeline.ts'), exampleIr('embeddings/pipeline.ts')]);
    mkdirSync(join(dir, 'not_a_model'));
    expect(readModelRepository(dir)).toEqual([
      { name: 'minilm_embeddings', backend: 'minilm_embeddings', instanceGroups: [{ count: exampleIr('embeddings/pipeline.ts').instances.count, kind: 'KIND_CPU' }], usesGpu: false },
      { name: 'passage_reranker', backend: 'passage_reranker', instanceGroups: [{ count: exampleIr('rerank/pipeline.ts').instances.count, kind: 'KIND_CPU' }], usesGpu: false },
    ]);
  });

  it('text-format variants: repeated fields instead of a list, <> messages, comments, several groups, defaults', () => {
    const dir = repositoryWith({
      mixed: `# a hand-written config
name: "mixed"
platform: "onnxruntime_onnx"
instance_group { count: 2 kind: KIND_CPU }
instance_group < kind: KIND_GPU gpus: [ 0, 1 ] >
`,
      plain: 'name: "plain"\nbackend: "python"\n',
    });
    expect(readModelRepository(dir)).toEqual([
      { name: 'mixed', backend: undefined, instanceGroups: [{ count: 2, kind: 'KIND_CPU' }, { count: 1, kind: 'KIND_GPU' }], usesGpu: true },
      { name: 'plain', backend: 'python', instanceGroups: [], usesGpu: false },
    ]);
  });

  it('refuses a name that differs from its folder, a config without a name, broken text, an empty repository', () => {
    expect(() => readModelRepository(repositoryWith({ folder: 'name: "other"' }))).toThrow(/name 'other' differs from its folder 'folder'/);
    expect(() => readModelRepository(repositoryWith({ nameless: 'backend: "x"' }))).toThrow(ModelRepositoryError);
    expect(() => readModelRepository(repositoryWith({ broken: 'name: "broken"\ninstance_group [ { count: 1 ' }))).toThrow(/config\.pbtxt: unclosed/);
    expect(() => readModelRepository(repositoryWith({ weird: 'name: "weird" instance_group [ { kind: KIND_TPU } ]' }))).toThrow(/instance_group\.0\.kind/);
    expect(() => readModelRepository(temporaryDir('deploy-empty'))).toThrow(/no <model>\/config\.pbtxt found/);
    expect(() => readModelRepository('/nonexistent/repository')).toThrow(/not a directory/);
  });
});
