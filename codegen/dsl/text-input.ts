import { makeValue, type Text, type TextInputNode } from './graph.js';
import { callerLocation } from './source-location.js';
import type { TextInputOptions } from './stage-options.js';

/** A BYTES input tensor, dims [1]: one UTF-8 string per batch row. */
export function textInput(name: string, options: TextInputOptions = {}): Text {
  const node: TextInputNode = { stage: 'textInput', name, options, source: callerLocation() };
  return makeValue<Text>(node, 'text');
}
