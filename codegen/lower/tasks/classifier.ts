// Sequence classification: the engine's logits as they are, and classify()'s
// class scores and top-k labels.
import type { ClassifyNode, OutputNode } from '../../dsl/graph.js';
import type { ClassifierIr } from '../../ir/schema.js';
import type { LoweringContext } from '../context.js';
import { labelNames } from '../labels.js';
import type { LoweringTask, OutputPlan, ResolvedStages, TaskSections } from '../task.js';

const classifyKinds = { scores: 'classScores', labels: 'topLabels', labelScores: 'topLabelScores' } as const;

export class ClassifierTask implements LoweringTask {
  private readonly context: LoweringContext;
  private readonly nodes = new Set<ClassifyNode>();
  private node: ClassifyNode | undefined;

  constructor(context: LoweringContext) {
    this.context = context;
  }

  planOutput(out: OutputNode): OutputPlan | undefined {
    const { producer, port } = out.value;
    if (producer.stage === 'engine' && port === 'logits') {
      this.context.useEngine(producer, 'logits');
      return { kind: 'logits', node: out };
    }
    if (producer.stage !== 'classify') return undefined;
    const kind = classifyKinds[port as keyof typeof classifyKinds];
    if (kind === undefined) return undefined;
    this.nodes.add(producer);
    this.context.useEngine(producer.logits.producer, 'logits');
    return { kind, node: out };
  }

  settle(): void {
    this.node = this.context.theOne(this.nodes, 'classify');
  }

  checkTokenizer(): void {}

  lowerSection({ engine }: ResolvedStages): Pick<TaskSections, 'classifier'> | undefined {
    if (this.node === undefined || engine.numLabels === null) return { classifier: null };
    const classifier = this.classifierIr(this.node, engine.numLabels);
    return classifier === undefined ? undefined : { classifier };
  }

  private classifierIr(node: ClassifyNode, numLabels: number): ClassifierIr | undefined {
    const { options } = node;
    const labels = labelNames(this.context, node, options.labels, numLabels);
    if (labels === undefined) return undefined;
    const topK = options.topK ?? 1;
    if (Number.isInteger(topK) && topK > numLabels) {
      this.context.report(node, `classify: topK ${topK} is more than the model's ${numLabels} classes`);
      return undefined;
    }
    return {
      activation: options.activation ?? 'softmax',
      labels,
      topK,
      threshold: options.threshold ?? null,
      source: this.context.at(node),
    };
  }
}
