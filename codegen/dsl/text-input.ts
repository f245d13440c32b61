import { callerLocation } from './source-location.js';
import type { TextInputNode } from './stage-nodes.js';
import { makeValue, type Text } from './values.js';

export interface TextInputOptions {
  /** Accept "" as a request's text (default false: an empty text is an error for its request). */
  readonly allowEmpty?: boolean;
  /** Longer texts are rejected for their request (default 1 MiB). */
  readonly maxBytes?: number;
}

/** A BYTES input tensor, dims [1]: one UTF-8 string per batch row. */
export function textInput(name: string, options: TextInputOptions = {}): Text {
  const node: TextInputNode = { stage: 'textInput', name, options, source: callerLocation() };
  return makeValue<Text>(node, 'text');
}
