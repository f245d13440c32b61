// Runs one of the Python check scripts against a served model and returns
// the JSON report it prints last.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { python, repoRoot, type RunningTriton } from './triton-server.js';

export function runCheck<Report>(script: string, args: readonly string[]): Report {
  let stdout: string;
  try {
    stdout = execFileSync(python, [path.join(repoRoot, 'test/e2e', script), ...args], {
      encoding: 'utf8',
      maxBuffer: 16 * 1024 * 1024,
      cwd: path.join(repoRoot, 'test/e2e'),
      // HF tokenizers' expected panics (QA's too-short windows) in one line, not a backtrace each.
      env: { ...process.env, RUST_BACKTRACE: '0' },
    });
  } catch (error) {
    // The first line says which script and what Python raised (its last
    // stderr line), not execFileSync's "Command failed: <the command line>".
    const failed = error as { status?: number | null; signal?: string | null; stderr?: string };
    const raised = (failed.stderr ?? '').trim().split('\n').at(-1) ?? '';
    const how = failed.signal ? `killed by ${failed.signal}` : `exited with ${String(failed.status)}`;
    throw new Error(`${script} ${how}: ${raised}`, { cause: error });
  }
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as Report;
}

/**
 * embeddings_check.py against one served embedding model (default
 * all-MiniLM-L6-v2; `modelDir` holds the reference's tokenizer.json and
 * model.onnx; `reference` its pooling and prompt, default mean pooling and
 * none): the FP32 reference, client batches, singles, concurrency, bad
 * requests and mixed batches (the server log tells it when a mixed execution
 * happened).
 */
export function checkEmbeddings<Report>(
  server: RunningTriton,
  model: string,
  modelDir = 'models/all-MiniLM-L6-v2',
  reference: EmbeddingReference = {},
): Report {
  return runCheck<Report>('embeddings_check.py', [
    `--http-port=${server.ports.http}`,
    `--grpc-port=${server.ports.grpc}`,
    `--model=${model}`,
    `--model-dir=${path.join(repoRoot, modelDir)}`,
    '--max-length=256',
    `--server-log=${server.logFile}`,
    `--pooling=${reference.pooling ?? 'mean'}`,
    // One argument with '=': a prompt may start with '-' or be spaces only.
    `--prompt=${reference.prompt ?? ''}`,
  ]);
}

/** How the reference makes an embedding: the pooling, and a prompt it puts in front of each text. */
export interface EmbeddingReference {
  readonly pooling?: 'mean' | 'cls';
  readonly prompt?: string;
}

/** What test/e2e/rerank_check.py reports for a reranker: scores and order against the reference, shapes, truncation, concurrency, bad requests. */
export interface RerankReport {
  score_max_abs_diff: number;
  top_mismatches: unknown[];
  shapes: [number[], number[], string, string][];
  reference_min_gap: number;
  truncated_pairs: number;
  many_passages: number;
  concurrent_executions: number;
  concurrent_requests: number;
  concurrent_wrong: unknown[];
  bad_errors: (string | null)[];
  single_bad: { empty_query: string | null; too_many: string | null };
}

/** What qa_check.py reports (the BERT example also runs its concurrency and row-count checks). */
export interface QaReport {
  pairs: number;
  windows: number[];
  reference_min_margin: number;
  null_first: number;
  outputs: Record<string, [string, number[]]>;
  texts_equal: boolean;
  offsets_equal: boolean;
  score_max_abs_diff: number;
  mismatches: unknown[];
  offsets_slice_to_answer: boolean;
  concurrent_executions: number;
  concurrent_requests: number;
  concurrent_wrong: unknown[];
  long_question_error: string | null;
  merged_answers: number;
  reference_zero_score_spans: number;
  reference_widened_spans: number;
  pairs_changed_by_align_to_words: number;
  tight_question_room: number;
  tight_question_fits_windows: number;
  tight_question_fits_equal: boolean | string;
  tight_question_hf_error: string | null;
  tight_question_error: string | null;
  row_count_mismatch_error: string | null;
  empty_context_error: string | null;
}
