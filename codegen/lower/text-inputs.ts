// Text inputs as the IR has them, and the single-text encoding of tokenize().
import type { PassagesInputNode, StageNode, TextInputNode, TokenizeNode, Value } from '../dsl/graph.js';
import { promptProblem, type TextInputIr } from '../ir/schema.js';
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
    prompt: checkedPrompt(context, node),
    source: context.at(node),
  };
}

/** The input's prompt ("" for none); reported at the call when the runtime could not put it in front of a text as given. */
function checkedPrompt(context: LoweringContext, node: TextInputNode | PassagesInputNode): string {
  const prompt = node.options.prompt ?? '';
  // The DSL is plain JavaScript at run time: the type may not hold.
  const problem = typeof prompt === 'string' ? promptProblem(prompt) : `must be a string, not ${typeof prompt}`;
  if (problem === undefined && typeof prompt === 'string') return prompt;
  context.report(node, `${node.stage}: prompt ${problem}`);
  return '';
}

/**
 * Reports a prompt on an input whose outputs point into the client's text
 * (entity and answer offsets): a prompt would shift them.
 */
export function refusePrompt(context: LoweringContext, node: TextInputNode, task: string): void {
  if ((node.options.prompt ?? '') === '') return;
  context.report(node, `textInput: prompt is not supported with ${task}: its character offsets point into the client's text, which the prompt would shift`);
}

/** Whether two text inputs have the limits the runtime checks both with. */
export function sameTextLimits(a: TextInputNode, b: TextInputNode | PassagesInputNode): boolean {
  return a.options.allowEmpty === b.options.allowEmpty && a.options.maxBytes === b.options.maxBytes;
}

/** tokenize(text): one text per row. */
export function singleTextEncoding(context: LoweringContext, tokenizer: TokenizeNode): LoweredEncoding {
  return { input: textInputOf(context, tokenizer, tokenizer.text, 'its text'), encoding: { kind: 'singleText' } };
}
