import type { StageNode } from './stage-nodes.js';

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

export function makeValue<V extends Value<string>>(producer: StageNode, port: string): V {
  return { producer, port } as unknown as V;
}
