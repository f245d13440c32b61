// Token classification (NER): tokenClassify()'s entities as JSON and as typed
// lists; it tags the tokens of one text per row.
import type { OutputNode, TokenClassifyNode } from '../../dsl/graph.js';
import type { TokenClassifierIr } from '../../ir/schema.js';
import type { LoweringContext } from '../context.js';
import { labelNames } from '../labels.js';
import { refusePrompt } from '../text-inputs.js';
import type { LoweringTask, OutputPlan, ResolvedStages, TaskSections, TokenizerNode } from '../task.js';

const entityKinds = { json: 'entities', labelIds: 'entityLabelIds', starts: 'entityStarts', ends: 'entityEnds', scores: 'entityScores' } as const;
const defaultMaxEntities = 16;

export class EntitiesTask implements LoweringTask {
  private readonly context: LoweringContext;
  private readonly nodes = new Set<TokenClassifyNode>();
  private node: TokenClassifyNode | undefined;

  constructor(context: LoweringContext) {
    this.context = context;
  }

  planOutput(out: OutputNode): OutputPlan | undefined {
    const { producer, port } = out.value;
    if (producer.stage !== 'tokenClassify') return undefined;
    const kind = entityKinds[port as keyof typeof entityKinds];
    if (kind === undefined) return undefined;
    this.nodes.add(producer);
    this.context.useEngine(producer.logits.producer, 'tokenLogits');
    return { kind, node: out };
  }

  settle(): void {
    this.node = this.context.theOne(this.nodes, 'tokenClassify');
  }

  checkTokenizer(tokenizer: TokenizerNode): void {
    if (this.node !== undefined && tokenizer.stage !== 'tokenize') {
      this.context.report(this.node, 'tokenClassify: tags the tokens of one text per row: tokenize the text with tokenize(text, ...)');
    }
    if (this.node !== undefined && tokenizer.stage === 'tokenize' && tokenizer.text.producer.stage === 'textInput') {
      refusePrompt(this.context, tokenizer.text.producer, 'token classification');
    }
  }

  lowerSection({ engine }: ResolvedStages): Pick<TaskSections, 'tokenClassifier'> | undefined {
    if (this.node === undefined) return { tokenClassifier: null };
    if (engine.numTokenLabels === null) return undefined;
    const tokenClassifier = this.tokenClassifierIr(this.node, engine.numTokenLabels);
    return tokenClassifier === undefined ? undefined : { tokenClassifier };
  }

  /** NER settings: label names for every class, a known aggregation, room for at least one entity. */
  private tokenClassifierIr(node: TokenClassifyNode, numLabels: number): TokenClassifierIr | undefined {
    const labels = labelNames(this.context, node, node.options.labels, numLabels);
    if (labels === undefined) return undefined;
    const maxEntities = node.options.maxEntities ?? defaultMaxEntities;
    if (!Number.isInteger(maxEntities) || maxEntities < 1) {
      this.context.report(node, `tokenClassify: maxEntities must be a positive integer, not ${maxEntities}`);
      return undefined;
    }
    return {
      labels,
      aggregation: node.options.aggregation ?? 'simple',
      ignoreLabels: [...(node.options.ignoreLabels ?? ['O'])],
      maxEntities,
      source: this.context.at(node),
    };
  }
}
