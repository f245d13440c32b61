// NER (token classification) on the tokenizer.json families that are not
// WordPiece (issue 19): an XLM-R SentencePiece Unigram file and a RoBERTa
// byte-level BPE file, each under an XLM-R token classifier with fixed
// RANDOM WEIGHTS, one pipeline per aggregation strategy, built by
// `codegen build` and served by the real tritonserver. ner_check.py compares
// every entity (label, word, score, character and byte offsets) with HF
// tokenizers + ONNX Runtime + HF's own TokenClassificationPipeline
// aggregation on English, German, Russian, Arabic, Hindi, Chinese, Japanese,
// emoji and combining-accent texts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { codegenBuild } from './build-example.js';
import { runCheck } from './run-check.js';
import { repoRoot, startTriton, type RunningTriton } from './triton-server.js';

const FAMILIES = { xlmr: 'models/random-xlmr-unigram-ner', roberta: 'models/random-roberta-bpe-ner' } as const;
const STRATEGIES = ['none', 'simple', 'first', 'average', 'max'] as const;
const MODELS = Object.entries(FAMILIES).flatMap(([family, modelDir]) =>
  STRATEGIES.map((aggregation) => ({ name: `ner_${family}_${aggregation}`, modelDir: path.join(repoRoot, modelDir), aggregation })),
);

interface NerReport {
  texts: number;
  reference_entities: number;
  outputs: Record<string, [string, number[]]>;
  mismatches: unknown[];
  typed_mismatches: number[];
  truncated_text_tokens: number;
  multi_token_words: number;
  unknown_tokens: number;
  concurrent_wrong: unknown[];
  empty_text_error: string | null;
}

function writePipeline(dir: string, model: (typeof MODELS)[number]): string {
  const file = path.join(dir, `${model.name}.ts`);
  writeFileSync(
    file,
    `import { pipeline, textInput, tokenize, engine, tokenClassify, output } from 'faster-bert';

export default pipeline({
  name: '${model.name}',
  maxBatchSize: 16,
  dynamicBatching: { maxQueueDelayMicroseconds: 5000 },
  graph: () => {
    const tokens = tokenize(textInput('text'), { tokenizerJson: '${model.modelDir}/tokenizer.json', maxLength: 64 });
    const { tokenLogits } = engine(tokens, { onnx: '${model.modelDir}/model.onnx' });
    const ner = tokenClassify(tokenLogits, { labels: { configJson: '${model.modelDir}/config.json' }, aggregation: '${model.aggregation}', maxEntities: 16 });
    return [
      output('entities', ner.json),
      output('entity_labels', ner.labelIds),
      output('entity_starts', ner.starts),
      output('entity_ends', ner.ends),
      output('entity_scores', ner.scores),
    ];
  },
});
`,
  );
  return file;
}

describe('NER on Unigram and byte-level BPE tokenizers (XLM-R, random weights) served by tritonserver', () => {
  let server: RunningTriton;
  const reports: Record<string, NerReport> = {};
  let repo = '';

  beforeAll(async () => {
    const dir = path.join(repoRoot, 'build/e2e/ner-families');
    mkdirSync(dir, { recursive: true });
    for (const model of MODELS) {
      const build = codegenBuild(writePipeline(dir, model), 'build/e2e/ner-families/repo');
      if (build.status !== 0) throw new Error(`codegen build ${model.name} failed:\n${build.output}`);
      repo = build.out;
    }
    server = await startTriton(repo);
    for (const model of MODELS) {
      reports[model.name] = runCheck<NerReport>('ner_check.py', [
        `--http-port=${server.ports.http}`,
        `--grpc-port=${server.ports.grpc}`,
        `--model=${model.name}`,
        `--model-dir=${model.modelDir}`,
        '--max-length=64',
        `--aggregation=${model.aggregation}`,
      ]);
    }
  }, 1_800_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('ships the tokenizer.json itself', () => {
    for (const { name } of MODELS) expect(readdirSync(path.join(repo, name, '1'))).toContain('tokenizer.json');
  });

  it.each(MODELS.map((m) => m.name))('%s: entities equal HF TokenClassificationPipeline on multilingual texts', (name) => {
    const report = reports[name];
    expect(report?.outputs['entities']).toEqual(['object', [9, 1]]);
    expect(report?.reference_entities).toBeGreaterThan(20);
    // Words of several tokens, where the strategies and the subword rule matter.
    expect(report?.multi_token_words).toBeGreaterThan(50);
    expect(report?.truncated_text_tokens).toBeGreaterThan(64);
    expect(report?.mismatches).toEqual([]);
    expect(report?.typed_mismatches).toEqual([]);
  });

  it('meets an unknown token on the Unigram family (its word is the text)', () => {
    expect(reports['ner_xlmr_simple']?.unknown_tokens).toBeGreaterThan(0);
  });

  it.each(MODELS.map((m) => m.name))('%s: bad requests of a dynamic batch get their own errors', (name) => {
    const report = reports[name];
    expect(report?.concurrent_wrong).toEqual([]);
    expect(report?.empty_text_error).toMatch(/empty text/);
  });
});
