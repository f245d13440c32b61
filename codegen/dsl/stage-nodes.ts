// The graph a pipeline's `graph()` records: one node per DSL call. The checker
// walks it back from the outputs to build the IR.
import type { SourceLocation } from './source-location.js';
import type { AttentionMask, SentenceEmbedding, Text, TokenEmbeddings } from './values.js';
import type { TextInputOptions } from './text-input.js';
import type { Tokens, TokenizeOptions } from './tokenize.js';
import type { EngineOptions } from './engine.js';

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

export interface EngineNode extends NodeBase {
  readonly stage: 'engine';
  readonly tokens: Tokens;
  readonly options: EngineOptions;
}

export interface PoolNode extends NodeBase {
  readonly stage: 'meanPool' | 'maxPool' | 'clsPool';
  readonly tokenEmbeddings: TokenEmbeddings;
  /** Absent for CLS pooling, which reads position 0 only. */
  readonly attentionMask: AttentionMask | undefined;
}

export interface NormalizeNode extends NodeBase {
  readonly stage: 'l2Normalize';
  readonly embedding: SentenceEmbedding;
}

export interface OutputNode extends NodeBase {
  readonly stage: 'output';
  readonly name: string;
  readonly value: SentenceEmbedding;
}

export type StageNode = TextInputNode | TokenizeNode | EngineNode | PoolNode | NormalizeNode | OutputNode;
