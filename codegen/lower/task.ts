// What a task (embedding, classification, NER, QA, reranking) contributes to
// lowering: the outputs it computes, the checks it needs of the tokenizer, the
// encoding of a tokenizer call it owns, and its section of the IR. The driver
// (lower-graph.ts) runs every task through the same steps, in order.
import type { OutputNode, TextInputNode, TokenizeNode, TokenizePairsNode, TokenizeQuestionContextNode } from '../dsl/graph.js';
import type { OutputKind } from '../ir/output-kinds.js';
import type {
  AnswerDecoderIr,
  ClassifierIr,
  EncodingIr,
  EngineIr,
  PostOpIr,
  RerankerIr,
  TokenClassifierIr,
  TokenizerIr,
} from '../ir/schema.js';

export type TokenizerNode = TokenizeNode | TokenizeQuestionContextNode | TokenizePairsNode;

/** A sentence embedding's fields besides kind, name, data type and dims. */
export interface SentenceEmbeddingFields {
  readonly from: 'tokenEmbeddings';
  readonly ops: PostOpIr[];
}

/** One output as the graph gives it, before the engine and tokenizer are resolved. */
export interface OutputPlan {
  readonly kind: OutputKind;
  readonly node: OutputNode;
  /** The fields its kind has besides the common ones, once the engine is known; undefined after a diagnostic. */
  readonly fields?: (engine: EngineIr) => SentenceEmbeddingFields | undefined;
}

/** The question, query or text input and the encoding of the tokenizer call that feeds the engine. */
export interface LoweredEncoding {
  readonly input: TextInputNode | undefined;
  readonly encoding: EncodingIr | undefined;
}

/** The IR's task sections; null: the pipeline has none. */
export interface TaskSections {
  classifier: ClassifierIr | null;
  answerDecoder: AnswerDecoderIr | null;
  reranker: RerankerIr | null;
  tokenClassifier: TokenClassifierIr | null;
}

/** What the task sections are lowered against. */
export interface ResolvedStages {
  readonly engine: EngineIr;
  readonly encoding: EncodingIr;
}

export interface LoweringTask {
  /** The plan of `out` when this task computes it (noting what it reads); undefined: another task's output. */
  planOutput(out: OutputNode): OutputPlan | undefined;
  /** After planning: settles on the task's one call, reporting a second one. */
  settle(): void;
  /** Checks that the tokenizer call feeding the engine suits the task. */
  checkTokenizer(tokenizer: TokenizerNode): void;
  /** The tokenizer call whose encoding this task lowers, if any. */
  readonly tokenizerStage?: TokenizerNode['stage'];
  lowerEncoding?(tokenizer: TokenizerNode, plans: readonly OutputPlan[]): LoweredEncoding;
  /** Checks the encoding against the resolved tokenizer (its maxLength, its pair template). */
  checkLimits?(tokenizer: TokenizerNode, encoding: EncodingIr, resolved: TokenizerIr): void;
  /** The task's IR section; undefined after a diagnostic. */
  lowerSection(stages: ResolvedStages): Partial<TaskSections> | undefined;
}
