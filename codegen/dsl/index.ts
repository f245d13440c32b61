// What a pipeline file imports as 'faster-bert'.
export { pipeline, isPipeline, pipelineKind } from './pipeline.js';
export type { Pipeline, PipelineDefinition, DynamicBatchingOptions, QueuePolicyOptions, InstanceOptions } from './pipeline.js';
export { textInput } from './text-input.js';
export { tokenize } from './tokenize.js';
export type { Tokens } from './tokenize.js';
export { tokenizeQuestionContext } from './question-context.js';
export type { QuestionContextTokens } from './question-context.js';
export { engine } from './engine.js';
export type { EngineResult } from './engine.js';
export { meanPool, maxPool, clsPool } from './pooling.js';
export { sentenceTransformerPooling } from './sentence-transformer.js';
export { normalize } from './normalize.js';
export { classify } from './classify.js';
export type { Classification } from './classify.js';
export { tokenClassify } from './token-classify.js';
export type { TokenClassification } from './token-classify.js';
export { extractAnswers } from './answers.js';
export type { Answers } from './answers.js';
export { passagesInput, tokenizePairs, rerank } from './rerank.js';
export type { PairScoring, PairTokens, Reranking } from './rerank.js';
export { output } from './output.js';
export type { PipelineOutput } from './output.js';
export type {
  EncodedTokens,
  OutputValue,
  StageNode,
  Value,
  Text,
  TokenIds,
  AttentionMask,
  TokenTypeIds,
  TokenEmbeddings,
  SentenceEmbedding,
  TokenCount,
  ClassLogits,
  ClassScores,
  LabelNames,
  LabelScores,
  SpanLogits,
  ContextWindows,
  AnswerTexts,
  AnswerScores,
  AnswerOffsets,
  Passages,
  PassagePairs,
  RerankScores,
  RerankIndices,
  RowPairs,
  PairScore,
  TokenLogits,
  EntitiesJson,
  EntityLabelIds,
  EntityOffsets,
  EntityScores,
} from './graph.js';
export type { SourceLocation } from './source-location.js';
export type {
  AotInductorEngineOptions,
  ChineseCharsOption,
  ClassifyOptions,
  EngineOptions,
  EngineTensorNames,
  ExtractAnswersOptions,
  LabelSource,
  OnnxEngineOptions,
  EnginePrecision,
  CalibrationOptions,
  PairTokenizeOptions,
  PassagesInputOptions,
  QuestionContextOptions,
  RerankOptions,
  SentenceTransformerOptions,
  TensorRtEngineOptions,
  TextInputOptions,
  TokenAggregation,
  TokenClassifyOptions,
  TokenizeOptions,
  TokenizeSettings,
  TokenizerSource,
} from './stage-options.js';
