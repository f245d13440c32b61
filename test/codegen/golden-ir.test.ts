// Golden IR per pipeline: any change to the IR of the fixture or of the
// example shows up here. UPDATE_GOLDEN=1 rewrites the golden files.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { fixturesDir, repoRoot } from './pipeline-fixture.js';

const goldenDir = join(repoRoot, 'test', 'codegen', 'golden');
const exampleFile = join(repoRoot, 'examples', 'embeddings', 'pipeline.ts');
const exampleModelDir = join(repoRoot, 'models', 'all-MiniLM-L6-v2');
const exampleModelMissing = !['tokenizer.json', 'model.onnx'].every((file) => existsSync(join(exampleModelDir, file)));

/** The IR as JSON text with this checkout's absolute path replaced by <repo>. */
function normalisedIr(pipelineFile: string): string {
  const { ir } = checkPipeline(pipelineFile);
  return JSON.stringify(ir, null, 2).replaceAll(repoRoot, '<repo>/') + '\n';
}

function expectGolden(actual: string, goldenName: string): void {
  const goldenFile = join(goldenDir, goldenName);
  if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(goldenFile, actual);
  expect(actual).toBe(readFileSync(goldenFile, 'utf8'));
}

describe('golden IR', () => {
  it('of the tiny fixture pipeline', () => {
    expectGolden(normalisedIr(join(fixturesDir, 'pipelines', 'valid.ts')), 'tiny_embeddings.ir.json');
  });

  it.skipIf(exampleModelMissing)('of examples/embeddings (needs models/all-MiniLM-L6-v2: scripts/prepare-models.sh)', () => {
    const text = normalisedIr(exampleFile);
    expectGolden(text, 'minilm_embeddings.ir.json');
    const ir = JSON.parse(text) as { outputs: Array<{ name: string; dims: number[] }>; input: { name: string } };
    expect(ir.input.name).toBe('text');
    expect(ir.outputs).toMatchObject([{ name: 'embedding', dims: [384] }]);
  });

  // The pipeline kinds; their models come from scripts/prepare-models.sh.
  for (const [example, model, golden] of [
    ['embedding-variants', 'all-MiniLM-L6-v2', 'minilm_variants'],
    ['classifier', 'random-bert-classifier', 'topic_classifier'],
    ['multi-label-classifier', 'random-bert-classifier', 'topic_tagger'],
    ['question-answering', 'random-bert-qa', 'extractive_qa'],
    ['rerank', 'random-bert-reranker', 'passage_reranker'],
    ['rerank/pair-per-row.ts', 'random-bert-reranker-2class', 'pair_scorer'],
    ['ner', 'random-bert-ner', 'ner_tagger'],
  ] as const) {
    const missing = !existsSync(join(repoRoot, 'models', model, 'model.onnx'));
    it.skipIf(missing)(`of examples/${example} (needs models/${model}: scripts/prepare-models.sh)`, () => {
      const file = example.endsWith('.ts') ? example : `${example}/pipeline.ts`;
      expectGolden(normalisedIr(join(repoRoot, 'examples', file)), `${golden}.ir.json`);
    });
  }

  it.skipIf(exampleModelMissing)('ships the tokenizer.json as it is, for the runtime to read (no vocab.txt)', () => {
    const { assets } = checkPipeline(exampleFile);
    expect(assets).toContainEqual({ file: 'tokenizer.json', copyFrom: join(exampleModelDir, 'tokenizer.json') });
    expect(assets.map((asset) => asset.file)).not.toContain('vocab.txt');
  });
});
