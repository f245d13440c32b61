// `codegen build`'s precision step, for an OpenVINO engine at bf16 or int8:
// quantizes the model (int8) and runs the accuracy gate against FP32 through
// tools/quantize/quantize_engine.py in the project's venv. The result is
// kept beside the generated sources and reused while its inputs (model,
// texts, tokenizer, thresholds, the script) stay the same.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PipelineCheckError } from '../frontend/diagnostics.js';
import type { OpenVinoEngineIr, PipelineIr } from '../ir/schema.js';
import type { RepositoryAsset } from '../lower/repository-asset.js';
import { int8ModelFiles } from '../ir/model-files.js';
import { vocabFileName } from '../lower/resolve-tokenizer.js';
import { projectPython, projectRoot } from '../project-root.js';
import { readStamp, writeStamp } from './compile-stamp.js';
import { hashFile, hashText } from './content-hash.js';

const scriptPath = (): string => join(projectRoot(), 'tools', 'quantize', 'quantize_engine.py');
// Test only: makes the int8 model broken on purpose, so tests see the gate fail.
const corruptForTest = (): boolean => process.env['FASTERBERT_TEST_CORRUPT_INT8_SCALES'] === '1';

const outputFigures = z.union([
  z.strictObject({ kind: z.string(), measure: z.literal('cosine'), min: z.number(), mean: z.number() }),
  z.strictObject({ kind: z.string(), measure: z.literal('argmax agreement'), value: z.number(), count: z.number() }),
]);

/** What quantize_engine.py reports (its stdout is NNCF's progress; the report is a file). */
const gateReport = z.union([
  z.strictObject({ error: z.string() }),
  z.looseObject({
    precision: z.enum(['bf16', 'int8']),
    ran_as: z.string(),
    held_out_texts: z.number(),
    outputs: z.record(z.string(), outputFigures),
    passed: z.boolean(),
    failures: z.array(z.string()),
    seconds: z.number(),
    calibration_samples: z.number().optional(),
    cpu_int8_dot_product: z.boolean().optional(),
  }),
]);
export type GateReport = Exclude<z.infer<typeof gateReport>, { error: string }>;

export interface PrecisionStepResult {
  /** The assets with the step's files resolved to paths. */
  readonly assets: RepositoryAsset[];
  readonly report: GateReport;
  readonly reused: boolean;
}

export type GatedEngine = OpenVinoEngineIr & {
  readonly precision: 'bf16' | 'int8';
  readonly accuracyGate: NonNullable<OpenVinoEngineIr['accuracyGate']>;
};

function isGated(engine: PipelineIr['engine']): engine is GatedEngine {
  return engine.kind === 'openvino' && engine.precision !== 'f32' && engine.accuracyGate !== null;
}

/** The engine when this step has work: OpenVINO at bf16 or int8. */
export function gatedEngine(ir: PipelineIr): GatedEngine | undefined {
  return isGated(ir.engine) ? ir.engine : undefined;
}

function vocabPath(assets: readonly RepositoryAsset[]): string {
  const vocab = assets.find((asset) => asset.file === vocabFileName);
  if (vocab === undefined || !('copyFrom' in vocab)) throw new Error(`precision step: the pipeline has no ${vocabFileName} to copy`);
  return vocab.copyFrom;
}

/** One line for the build log: what ran and the figures the gate compared. */
export function describeGate(report: GateReport): string {
  const figures = Object.entries(report.outputs).map(([name, f]) =>
    f.measure === 'cosine'
      ? `${name} cosine to FP32 min ${f.min.toFixed(5)} mean ${f.mean.toFixed(5)}`
      : `${name} argmax agreement ${(f.value * 100).toFixed(2)}% of ${f.count}`,
  );
  const line = `${report.precision} (ran as ${report.ran_as}): ${figures.join('; ')} on ${report.held_out_texts} held-out texts`;
  if (report.precision === 'bf16' && report.ran_as !== 'bf16') {
    return `warning: this CPU has no BF16, so OpenVINO runs this engine in f32 here and the gate compared f32 with f32; a serving CPU with BF16 runs it in bf16. ${line}`;
  }
  if (report.precision === 'int8' && report.cpu_int8_dot_product === false) {
    return `${line}. warning: this CPU has no int8 dot-product instructions (AVX-512 VNNI or AVX-VNNI), on which int8 runs slower than f32, so the backend serves the FP32 model here; a serving CPU with VNNI runs the gated int8 model`;
  }
  return line;
}

export function runPrecisionStep(
  ir: PipelineIr,
  engine: GatedEngine,
  assets: readonly RepositoryAsset[],
  pipelineDir: string,
): PrecisionStepResult {
  const gate = engine.accuracyGate;
  const stepDir = join(pipelineDir, 'precision');
  mkdirSync(stepDir, { recursive: true });
  const outputs = Object.entries(engine.outputs)
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([kind, name]) => ({ name, kind }));
  const request = {
    onnx: engine.model.path,
    outDir: stepDir,
    reportFile: join(stepDir, 'report.json'),
    precision: engine.precision,
    calibrationTexts: gate.calibrationTexts,
    heldOutTexts: gate.heldOutTexts,
    samples: gate.samples,
    tokenizer:
      ir.tokenizer.kind === 'wordpiece'
        ? { ...ir.tokenizer, vocab: vocabPath(assets) }
        : { kind: ir.tokenizer.kind, tokenizerJson: ir.tokenizer.file.path, bertOverrides: ir.tokenizer.bertOverrides, maxLength: ir.tokenizer.maxLength },
    inputs: engine.inputs,
    outputs,
    minCosine: gate.minCosine,
    minAgreement: gate.minAgreement,
  };
  const stamp = hashText(
    JSON.stringify(request),
    ...[engine.model.path, gate.heldOutTexts, 'vocab' in request.tokenizer ? request.tokenizer.vocab : request.tokenizer.tokenizerJson, scriptPath()].map(hashFile),
    gate.calibrationTexts === null ? '' : hashFile(gate.calibrationTexts),
    String(corruptForTest()),
  );
  const stampFile = join(stepDir, 'stamp');
  const resolved = assets.map((asset): RepositoryAsset =>
    'builtBy' in asset ? { file: asset.file, copyFrom: join(stepDir, asset.file) } : asset,
  );
  const built = engine.precision === 'bf16' || [int8ModelFiles.xml, int8ModelFiles.bin].every((file) => existsSync(join(stepDir, file)));
  if (built && existsSync(request.reportFile) && readStamp(stampFile) === stamp) {
    const report = gateReport.parse(JSON.parse(readFileSync(request.reportFile, 'utf8')));
    if (!('error' in report) && report.passed) return { assets: resolved, report, reused: true };
  }

  rmSync(stampFile, { force: true });
  rmSync(request.reportFile, { force: true });
  const requestFile = join(stepDir, 'request.json');
  writeFileSync(requestFile, JSON.stringify(request, null, 2) + '\n');
  const run = spawnSync(projectPython(), [scriptPath(), requestFile], {
    encoding: 'utf8',
    timeout: 30 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  writeFileSync(join(stepDir, 'log.txt'), `${run.stdout ?? ''}\n${run.stderr ?? ''}`);
  const reportText = existsSync(request.reportFile) ? readFileSync(request.reportFile, 'utf8') : undefined;
  if (reportText === undefined) {
    const why = (run.error?.message ?? run.stderr ?? '').trim().split('\n').slice(-5).join('\n');
    throw new Error(`precision step: ${scriptPath()} wrote no report (exit ${run.status ?? 'none'}): ${why}; log ${join(stepDir, 'log.txt')}`);
  }
  const report = gateReport.parse(JSON.parse(reportText));
  if ('error' in report) throw new Error(`precision step (${engine.precision}) failed: ${report.error}; log ${join(stepDir, 'log.txt')}`);
  if (!report.passed) {
    // At the engine() call: the user changes its precision or calibration there.
    throw new PipelineCheckError(
      report.failures.map((failure) => ({
        location: engine.source,
        message: `engine: precision '${engine.precision}' fails its accuracy gate: ${failure}; ${describeGate(report)}. Keep precision 'f32', calibrate on texts like the served ones (calibration.texts), or lower the threshold knowingly`,
      })),
    );
  }
  writeStamp(stampFile, stamp);
  return { assets: resolved, report, reused: false };
}
