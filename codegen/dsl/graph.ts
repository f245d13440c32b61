// The graph a pipeline's `graph()` records: the values passed from call to
// call and one node per DSL call. Lowering walks it back from the outputs to
// build the IR. It imports no DSL call (their options are in stage-options.ts),
// so the DSL's modules import each other in one direction only.
import type { SourceLocation } from './source-location.js';
import type {
  ClassifyOptions,
  EngineOptions,
  ExtractAnswersOptions,
  PairTokenizeOptions,
  PassagesInputOptions,
  QuestionContextOptions,
  RerankOptions,
  SentenceTransformerOptions,
  TextInputOptions,
  TokenClassifyOptions,
  TokenizeOptions,
} from './stage-options.js';

// Exists only in types: no runtime object carries this key. Each value kind
// below fixes it to a different literal, so passing one kind where another is
// expected is a TypeScript error.
declare const valueKind: unique symbol;

/** A value flowing from one stage to the next. */
export interface Value<K extends string> {
  readonly [valueKind]: K;
  /** The stage that produced the value. */
  readonly producer: StageNode;
  /** Which of the producer's results it is. */
  readonly port: string;
}

/** One UTF-8 string per batch row. */
export interface Text extends Value<'Text'> {}
/** Token ids [batch, sequence]. */
export interface TokenIds extends Value<'TokenIds'> {}
/** 1 for real tokens, 0 for padding [batch, sequence]. */
export interface AttentionMask extends Value<'AttentionMask'> {}
/** Segment ids [batch, sequence]. */
export interface TokenTypeIds extends Value<'TokenTypeIds'> {}
/** The encoder's last hidden state [batch, sequence, hidden]. */
export interface TokenEmbeddings extends Value<'TokenEmbeddings'> {}
/** One vector per batch row [batch, hidden]. */
export interface SentenceEmbedding extends Value<'SentenceEmbedding'> {}
/** Tokens of each row with [CLS] and [SEP], after truncation: INT64 [batch, 1]. */
export interface TokenCount extends Value<'TokenCount'> {}
/** A sequence classifier's logits [batch, labels]. */
export interface ClassLogits extends Value<'ClassLogits'> {}
/** Logits after softmax or sigmoid [batch, labels]. */
export interface ClassScores extends Value<'ClassScores'> {}
/** The top-k label names, best first: BYTES [batch, k]. */
export interface LabelNames extends Value<'LabelNames'> {}
/** The scores of those labels: FP32 [batch, k]. */
export interface LabelScores extends Value<'LabelScores'> {}
/** A QA head's start or end logits, one per token of each window [windows, sequence]. */
export interface SpanLogits extends Value<'SpanLogits'> {}
/** Where each context window sits in its question's context (token offsets, window of each row). */
export interface ContextWindows extends Value<'ContextWindows'> {}
/** The n best answer strings, best first: BYTES [batch, n]. */
export interface AnswerTexts extends Value<'AnswerTexts'> {}
/** Their scores (start probability × end probability): FP32 [batch, n]. */
export interface AnswerScores extends Value<'AnswerScores'> {}
/** Character offsets of the answers in the context: INT64 [batch, n]. */
export interface AnswerOffsets extends Value<'AnswerOffsets'> {}

/** A token classifier's logits, one row of labels per token [batch, sequence, labels]. */
export interface TokenLogits extends Value<'TokenLogits'> {}
/** A row's entities as one JSON string (HF's keys): BYTES [1]. */
export interface EntitiesJson extends Value<'EntitiesJson'> {}
/** The entities' label ids: INT64 [maxEntities] (-1 past the last). */
export interface EntityLabelIds extends Value<'EntityLabelIds'> {}
/** The entities' character offsets in the text: INT64 [maxEntities] (-1 past the last). */
export interface EntityOffsets extends Value<'EntityOffsets'> {}
/** The entities' scores: FP32 [maxEntities] (0 past the last). */
export interface EntityScores extends Value<'EntityScores'> {}

/** A request's passages to rerank: BYTES [n] in one batch row. */
export interface Passages extends Value<'Passages'> {}
/** Which request and passage each (query, passage) engine row is. */
export interface PassagePairs extends Value<'PassagePairs'> {}
/** Which batch row each (query, passage) engine row is, one pair per row. */
export interface RowPairs extends Value<'RowPairs'> {}
/** The relevance score of a row's pair: FP32 [1]. */
export interface PairScore extends Value<'PairScore'> {}
/** One relevance score per passage, in input order: FP32 [n]. */
export interface RerankScores extends Value<'RerankScores'> {}
/** Passage indices by score, best first: INT64 [topK]. */
export interface RerankIndices extends Value<'RerankIndices'> {}

export function makeValue<V extends Value<string>>(producer: StageNode, port: string): V {
  return { producer, port } as unknown as V;
}

/** What an encoder takes: [batch, sequence] each. */
export interface EncodedTokens {
  readonly inputIds: TokenIds;
  readonly attentionMask: AttentionMask;
  readonly tokenTypeIds: TokenTypeIds;
}

/** What a pipeline can return to the client. */
export type OutputValue =
  | SentenceEmbedding
  | TokenCount
  | ClassLogits
  | ClassScores
  | LabelNames
  | LabelScores
  | AnswerTexts
  | AnswerScores
  | AnswerOffsets
  | RerankScores
  | RerankIndices
  | PairScore
  | EntitiesJson
  | EntityLabelIds
  | EntityOffsets
  | EntityScores;

// One node per DSL call.

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
