// Extractive QA on the tokenizer.json families that are not WordPiece
// (issue 19): an XLM-R SentencePiece Unigram file and a RoBERTa byte-level
// BPE file, each under an XLM-R QA head with fixed RANDOM WEIGHTS, built by
// `codegen build` and served by the real tritonserver. The windows are the
// tokenizer's own pair template (<s> q </s></s> c </s>); qa_check.py
// compares the n best answers (texts, character offsets, scores) with HF's
// question-answering code: HF's fast tokenizer's pair windows (truncation
// only_second + stride) + ONNX Runtime + transformers' select_starts_ends
// and the pipeline's merging of answers of the same text, on English, French
// with combining marks, German, Russian, Arabic, Chinese, Japanese and emoji
// contexts and answers inside words. Each model is built twice: answers
// widened to whole words (alignToWords, HF's default align_to_words) and the
// tokens' own offsets; the reference does the same with HF's word_to_chars.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { codegenBuild } from './build-example.js';
import { runCheck, type QaReport } from './run-check.js';
import { repoRoot, startTriton, type RunningTriton } from './triton-server.js';

const FAMILIES = [
  { name: 'qa_xlmr', modelDir: path.join(repoRoot, 'models/random-xlmr-unigram-qa') },
  { name: 'qa_roberta', modelDir: path.join(repoRoot, 'models/random-roberta-bpe-qa') },
] as const;
const MODELS = FAMILIES.flatMap((family) => [
  { ...family, alignToWords: true },
  { name: `${family.name}_tokens`, modelDir: family.modelDir, alignToWords: false },
]);

function writePipeline(dir: string, model: (typeof MODELS)[number]): string {
  const file = path.join(dir, `${model.name}.ts`);
  writeFileSync(
    file,
    `import { pipeline, textInput, tokenizeQuestionContext, engine, extractAnswers, output } from 'faster-bert';

export default pipeline({
  name: '${model.name}',
  maxBatchSize: 16,
  dynamicBatching: { maxQueueDelayMicroseconds: 5000 },
  graph: () => {
    const tokens = tokenizeQuestionContext(textInput('question'), textInput('context'), {
      tokenizerJson: '${model.modelDir}/tokenizer.json',
      maxLength: 64,
      docStride: 16,
    });
    const { startLogits, endLogits } = engine(tokens, { onnx: '${model.modelDir}/model.onnx' });
    const answers = extractAnswers(startLogits, endLogits, tokens.contextWindows, { nBest: 3, maxAnswerLength: 10, nullAnswer: true, alignToWords: ${model.alignToWords} });
    return [output('answer', answers.text), output('score', answers.score), output('start', answers.start), output('end', answers.end)];
  },
});
`,
  );
  return file;
}

describe('extractive QA on Unigram and byte-level BPE tokenizers (XLM-R, random weights) served by tritonserver', () => {
  let server: RunningTriton;
  const reports: Record<string, QaReport> = {};

  beforeAll(async () => {
    const dir = path.join(repoRoot, 'build/e2e/qa-families');
    mkdirSync(dir, { recursive: true });
    let repo = '';
    for (const model of MODELS) {
      const build = codegenBuild(writePipeline(dir, model), 'build/e2e/qa-families/repo');
      if (build.status !== 0) throw new Error(`codegen build ${model.name} failed:\n${build.output}`);
      repo = build.out;
    }
    server = await startTriton(repo);
    for (const model of MODELS) {
      reports[model.name] = runCheck<QaReport>('qa_check.py', [
        `--http-port=${server.ports.http}`,
        `--grpc-port=${server.ports.grpc}`,
        `--model=${model.name}`,
        `--model-dir=${model.modelDir}`,
        '--max-length=64',
        '--doc-stride=16',
        '--n-best=3',
        '--max-answer-length=10',
        '--null-answer',
        `--align-to-words=${model.alignToWords}`,
      ]);
    }
  }, 1_200_000);

  afterAll(async () => {
    await server?.stop();
  });

  it.each(MODELS.map((m) => m.name))('%s: answers, offsets and scores equal the reference over stride windows', (name) => {
    const report = reports[name];
    expect(report?.outputs['answer']).toEqual(['object', [report?.pairs, 3]]);
    expect(Math.max(...(report?.windows ?? []))).toBeGreaterThanOrEqual(3);
    expect(report?.mismatches).toEqual([]);
    expect(report?.texts_equal).toBe(true);
    expect(report?.offsets_equal).toBe(true);
    expect(report?.offsets_slice_to_answer).toBe(true);
    expect(report?.score_max_abs_diff).toBeLessThanOrEqual(1e-5);
    expect(report?.reference_min_margin).toBeGreaterThan(1e-5);
    // HF's pipeline merged spans of one text here, and never padded a window's top k with empty spans.
    expect(report?.merged_answers).toBeGreaterThan(0);
    expect(report?.reference_zero_score_spans).toBe(0);
    // Spans that start or end inside a word were there to widen.
    expect(report?.reference_widened_spans).toBeGreaterThan(0);
    expect(report?.pairs_changed_by_align_to_words).toBeGreaterThan(0);
  });

  it.each(MODELS.map((m) => m.name))('%s: a question leaving windows no longer than docStride: cut contexts refused, as by HF', (name) => {
    const report = reports[name];
    expect(report?.tight_question_room).toBeLessThanOrEqual(16);
    expect(report?.tight_question_fits_windows).toBe(1);
    expect(report?.tight_question_fits_equal).toBe(true);
    expect(report?.tight_question_hf_error).toMatch(/stride/);
    expect(report?.tight_question_error).toMatch(/not more than the docStride of 16/);
  });

  it.each(MODELS.map((m) => m.name))('%s: concurrent requests and bad requests', (name) => {
    const report = reports[name];
    expect(report?.concurrent_wrong).toEqual([]);
    expect(report?.long_question_error).toMatch(/input 'question' has \d+ tokens/);
    expect(report?.empty_context_error).toMatch(/input 'context' holds an empty text/);
  });
});
