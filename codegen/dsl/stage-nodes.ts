// The graph a pipeline's `graph()` records: one node per DSL call. The checker
// walks it back from the outputs to build the IR.
import type { SourceLocation } from './source-location.js';
import type { AttentionMask, ClassLogits, ContextWindows, SentenceEmbedding, SpanLogits, Text, TokenEmbeddings } from './values.js';
import type { TextInputOptions } from './text-input.js';
import type { EncodedTokens, TokenizeOptions } from './tokenize.js';
import type { QuestionContextOptions } from './question-context.js';
import type { EngineOptions } from './engine.js';
import type { ClassifyOptions } from './classify.js';
import type { ExtractAnswersOptions } from './answers.js';
import type { SentenceTransformerOptions } from './sentence-transformer.js';
import type { OutputValue } from './output.js';
import type { PairTokenizeOptions, PassagesInputOptions, RerankOptions } from './rerank.js';
import type { PassagePairs, Passages, RowPairs, TokenLogits } from './values.js';
import type { TokenClassifyOptions } from './token-classify.js';

interface NodeBase {
  readonly source: SourceLocation | undefined;
}

export interface TextInputNode extends NodeBase {
  readonly stage: 'textInput';
  readonly name: string;
  readonly options: TextInputOptions;
}

export interface TokenizeNode extends NodeBase {
  readonly stage: 'tokenize';
  readonly text: Text;
  readonly options: TokenizeOptions;
}

export interface TokenizeQuestionContextNode extends NodeBase {
  readonly stage: 'tokenizeQuestionContext';
  readonly question: Text;
  readonly context: Text;
  readonly options: QuestionContextOptions;
}

export interface EngineNode extends NodeBase {
  readonly stage: 'engine';
  readonly tokens: EncodedTokens;
  readonly options: EngineOptions;
}

export interface PoolNode extends NodeBase {
  readonly stage: 'meanPool' | 'maxPool' | 'clsPool';
  readonly tokenEmbeddings: TokenEmbeddings;
  /** Absent for CLS pooling, which reads position 0 only. */
  readonly attentionMask: AttentionMask | undefined;
}

export interface SentenceTransformerPoolNode extends NodeBase {
  readonly stage: 'sentenceTransformerPool';
  readonly tokenEmbeddings: TokenEmbeddings;
  readonly attentionMask: AttentionMask;
  readonly options: SentenceTransformerOptions;
}

export interface ClassifyNode extends NodeBase {
  readonly stage: 'classify';
  readonly logits: ClassLogits;
  readonly options: ClassifyOptions;
}

export interface TokenClassifyNode extends NodeBase {
  readonly stage: 'tokenClassify';
  readonly logits: TokenLogits;
  readonly options: TokenClassifyOptions;
}

export interface ExtractAnswersNode extends NodeBase {
  readonly stage: 'extractAnswers';
  readonly startLogits: SpanLogits;
  readonly endLogits: SpanLogits;
  readonly contextWindows: ContextWindows;
  readonly options: ExtractAnswersOptions;
}

export interface NormalizeNode extends NodeBase {
  readonly stage: 'l2Normalize';
  readonly embedding: SentenceEmbedding;
}

export interface PassagesInputNode extends NodeBase {
  readonly stage: 'passagesInput';
  readonly name: string;
  readonly options: PassagesInputOptions;
}

export interface TokenizePairsNode extends NodeBase {
  readonly stage: 'tokenizePairs';
  readonly query: Text;
  /** Passages: a list per request; Text: one passage per batch row. */
  readonly passages: Passages | Text;
  readonly options: PairTokenizeOptions;
}

export interface RerankNode extends NodeBase {
  readonly stage: 'rerank';
  readonly logits: ClassLogits;
  readonly pairs: PassagePairs | RowPairs;
  readonly options: RerankOptions;
}

export interface OutputNode extends NodeBase {
  readonly stage: 'output';
  readonly name: string;
  readonly value: OutputValue;
}

export type StageNode =
  | TextInputNode
  | TokenizeNode
  | TokenizeQuestionContextNode
  | EngineNode
  | PoolNode
  | SentenceTransformerPoolNode
  | NormalizeNode
  | ClassifyNode
  | TokenClassifyNode
  | ExtractAnswersNode
  | PassagesInputNode
  | TokenizePairsNode
  | RerankNode
  | OutputNode;
