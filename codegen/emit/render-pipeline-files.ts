import type { PipelineIr } from '../ir/schema.js';
import { renderCmakeLists } from './cmake-lists.js';
import { renderConfigPbtxt } from './config-pbtxt.js';
import { renderPipelineSpec } from './pipeline-spec.js';

/** Everything emit writes for one pipeline, by file name. */
export interface RenderedPipelineFiles {
  readonly 'pipeline_spec.cc': string;
  readonly 'CMakeLists.txt': string;
  readonly 'config.pbtxt': string;
}

export function renderPipelineFiles(ir: PipelineIr, backendDirectory: string): RenderedPipelineFiles {
  return {
    'pipeline_spec.cc': renderPipelineSpec(ir),
    'CMakeLists.txt': renderCmakeLists(ir, backendDirectory),
    'config.pbtxt': renderConfigPbtxt(ir),
  };
}
