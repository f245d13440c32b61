// The checker's front door: type-check the pipeline file, run it, lower its
// graph to the IR and validate that. Every problem comes back as a
// PipelineCheckError whose diagnostics point at the user's lines.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PipelineIr } from './ir/schema.js';
import { DiagnosticList, PipelineCheckError } from './frontend/diagnostics.js';
import { evaluatePipelineFile } from './frontend/evaluate.js';
import { lowerGraph } from './lower/lower-graph.js';
import type { RepositoryAsset } from './lower/repository-asset.js';
import { typecheckPipelineFile } from './frontend/typecheck.js';
import { validateIr } from './frontend/validate-ir.js';

export interface CheckedPipeline {
  readonly pipelineFile: string;
  readonly ir: PipelineIr;
  /** Files of the model version directory besides the backend library. */
  readonly assets: readonly RepositoryAsset[];
}

export function checkPipeline(pipelineFileArgument: string): CheckedPipeline {
  const pipelineFile = resolve(pipelineFileArgument);
  if (!existsSync(pipelineFile)) {
    throw new PipelineCheckError([{ location: undefined, message: `pipeline file '${pipelineFileArgument}' not found (resolved to ${pipelineFile})` }]);
  }
  const typeErrors = typecheckPipelineFile(pipelineFile);
  if (typeErrors.length > 0) throw new PipelineCheckError(typeErrors);

  const evaluated = evaluatePipelineFile(pipelineFile);
  const diagnostics = new DiagnosticList();
  const lowered = lowerGraph(pipelineFile, evaluated, diagnostics);
  diagnostics.throwIfAny();
  if (lowered === undefined) throw new Error('internal: lowering failed without a diagnostic');

  const validation = validateIr(lowered.ir);
  if ('diagnostics' in validation) throw new PipelineCheckError(validation.diagnostics);
  return { pipelineFile, ir: validation.ir, assets: lowered.assets };
}
