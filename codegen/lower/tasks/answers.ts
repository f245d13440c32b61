// Extractive question answering: tokenizeQuestionContext()'s context windows
// and extractAnswers()'s answer spans.
import type { ExtractAnswersNode, OutputNode } from '../../dsl/graph.js';
import type { EncodingIr, TokenizerIr } from '../../ir/schema.js';
import { readPairSpecialTokenCount } from '../../model-files/tokenizer-json-components.js';
import type { LoweringContext } from '../context.js';
import { refusePrompt, sameTextLimits, textInputIr, textInputOf } from '../text-inputs.js';
import type { LoweredEncoding, LoweringTask, OutputPlan, TaskSections, TokenizerNode } from '../task.js';

const answerKinds = { text: 'answerText', score: 'answerScore', start: 'answerStart', end: 'answerEnd' } as const;
const defaultDocStride = 128;
const defaultMaxWindows = 64;
const defaultMaxAnswerLength = 15;
// [CLS] question [SEP] context [SEP]
const bertPairSpecials = 3;

export class AnswersTask implements LoweringTask {
  readonly tokenizerStage = 'tokenizeQuestionContext';
  private readonly context: LoweringContext;
  private readonly nodes = new Set<ExtractAnswersNode>();
  private node: ExtractAnswersNode | undefined;

  constructor(context: LoweringContext) {
    this.context = context;
  }

  planOutput(out: OutputNode): OutputPlan | undefined {
    const { producer, port } = out.value;
    if (producer.stage !== 'extractAnswers') return undefined;
    const kind = answerKinds[port as keyof typeof answerKinds];
    if (kind === undefined) return undefined;
    this.nodes.add(producer);
    const { startLogits, endLogits, contextWindows } = producer;
    if (startLogits.port !== 'startLogits' || endLogits.port !== 'endLogits') {
      this.context.report(producer, "extractAnswers: pass the engine result's startLogits first, then its endLogits");
    }
    this.context.useEngine(startLogits.producer, 'startLogits');
    this.context.useEngine(endLogits.producer, 'endLogits');
    this.context.useTokenizer(producer, contextWindows, 'the context windows');
    return { kind, node: out };
  }

  settle(): void {
    this.node = this.context.theOne(this.nodes, 'extractAnswers');
  }

  checkTokenizer(tokenizer: TokenizerNode): void {
    if (this.node !== undefined && tokenizer.stage !== 'tokenizeQuestionContext') {
      this.context.report(this.node, 'extractAnswers: needs question and context tokens: tokenize with tokenizeQuestionContext(question, context, ...)');
    }
  }

  /** [CLS] question [SEP] window [SEP] per context window. */
  lowerEncoding(tokenizer: TokenizerNode): LoweredEncoding {
    if (tokenizer.stage !== 'tokenizeQuestionContext') throw new Error(`internal: question-context encoding of ${tokenizer.stage}`);
    const input = textInputOf(this.context, tokenizer, tokenizer.question, 'the question');
    const context = textInputOf(this.context, tokenizer, tokenizer.context, 'the context');
    for (const node of [input, context]) if (node !== undefined) refusePrompt(this.context, node, 'question answering');
    if (input !== undefined && context !== undefined && !sameTextLimits(input, context)) {
      this.context.report(context, "textInput: the runtime checks question and context with the same limits: give the context the question's allowEmpty and maxBytes");
    }
    const encoding: EncodingIr | undefined =
      context === undefined
        ? undefined
        : {
            kind: 'questionContext',
            context: textInputIr(this.context, context),
            docStride: tokenizer.options.docStride ?? defaultDocStride,
            maxWindows: tokenizer.options.maxWindows ?? defaultMaxWindows,
            source: this.context.at(tokenizer),
          };
    if (this.node === undefined) {
      this.context.report(tokenizer, 'tokenizeQuestionContext: its windows need extractAnswers(); no output uses them');
    }
    return { input, encoding };
  }

  /**
   * The smallest question (one token) must leave windows longer than the
   * stride, beside the special tokens of the tokenizer's pair template
   * (BERT's [CLS] q [SEP] c [SEP]: 3; XLM-R's and RoBERTa's
   * <s> q </s></s> c </s>: 4).
   */
  checkLimits(tokenizer: TokenizerNode, encoding: EncodingIr, resolved: TokenizerIr): void {
    if (encoding.kind !== 'questionContext') return;
    const specials = resolved.kind === 'wordpiece' ? bertPairSpecials : readPairSpecialTokenCount(resolved.file.path);
    if (specials === undefined) {
      this.context.report(tokenizer, "tokenizeQuestionContext: cannot count the special tokens of the tokenizer's pair template (post_processor)");
      return;
    }
    const longest = resolved.maxLength - specials - 1;
    if (encoding.docStride >= longest) {
      this.context.report(
        tokenizer,
        `tokenizeQuestionContext: docStride ${encoding.docStride} must be less than maxLength - ${specials + 1} (${longest}), the longest context window: the tokenizer's pair template adds ${specials} special tokens beside a one-token question`,
      );
    }
  }

  lowerSection(): Pick<TaskSections, 'answerDecoder'> {
    const { node } = this;
    if (node === undefined) return { answerDecoder: null };
    return {
      answerDecoder: {
        nBest: node.options.nBest ?? 1,
        maxAnswerLength: node.options.maxAnswerLength ?? defaultMaxAnswerLength,
        nullAnswer: node.options.nullAnswer ?? false,
        alignToWords: node.options.alignToWords ?? true,
        source: this.context.at(node),
      },
    };
  }
}
