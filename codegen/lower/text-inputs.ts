// Text inputs as the IR has them, and the single-text encoding of tokenize().
import type { PassagesInputNode, StageNode, TextInputNode, TokenizeNode, Value } from '../dsl/graph.js';
import type { TextInputIr } from '../ir/schema.js';
import type { LoweringContext } from './context.js';
import type { LoweredEncoding } from './task.js';

const defaultMaxTextBytes = 1 << 20;

/** The textInput() that `text` comes from; undefined after reporting that it does not. */
export function textInputOf(context: LoweringContext, user: StageNode, text: Value<'Text'>, what: string): TextInputNode | undefined {
  const producer = text.producer;
  if (producer.stage !== 'textInput') {
    context.report(user, `${user.stage}: ${what} must come from textInput()`);
    return undefined;
  }
  return producer;
}

export function textInputIr(context: LoweringContext, node: TextInputNode | PassagesInputNode): TextInputIr {
  return {
    name: node.name,
    dataType: 'BYTES',
    dims: [1],
    allowEmpty: node.options.allowEmpty ?? false,
    maxBytes: node.options.maxBytes ?? defaultMaxTextBytes,
    source: context.at(node),
  };
}

/** Whether two text inputs have the limits the runtime checks both with. */
export function sameTextLimits(a: TextInputNode, b: TextInputNode | PassagesInputNode): boolean {
  return a.options.allowEmpty === b.options.allowEmpty && a.options.maxBytes === b.options.maxBytes;
}

/** tokenize(text): one text per row. */
export function singleTextEncoding(context: LoweringContext, tokenizer: TokenizeNode): LoweredEncoding {
  return { input: textInputOf(context, tokenizer, tokenizer.text, 'its text'), encoding: { kind: 'singleText' } };
}
