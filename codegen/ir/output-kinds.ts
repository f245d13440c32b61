// The output kinds a pipeline can have: each one's data type and the rule
// that gives its one dim. Lowering fills outputs from this table, the IR
// schema checks them against it and documents them with it.

/** Data types of output tensors, as the IR spells them. */
export type OutputDataType = 'FP32' | 'INT64' | 'BYTES';

/** The IR's parts an output's dim may depend on; null: the pipeline has none. */
export interface OutputSizes {
  readonly engine: { readonly hiddenSize: number | null; readonly numLabels: number | null };
  readonly classifier: { readonly topK: number } | null;
  readonly answerDecoder: { readonly nBest: number } | null;
  readonly reranker: { readonly topK: number | null } | null;
  readonly tokenClassifier: { readonly maxEntities: number } | null;
}

/** The dim an output of a kind has in a pipeline, or why the pipeline cannot give it one. */
type DimRule = (sizes: OutputSizes) => number | string;

interface OutputKindInfo {
  readonly dataType: OutputDataType;
  readonly dim: DimRule;
  /** For the JSON Schema (a sentence embedding's object describes itself). */
  readonly description?: string;
}

const hiddenSize: DimRule = ({ engine }) => engine.hiddenSize ?? 'the engine reads no token embeddings';
const numLabels: DimRule = ({ engine }) => engine.numLabels ?? 'the engine reads no logits';
const classifierTopK: DimRule = ({ classifier }) => classifier?.topK ?? 'the pipeline has no classifier';
const nBest: DimRule = ({ answerDecoder }) => answerDecoder?.nBest ?? 'the pipeline has no answer decoder';
const withReranker = (dim: number): DimRule => ({ reranker }) => (reranker === null ? 'the pipeline has no reranker' : dim);
const rerankTopK: DimRule = ({ reranker }) => reranker?.topK ?? 'the pipeline has no reranker of a passage list';
const maxEntities: DimRule = ({ tokenClassifier }) => tokenClassifier?.maxEntities ?? 'the pipeline has no token classifier';

export const outputKinds = {
  sentenceEmbedding: { dataType: 'FP32', dim: hiddenSize },
  tokenCount: { dataType: 'INT64', dim: () => 1, description: 'Tokens of the row with [CLS] and [SEP]; dims [1]' },
  logits: { dataType: 'FP32', dim: numLabels, description: "The engine's logits; dims [numLabels]" },
  classScores: { dataType: 'FP32', dim: numLabels, description: "Logits after the classifier's activation; dims [numLabels]" },
  topLabels: { dataType: 'BYTES', dim: classifierTopK, description: 'Top-k label names; dims [topK]' },
  topLabelScores: { dataType: 'FP32', dim: classifierTopK, description: 'Top-k label scores; dims [topK]' },
  answerText: { dataType: 'BYTES', dim: nBest, description: 'Answer strings; dims [nBest]' },
  answerScore: { dataType: 'FP32', dim: nBest, description: 'Answer scores; dims [nBest]' },
  answerStart: { dataType: 'INT64', dim: nBest, description: 'Answer start character offsets; dims [nBest]' },
  answerEnd: { dataType: 'INT64', dim: nBest, description: 'Answer end character offsets; dims [nBest]' },
  rerankScores: { dataType: 'FP32', dim: withReranker(-1), description: 'One score per passage of the request, in input order; dims [-1]' },
  rerankTopIndices: { dataType: 'INT64', dim: rerankTopK, description: 'Passage indices by score, best first; dims [topK]' },
  pairScore: { dataType: 'FP32', dim: withReranker(1), description: "The score of the row's (query, passage) pair; dims [1]" },
  entities: {
    dataType: 'BYTES',
    dim: ({ tokenClassifier }) => (tokenClassifier === null ? 'the pipeline has no token classifier' : 1),
    description: "The row's entities as one JSON list; dims [1]",
  },
  entityLabelIds: { dataType: 'INT64', dim: maxEntities, description: 'Entity label ids, -1 past the last; dims [maxEntities]' },
  entityStarts: { dataType: 'INT64', dim: maxEntities, description: 'Entity start character offsets, -1 past the last; dims [maxEntities]' },
  entityEnds: { dataType: 'INT64', dim: maxEntities, description: 'Entity end character offsets, -1 past the last; dims [maxEntities]' },
  entityScores: { dataType: 'FP32', dim: maxEntities, description: 'Entity scores, 0 past the last; dims [maxEntities]' },
} as const satisfies Record<string, OutputKindInfo>;

export type OutputKind = keyof typeof outputKinds;

/** The dim an output of `kind` must have in a pipeline of these sizes, or why it has none. */
export function outputDim(kind: OutputKind, sizes: OutputSizes): number | string {
  return outputKinds[kind].dim(sizes);
}
