// Turns an engine() call's precision and calibration options into the IR's
// precision and accuracy gate: defaults, ranges, and the text files, which
// must exist. Only OpenVINO (provider 'cpu') has a precision to choose.
import { join } from 'node:path';
import type { SourceLocation } from '../dsl/source-location.js';
import type { CalibrationOptions, EnginePrecision } from '../dsl/stage-options.js';
import type { DiagnosticList } from '../frontend/diagnostics.js';
import { int8ModelFiles } from '../ir/model-files.js';
import type { OpenVinoEngineIr } from '../ir/schema.js';
import { resolveAssetPath } from '../model-files/asset-path.js';
import { projectRoot } from '../project-root.js';
import type { RepositoryAsset } from './repository-asset.js';

const defaultSamples = 300;
const defaultMinCosine: Readonly<Record<Exclude<EnginePrecision, 'f32'>, number>> = { int8: 0.99, bf16: 0.999 };
const defaultMinAgreement = 0.99;

function defaultTexts(name: 'calibration.txt' | 'held-out.txt'): string {
  return join(projectRoot(), 'tools', 'quantize', 'texts', name);
}

export interface ResolvedPrecision {
  readonly precision: OpenVinoEngineIr['precision'];
  readonly accuracyGate: OpenVinoEngineIr['accuracyGate'];
}

function checkFraction(value: number | undefined, option: string, report: (message: string) => void): void {
  if (value !== undefined && !(value > 0 && value <= 1)) {
    report(`engine: calibration.${option} is ${value}; it is a fraction in (0, 1]`);
  }
}

export function resolvePrecision(
  precision: EnginePrecision | undefined,
  calibration: CalibrationOptions | undefined,
  pipelineFile: string,
  location: SourceLocation | undefined,
  diagnostics: DiagnosticList,
): ResolvedPrecision | undefined {
  const report = (message: string): void => diagnostics.add(location, message);
  const chosen = precision ?? 'f32';
  if (chosen !== 'f32' && chosen !== 'bf16' && chosen !== 'int8') {
    report(`engine: precision '${String(chosen)}' is not one of 'f32', 'bf16', 'int8'`);
    return undefined;
  }
  if (chosen === 'f32') {
    if (calibration !== undefined) report("engine: calibration is for precision 'bf16' or 'int8'; this engine computes in f32");
    return { precision: 'f32', accuracyGate: null };
  }
  const options = calibration ?? {};
  const before = diagnostics.items.length;
  if (chosen === 'bf16' && (options.texts !== undefined || options.samples !== undefined)) {
    report("engine: calibration.texts and calibration.samples are for precision 'int8' (bf16 needs no calibration); keep heldOut, minCosine, minAgreement");
  }
  if (options.samples !== undefined && !(Number.isInteger(options.samples) && options.samples > 0)) {
    report(`engine: calibration.samples is ${options.samples}; it is a whole number above 0`);
  }
  checkFraction(options.minCosine, 'minCosine', report);
  checkFraction(options.minAgreement, 'minAgreement', report);
  const heldOutTexts =
    options.heldOut === undefined
      ? defaultTexts('held-out.txt')
      : resolveAssetPath(pipelineFile, options.heldOut, 'engine: calibration.heldOut texts', location, diagnostics);
  const calibrationTexts =
    chosen === 'bf16'
      ? null
      : options.texts === undefined
        ? defaultTexts('calibration.txt')
        : resolveAssetPath(pipelineFile, options.texts, 'engine: calibration.texts', location, diagnostics);
  if (diagnostics.items.length > before || heldOutTexts === undefined || calibrationTexts === undefined) return undefined;
  return {
    precision: chosen,
    accuracyGate: {
      calibrationTexts,
      samples: options.samples ?? defaultSamples,
      heldOutTexts,
      minCosine: options.minCosine ?? defaultMinCosine[chosen],
      minAgreement: options.minAgreement ?? defaultMinAgreement,
    },
  };
}

/**
 * The model's files in the version directory for this precision. An int8
 * model carries its FP32 original too: the backend loads that one on CPUs
 * without int8 dot-product instructions, where int8 runs slower
 * (backend-cpp/engines/openvino/int8_fallback.h).
 */
export function precisionModelAssets(precision: OpenVinoEngineIr['precision'], onnxFile: string, onnxPath: string): RepositoryAsset[] {
  const original: RepositoryAsset = { file: onnxFile, copyFrom: onnxPath };
  if (precision !== 'int8') return [original];
  return [{ file: int8ModelFiles.xml, builtBy: 'precision' }, { file: int8ModelFiles.bin, builtBy: 'precision' }, original];
}
