// What a pipeline file imports as 'faster-bert'.
export { pipeline, isPipeline, pipelineKind } from './pipeline.js';
export type { Pipeline, PipelineDefinition, DynamicBatchingOptions, InstanceOptions } from './pipeline.js';
export { textInput } from './text-input.js';
export type { TextInputOptions } from './text-input.js';
export { tokenize } from './tokenize.js';
export type { Tokens, TokenizeOptions, TokenizeSettings, TokenizerSource, ChineseCharsOption } from './tokenize.js';
export { engine } from './engine.js';
export type { EngineOptions, EngineResult, EngineTensorNames, OpenVinoEngineOptions } from './engine.js';
export { meanPool, maxPool, clsPool } from './pooling.js';
export { normalize } from './normalize.js';
export { output } from './output.js';
export type { PipelineOutput } from './output.js';
export type {
  Value,
  Text,
  TokenIds,
  AttentionMask,
  TokenTypeIds,
  TokenEmbeddings,
  SentenceEmbedding,
} from './values.js';
export type { SourceLocation } from './source-location.js';
export type { StageNode } from './stage-nodes.js';
