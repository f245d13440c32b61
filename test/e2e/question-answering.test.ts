// The extractive QA example (a small BERT QA head with fixed RANDOM WEIGHTS:
// real architecture and vocab, not a trained model), built by `codegen build`
// and served by the real tritonserver, against HF's question-answering code
// (qa_check.py): HF's fast tokenizer's pair windows + ONNX Runtime +
// transformers' select_starts_ends and the pipeline's merging of answers.
// The example widens answers to whole words (alignToWords, by default, as
// HF's align_to_words); a copy of it with alignToWords: false, served beside
// it, keeps the tokens' offsets. The reference does each with HF's own
// Encoding.token_to_word / word_to_chars.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildExample, codegenBuild } from './build-example.js';
import { runCheck, type QaReport } from './run-check.js';
import { repoRoot, startTriton, type RunningTriton } from './triton-server.js';

describe('extractive QA example (random weights) served by tritonserver', () => {
  let server: RunningTriton;
  let report: QaReport;
  let tokensReport: QaReport;

  beforeAll(async () => {
    const repo = buildExample('examples/question-answering/pipeline.ts', 'build/e2e/question-answering');
    // The example with alignToWords: false, under another name.
    const dir = path.join(repoRoot, 'build/e2e/question-answering-tokens');
    mkdirSync(dir, { recursive: true });
    const example = readFileSync(path.join(repoRoot, 'examples/question-answering/pipeline.ts'), 'utf8');
    const tokensFile = path.join(dir, 'pipeline.ts');
    const tokensSource = example
      .replace("const modelDir = '../../models/random-bert-qa'", `const modelDir = '${path.join(repoRoot, 'models/random-bert-qa')}'`)
      .replace("name: 'extractive_qa'", "name: 'extractive_qa_tokens'")
      .replace('nullAnswer: true,', 'nullAnswer: true,\n      alignToWords: false,');
    // Every replacement must have hit, or the copy would be the example itself.
    if (!tokensSource.includes(repoRoot) || !tokensSource.includes('extractive_qa_tokens') || !tokensSource.includes('alignToWords: false')) {
      throw new Error('examples/question-answering/pipeline.ts changed: the alignToWords: false copy needs new replacements');
    }
    writeFileSync(tokensFile, tokensSource);
    const tokens = codegenBuild(tokensFile, 'build/e2e/question-answering');
    if (tokens.status !== 0) throw new Error(`codegen build ${tokensFile} failed:\n${tokens.output}`);
    server = await startTriton(repo);
    const check = (model: string, alignToWords: boolean) => runCheck<QaReport>('qa_check.py', [
      `--http-port=${server.ports.http}`,
      `--grpc-port=${server.ports.grpc}`,
      `--model=${model}`,
      `--model-dir=${path.join(repoRoot, 'models/random-bert-qa')}`,
      '--max-length=64',
      '--doc-stride=16',
      '--n-best=3',
      '--max-answer-length=10',
      '--null-answer',
      `--align-to-words=${alignToWords}`,
    ]);
    report = check('extractive_qa', true);
    tokensReport = check('extractive_qa_tokens', false);
  }, 900_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('serves question + context in and n-best answers, scores and offsets out', () => {
    expect(report.outputs).toEqual({
      answer: ['object', [report.pairs, 3]],
      score: ['float32', [report.pairs, 3]],
      start: ['int64', [report.pairs, 3]],
      end: ['int64', [report.pairs, 3]],
    });
    // Long contexts really were cut into several doc-stride windows.
    expect(Math.max(...report.windows)).toBeGreaterThanOrEqual(3);
  });

  it('gives the reference answer strings and character offsets exactly, scores within 1e-5 (random weights)', () => {
    expect(report.mismatches).toEqual([]);
    expect(report.texts_equal).toBe(true);
    expect(report.offsets_equal).toBe(true);
    expect(report.offsets_slice_to_answer).toBe(true);
    expect(report.score_max_abs_diff).toBeLessThanOrEqual(1e-5);
    // The ranking is decided by far more than float noise.
    expect(report.reference_min_margin).toBeGreaterThan(1e-5);
    // HF's pipeline merged spans of one text here, and never padded a window's top k with empty spans.
    expect(report.merged_answers).toBeGreaterThan(0);
    expect(report.reference_zero_score_spans).toBe(0);
    // Spans that start or end inside a word were there to widen, and widening changed answers.
    expect(report.reference_widened_spans).toBeGreaterThan(0);
    expect(report.pairs_changed_by_align_to_words).toBeGreaterThan(0);
  });

  it('with alignToWords: false, gives the reference answers at the tokens\' own offsets', () => {
    expect(tokensReport.mismatches).toEqual([]);
    expect(tokensReport.texts_equal).toBe(true);
    expect(tokensReport.offsets_equal).toBe(true);
    expect(tokensReport.offsets_slice_to_answer).toBe(true);
    expect(tokensReport.score_max_abs_diff).toBeLessThanOrEqual(1e-5);
    expect(tokensReport.reference_min_margin).toBeGreaterThan(1e-5);
    expect(tokensReport.pairs_changed_by_align_to_words).toBeGreaterThan(0);
    expect(tokensReport.concurrent_wrong).toEqual([]);
    expect(tokensReport.tight_question_fits_equal).toBe(true);
  });

  it('refuses to cut a context into windows no longer than docStride, as HF does, and answers one that fits', () => {
    expect(report.tight_question_room).toBeLessThanOrEqual(16);
    expect(report.tight_question_fits_windows).toBe(1);
    expect(report.tight_question_fits_equal).toBe(true);
    expect(report.tight_question_hf_error).toMatch(/stride/);
    expect(report.tight_question_error).toMatch(/not more than the docStride of 16/);
  });

  it('answers concurrent requests merged by the dynamic batcher, each with the outputs it named', () => {
    expect(report.concurrent_wrong).toEqual([]);
    expect(report.concurrent_executions).toBeLessThan(report.concurrent_requests);
  });

  it('gives a bad request its own error', () => {
    expect(report.long_question_error).toMatch(/input 'question' has \d+ tokens/);
    // Triton itself refuses inputs of different batch sizes.
    expect(report.row_count_mismatch_error).toMatch(/batch|shape|rows/i);
    expect(report.empty_context_error).toMatch(/input 'context' holds an empty text/);
  });
});
