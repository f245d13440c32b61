// Cross-encoder reranking: tokenizePairs()'s (query, passage) rows and
// rerank()'s scores and top indices.
import type { OutputNode, PassagesInputNode, RerankNode, TextInputNode } from '../../dsl/graph.js';
import type { RerankerIr } from '../../ir/schema.js';
import type { LoweringContext } from '../context.js';
import { sameTextLimits, textInputIr, textInputOf } from '../text-inputs.js';
import type { LoweredEncoding, LoweringTask, OutputPlan, ResolvedStages, TaskSections, TokenizerNode } from '../task.js';

const rerankKinds = { scores: 'rerankScores', topIndices: 'rerankTopIndices', score: 'pairScore' } as const;
const rerankOutputKinds: ReadonlySet<string> = new Set(Object.values(rerankKinds));
const defaultMaxPassages = 64;

export class RerankTask implements LoweringTask {
  readonly tokenizerStage = 'tokenizePairs';
  private readonly context: LoweringContext;
  private readonly nodes = new Set<RerankNode>();
  private node: RerankNode | undefined;

  constructor(context: LoweringContext) {
    this.context = context;
  }

  planOutput(out: OutputNode): OutputPlan | undefined {
    const { producer, port } = out.value;
    if (producer.stage !== 'rerank') return undefined;
    const kind = rerankKinds[port as keyof typeof rerankKinds];
    if (kind === undefined) return undefined;
    this.nodes.add(producer);
    this.context.useEngine(producer.logits.producer, 'logits');
    this.context.useTokenizer(producer, producer.pairs, 'the passage pairs');
    return { kind, node: out };
  }

  settle(): void {
    this.node = this.context.theOne(this.nodes, 'rerank');
  }

  checkTokenizer(): void {}

  /** [CLS] query [SEP] passage [SEP]: per passage of a request's list, or one pair per row. */
  lowerEncoding(tokenizer: TokenizerNode, plans: readonly OutputPlan[]): LoweredEncoding {
    if (tokenizer.stage !== 'tokenizePairs') throw new Error(`internal: pair encoding of ${tokenizer.stage}`);
    const input = textInputOf(this.context, tokenizer, tokenizer.query, 'the query');
    const producer = tokenizer.passages.producer;
    const passages: PassagesInputNode | TextInputNode | undefined =
      producer.stage === 'passagesInput' || producer.stage === 'textInput' ? producer : undefined;
    if (passages === undefined) throw new Error(`internal: passages produced by ${producer.stage}`);
    if (input !== undefined && !sameTextLimits(input, passages)) {
      this.context.report(passages, "passagesInput: the runtime checks query and passages with the same limits: give the passages the query's allowEmpty and maxBytes");
    }
    const source = this.context.at(tokenizer);
    const encoding: LoweredEncoding['encoding'] =
      passages.stage === 'passagesInput'
        ? {
            kind: 'queryPassages',
            passages: { ...textInputIr(this.context, passages), dims: [-1] },
            maxPassages: passages.options.maxPassages ?? defaultMaxPassages,
            source,
          }
        : { kind: 'queryPassagePerRow', passage: textInputIr(this.context, passages), source };
    for (const plan of plans) {
      if (!rerankOutputKinds.has(plan.kind)) {
        this.context.report(plan.node, `output: with tokenizePairs() the outputs come from rerank() (scores, topIndices); '${plan.node.name}' does not`);
      }
    }
    if (this.node === undefined) this.context.report(tokenizer, 'tokenizePairs: its pairs need rerank(); no output uses them');
    return { input, encoding };
  }

  lowerSection({ engine, encoding }: ResolvedStages): Pick<TaskSections, 'reranker'> | undefined {
    if (this.node === undefined) return { reranker: null };
    if (engine.numLabels === null || (encoding.kind !== 'queryPassages' && encoding.kind !== 'queryPassagePerRow')) return undefined;
    const reranker = this.rerankerIr(this.node, engine.numLabels, encoding.kind === 'queryPassages' ? encoding.maxPassages : null);
    return reranker === undefined ? undefined : { reranker };
  }

  /** Reranking settings; a head of 1 or 2 logits only, topK within maxPassages. */
  private rerankerIr(node: RerankNode, numLabels: number, maxPassages: number | null): RerankerIr | undefined {
    const activation = node.options.activation ?? 'sigmoid';
    const topK = maxPassages === null ? null : (node.options.topK ?? 1);
    if (numLabels > 2) {
      this.context.report(node, `rerank: the engine's logits have ${numLabels} classes; a cross-encoder has 1 (a relevance logit) or 2 (not relevant, relevant)`);
      return undefined;
    }
    if (numLabels === 1 && activation === 'softmax') {
      this.context.report(node, "rerank: softmax over the engine's one logit is always 1; use activation 'sigmoid' (or 'none')");
      return undefined;
    }
    if (topK !== null && maxPassages !== null && Number.isInteger(topK) && topK > maxPassages) {
      this.context.report(node, `rerank: topK ${topK} is more than maxPassages ${maxPassages}, the most passages a request may send`);
      return undefined;
    }
    return { activation, topK, source: this.context.at(node) };
  }
}
