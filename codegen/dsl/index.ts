// What a pipeline file imports as 'faster-bert'.
export { pipeline, isPipeline, pipelineKind } from './pipeline.js';
export type { Pipeline, PipelineDefinition, DynamicBatchingOptions, QueuePolicyOptions, InstanceOptions } from './pipeline.js';
export { textInput } from './text-input.js';
export type { TextInputOptions } from './text-input.js';
export { tokenize } from './tokenize.js';
export type { Tokens, EncodedTokens, TokenizeOptions, TokenizeSettings, TokenizerSource, ChineseCharsOption } from './tokenize.js';
export { tokenizeQuestionContext } from './question-context.js';
export type { QuestionContextOptions, QuestionContextTokens } from './question-context.js';
export { engine } from './engine.js';
export type {
  AotInductorEngineOptions,
  EngineOptions,
  EngineResult,
  EngineTensorNames,
  OnnxEngineOptions,
  TensorRtEngineOptions,
} from './engine.js';
export { meanPool, maxPool, clsPool } from './pooling.js';
export { sentenceTransformerPooling } from './sentence-transformer.js';
export type { SentenceTransformerOptions } from './sentence-transformer.js';
export { normalize } from './normalize.js';
export { classify } from './classify.js';
export type { Classification, ClassifyOptions, LabelSource } from './classify.js';
export { tokenClassify } from './token-classify.js';
export type { TokenAggregation, TokenClassification, TokenClassifyOptions } from './token-classify.js';
export { extractAnswers } from './answers.js';
export type { Answers, ExtractAnswersOptions } from './answers.js';
export { passagesInput, tokenizePairs, rerank } from './rerank.js';
export type { PairScoring, PairTokenizeOptions, PairTokens, PassagesInputOptions, RerankOptions, Reranking } from './rerank.js';
export { output } from './output.js';
export type { OutputValue, PipelineOutput } from './output.js';
export type {
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
} from './values.js';
export type { SourceLocation } from './source-location.js';
export type { StageNode } from './stage-nodes.js';
