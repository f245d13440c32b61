// CMakeLists.txt of one pipeline's backend: the runtime in backend-cpp plus
// the generated pipeline_spec.cc, built by fasterbert_add_backend().
import type { PipelineIr } from '../ir/schema.js';
import { cmakeQuotedArgument } from './escape.js';
import { renderTemplate } from './templates.js';

export function cmakeListsView(ir: PipelineIr, backendDirectory: string): object {
  return {
    pipelineName: ir.name,
    projectName: `triton_${ir.name}`,
    name: ir.name,
    backendDir: cmakeQuotedArgument(backendDirectory),
  };
}

export function renderCmakeLists(ir: PipelineIr, backendDirectory: string): string {
  return renderTemplate('CMakeLists.txt', cmakeListsView(ir, backendDirectory));
}
