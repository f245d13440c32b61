// Walks the graph a pipeline's graph() recorded, from its outputs back to the
// text inputs, and turns it into the IR. The runtime runs one tokenizer and
// one engine per pipeline, with any number of outputs computed from them
// (pooling/normalize, token count, logits, classification, QA answers);
// graphs outside that are reported here, at the call that leaves it.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SourceLocation } from '../dsl/source-location.js';
import type {
  ClassifyNode,
  TokenClassifyNode,
  EngineNode,
  ExtractAnswersNode,
  OutputNode,
  PassagesInputNode,
  PoolNode,
  RerankNode,
  SentenceTransformerPoolNode,
  StageNode,
  TextInputNode,
  TokenizeNode,
  TokenizePairsNode,
  TokenizeQuestionContextNode,
} from '../dsl/stage-nodes.js';
import type { Value } from '../dsl/values.js';
import type { LabelSource } from '../dsl/classify.js';
import type { DynamicBatchingOptions, InstanceOptions, QueuePolicyOptions } from '../dsl/pipeline.js';
import {
  gpuEngineKinds,
  irVersion,
  type AnswerDecoderIr,
  type ClassifierIr,
  type DynamicBatchingIr,
  type EncodingIr,
  type InstancesIr,
  type OutputIr,
  type PipelineIr,
  type PostOpIr,
  type QueuePolicyIr,
  type TokenClassifierIr,
  type RerankerIr,
  type TextInputIr,
} from '../ir/schema.js';
import { resolveAssetPath } from './asset-path.js';
import type { DiagnosticList } from './diagnostics.js';
import type { EvaluatedPipeline } from './evaluate.js';
import { readConfigId2Label, readLabelsFile, type LabelMapRead } from './label-map.js';
import { resolveEngine, type EnginePort } from './resolve-engine.js';
import { resolveTokenizer } from './resolve-tokenizer.js';
import type { RepositoryAsset } from './repository-asset.js';
import { readSentenceTransformerFolder } from './sentence-transformer-folder.js';

/** The IR before schema validation, and the files the model repository needs. */
export interface LoweredPipeline {
  readonly ir: PipelineIr;
  readonly assets: readonly RepositoryAsset[];
}

const defaultMaxTextBytes = 1 << 20;

/** Triton's defaults for a queue policy field the pipeline leaves out. */
function resolveQueuePolicy(policy: QueuePolicyOptions | undefined): QueuePolicyIr {
  return {
    timeoutAction: policy?.timeoutAction ?? 'reject',
    defaultTimeoutMicroseconds: policy?.defaultTimeoutMicroseconds ?? 0,
    allowTimeoutOverride: policy?.allowTimeoutOverride ?? false,
    maxQueueSize: policy?.maxQueueSize ?? 0,
  };
}

// A GPU instance's thread only feeds the GPU, so a few more tokenize its
// batches (64 long texts: 0.15-0.4 ms on one core); a CPU engine's threads
// already use the cores.
const defaultGpuTokenizeThreads = 4;

function resolveInstances(instances: InstanceOptions | undefined, gpuEngine: boolean): InstancesIr {
  const kind = instances?.kind ?? (gpuEngine ? 'gpu' : 'cpu');
  return {
    count: instances?.count ?? 1,
    kind,
    tokenizeThreads: instances?.tokenizeThreads ?? (kind === 'gpu' ? defaultGpuTokenizeThreads : 1),
  };
}

function resolveDynamicBatching(batching: DynamicBatchingOptions | undefined): DynamicBatchingIr | null {
  if (batching === undefined) return null;
  const priorityLevels = batching.priorityLevels ?? 0;
  return {
    maxQueueDelayMicroseconds: batching.maxQueueDelayMicroseconds ?? 0,
    preferredBatchSizes: [...(batching.preferredBatchSizes ?? [])],
    preserveOrdering: batching.preserveOrdering ?? false,
    priorityLevels,
    // The lowest priority by default, so requests that name none never overtake those that do.
    defaultPriorityLevel: batching.defaultPriorityLevel ?? priorityLevels,
    defaultQueuePolicy: resolveQueuePolicy(batching.queuePolicy),
    priorityQueuePolicies: Object.entries(batching.priorityQueuePolicies ?? {})
      .map(([level, policy]) => ({ level: Number(level), policy: resolveQueuePolicy(policy) }))
      .sort((a, b) => a.level - b.level),
  };
}

const defaultDocStride = 128;
const defaultMaxWindows = 64;
const defaultMaxAnswerLength = 15;

const defaultMaxPassages = 64;

type TokenizerNode = TokenizeNode | TokenizeQuestionContextNode | TokenizePairsNode;
type PoolingNode = PoolNode | SentenceTransformerPoolNode;

/** One output as the graph gives it, before the engine and tokenizer are resolved. */
type OutputPlan =
  | { readonly kind: 'sentenceEmbedding'; readonly node: OutputNode; readonly pool: PoolingNode; readonly normalizeAt: readonly (SourceLocation | undefined)[] }
  | { readonly kind: Exclude<OutputIr['kind'], 'sentenceEmbedding'>; readonly node: OutputNode };

const classifyKinds = { scores: 'classScores', labels: 'topLabels', labelScores: 'topLabelScores' } as const;
const answerKinds = { text: 'answerText', score: 'answerScore', start: 'answerStart', end: 'answerEnd' } as const;
const rerankKinds = { scores: 'rerankScores', topIndices: 'rerankTopIndices', score: 'pairScore' } as const;
const entityKinds = { json: 'entities', labelIds: 'entityLabelIds', starts: 'entityStarts', ends: 'entityEnds', scores: 'entityScores' } as const;
const defaultMaxEntities = 16;

export class GraphLowering {
  private readonly pipelineFile: string;
  private readonly evaluated: EvaluatedPipeline;
  private readonly diagnostics: DiagnosticList;
  // What the outputs reach, found while walking them.
  private readonly engines = new Set<EngineNode>();
  private readonly ports = new Set<EnginePort>();
  private readonly classifiers = new Set<ClassifyNode>();
  private readonly tokenClassifiers = new Set<TokenClassifyNode>();
  private readonly answerDecoders = new Set<ExtractAnswersNode>();
  private readonly rerankers = new Set<RerankNode>();
  private readonly tokenizerUses: { node: StageNode; tokenizer: StageNode; what: string }[] = [];

  constructor(pipelineFile: string, evaluated: EvaluatedPipeline, diagnostics: DiagnosticList) {
    this.pipelineFile = pipelineFile;
    this.evaluated = evaluated;
    this.diagnostics = diagnostics;
  }

  private at(node: { readonly source: SourceLocation | undefined }): SourceLocation | undefined {
    return this.evaluated.toSource(node.source);
  }

  private report(node: { readonly source: SourceLocation | undefined }, message: string): void {
    this.diagnostics.add(this.at(node), message);
  }

  /** The outputs graph() returned, after checking their names. */
  private checkedOutputs(): readonly OutputNode[] {
    const outputs = this.evaluated.outputs;
    const pipelineAt = this.evaluated.toSource(this.evaluated.pipeline.source);
    if (!Array.isArray(outputs) || outputs.length === 0) {
      this.diagnostics.add(pipelineAt, "pipeline: graph() returned no outputs; return [output('name', value), ...]");
      return [];
    }
    const seen = new Set<string>();
    for (const out of outputs) {
      if (seen.has(out.name)) this.report(out, `output: duplicate output name '${out.name}'; each output needs its own name`);
      seen.add(out.name);
    }
    return outputs;
  }

  private useEngine(engine: StageNode, port: EnginePort): void {
    if (engine.stage !== 'engine') throw new Error(`internal: ${port} produced by ${engine.stage}`);
    this.engines.add(engine);
    this.ports.add(port);
  }

  /** Notes that `node` reads `value` of a tokenizer, to check later that it is the engine's. */
  private useTokenizer(node: StageNode, value: Value<string>, what: string): void {
    this.tokenizerUses.push({ node, tokenizer: value.producer, what });
  }

  /** Walks one output back to the engine; undefined after a diagnostic. */
  private planOutput(out: OutputNode): OutputPlan | undefined {
    const producer = out.value.producer;
    const port = out.value.port;
    switch (producer.stage) {
      case 'meanPool':
      case 'maxPool':
      case 'clsPool':
      case 'sentenceTransformerPool':
      case 'l2Normalize': {
        const normalizeAt: (SourceLocation | undefined)[] = [];
        let current: StageNode = producer;
        while (current.stage === 'l2Normalize') {
          normalizeAt.unshift(this.at(current));
          current = current.embedding.producer;
        }
        if (current.stage !== 'meanPool' && current.stage !== 'maxPool' && current.stage !== 'clsPool' && current.stage !== 'sentenceTransformerPool') {
          throw new Error(`internal: a sentence embedding produced by ${current.stage}`);
        }
        this.useEngine(current.tokenEmbeddings.producer, 'tokenEmbeddings');
        if (current.attentionMask !== undefined) this.useTokenizer(current, current.attentionMask, 'the attention mask');
        return { kind: 'sentenceEmbedding', node: out, pool: current, normalizeAt };
      }
      case 'tokenize':
        if (port !== 'tokenCount') break;
        this.useTokenizer(out, out.value, 'the token count');
        return { kind: 'tokenCount', node: out };
      case 'engine':
        if (port !== 'logits') break;
        this.useEngine(producer, 'logits');
        return { kind: 'logits', node: out };
      case 'classify': {
        const kind = classifyKinds[port as keyof typeof classifyKinds];
        if (kind === undefined) break;
        this.classifiers.add(producer);
        this.useEngine(producer.logits.producer, 'logits');
        return { kind, node: out };
      }
      case 'tokenClassify': {
        const kind = entityKinds[port as keyof typeof entityKinds];
        if (kind === undefined) break;
        this.tokenClassifiers.add(producer);
        this.useEngine(producer.logits.producer, 'tokenLogits');
        return { kind, node: out };
      }
      case 'extractAnswers': {
        const kind = answerKinds[port as keyof typeof answerKinds];
        if (kind === undefined) break;
        this.answerDecoders.add(producer);
        const { startLogits, endLogits, contextWindows } = producer;
        if (startLogits.port !== 'startLogits' || endLogits.port !== 'endLogits') {
          this.report(producer, 'extractAnswers: pass the engine result\'s startLogits first, then its endLogits');
        }
        this.useEngine(startLogits.producer, 'startLogits');
        this.useEngine(endLogits.producer, 'endLogits');
        this.useTokenizer(producer, contextWindows, 'the context windows');
        return { kind, node: out };
      }
      case 'rerank': {
        const kind = rerankKinds[port as keyof typeof rerankKinds];
        if (kind === undefined) break;
        this.rerankers.add(producer);
        this.useEngine(producer.logits.producer, 'logits');
        this.useTokenizer(producer, producer.pairs, 'the passage pairs');
        return { kind, node: out };
      }
      default:
        break;
    }
    throw new Error(`internal: output '${out.name}' gets ${port} of ${producer.stage}`);
  }

  /** The one node among `nodes`, reporting the second one a pipeline has. */
  private theOne<N extends StageNode>(nodes: ReadonlySet<N>, what: string): N | undefined {
    const [first, ...others] = nodes;
    for (const other of others) this.report(other, `${what}: a pipeline runs one ${what}() for now; this is a second one`);
    return first;
  }

  /** The tokenizer call whose tokens the engine reads; they must all come from one call. */
  private tokenizerOf(engine: EngineNode): TokenizerNode | undefined {
    const { inputIds, attentionMask, tokenTypeIds } = engine.tokens;
    const producers = new Set([inputIds.producer, attentionMask.producer, tokenTypeIds.producer]);
    const [first] = producers;
    if (
      producers.size !== 1 ||
      first === undefined ||
      (first.stage !== 'tokenize' && first.stage !== 'tokenizeQuestionContext' && first.stage !== 'tokenizePairs')
    ) {
      this.report(engine, 'engine: its input ids, attention mask and token type ids must come from one tokenize(), tokenizeQuestionContext() or tokenizePairs() call');
      return undefined;
    }
    return first;
  }

  private textInputOf(user: StageNode, text: Value<'Text'>, what: string): TextInputNode | undefined {
    const producer = text.producer;
    if (producer.stage !== 'textInput') {
      this.report(user, `${user.stage}: ${what} must come from textInput()`);
      return undefined;
    }
    return producer;
  }

  private textInputIr(node: TextInputNode | PassagesInputNode): TextInputIr {
    return {
      name: node.name,
      dataType: 'BYTES',
      dims: [1],
      allowEmpty: node.options.allowEmpty ?? false,
      maxBytes: node.options.maxBytes ?? defaultMaxTextBytes,
      source: this.at(node),
    };
  }

  /** Pooling ops of a sentence embedding; a sentence-transformers folder is read here. */
  private poolingOps(plan: Extract<OutputPlan, { kind: 'sentenceEmbedding' }>, hiddenSize: number): PostOpIr[] | undefined {
    const { pool } = plan;
    const normalizeOps: PostOpIr[] = plan.normalizeAt.map((source) => ({ op: 'l2Normalize', source }));
    if (pool.stage !== 'sentenceTransformerPool') return [{ op: pool.stage, source: this.at(pool) }, ...normalizeOps];
    const dir = resolve(dirname(this.pipelineFile), pool.options.modelDir);
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) {
      this.report(pool, `sentenceTransformerPooling: model folder '${pool.options.modelDir}' not found (resolved to ${dir}); paths are relative to the pipeline file`);
      return undefined;
    }
    const read = readSentenceTransformerFolder(dir);
    if ('problems' in read) {
      for (const problem of read.problems) this.report(pool, `sentenceTransformerPooling: ${problem}`);
      return undefined;
    }
    const { pooling } = read;
    if (pooling.dimension !== undefined && pooling.dimension !== hiddenSize) {
      this.report(
        pool,
        `sentenceTransformerPooling: the folder's word_embedding_dimension is ${pooling.dimension} but the engine's token embeddings have ${hiddenSize}; is it the same model?`,
      );
      return undefined;
    }
    const at = this.at(pool);
    const ops: PostOpIr[] = [{ op: pooling.pool, source: at }];
    if (pooling.normalize) ops.push({ op: 'l2Normalize', source: at });
    return [...ops, ...normalizeOps];
  }

  /** The label names of classify() or tokenClassify(), numLabels of them; undefined after reporting why not. */
  private labelNames(node: ClassifyNode | TokenClassifyNode, labels: LabelSource | undefined, numLabels: number): string[] | undefined {
    const call = node.stage;
    const report = (message: string): void => this.report(node, `${call}: ${message}`);
    let read: LabelMapRead = { labels: Array.from({ length: numLabels }, (_, id) => `LABEL_${id}`) };
    let from = 'the default names';
    if (labels !== undefined && 'names' in labels && labels.names !== undefined) {
      read = { labels: [...labels.names] };
      from = 'labels.names';
    } else if (labels !== undefined && (labels.labelsFile !== undefined || labels.configJson !== undefined)) {
      const given = labels.labelsFile ?? labels.configJson ?? '';
      const what = labels.labelsFile !== undefined ? `${call}: labels file` : `${call}: config.json`;
      const path = resolveAssetPath(this.pipelineFile, given, what, this.at(node), this.diagnostics);
      if (path === undefined) return undefined;
      read = labels.labelsFile !== undefined ? readLabelsFile(path, given) : readConfigId2Label(path, given);
      from = given;
    }
    if ('problem' in read) {
      report(read.problem);
      return undefined;
    }
    if (read.labels.length !== numLabels) {
      report(`${read.labels.length} label names from ${from}, but the model's logits have ${numLabels} classes`);
      return undefined;
    }
    return [...read.labels];
  }

  private classifierIr(node: ClassifyNode, numLabels: number): ClassifierIr | undefined {
    const { options } = node;
    const report = (message: string): void => this.report(node, `classify: ${message}`);
    const labels = this.labelNames(node, options.labels, numLabels);
    if (labels === undefined) return undefined;
    const topK = options.topK ?? 1;
    if (Number.isInteger(topK) && topK > numLabels) {
      report(`topK ${topK} is more than the model's ${numLabels} classes`);
      return undefined;
    }
    return {
      activation: options.activation ?? 'softmax',
      labels,
      topK,
      threshold: options.threshold ?? null,
      source: this.at(node),
    };
  }

  /** NER settings: label names for every class, a known aggregation, room for at least one entity. */
  private tokenClassifierIr(node: TokenClassifyNode, numLabels: number): TokenClassifierIr | undefined {
    const labels = this.labelNames(node, node.options.labels, numLabels);
    if (labels === undefined) return undefined;
    const maxEntities = node.options.maxEntities ?? defaultMaxEntities;
    if (!Number.isInteger(maxEntities) || maxEntities < 1) {
      this.report(node, `tokenClassify: maxEntities must be a positive integer, not ${maxEntities}`);
      return undefined;
    }
    return {
      labels,
      aggregation: node.options.aggregation ?? 'simple',
      ignoreLabels: [...(node.options.ignoreLabels ?? ['O'])],
      maxEntities,
      source: this.at(node),
    };
  }

  /** Reranking settings; a head of 1 or 2 logits only, topK within maxPassages. */
  private rerankerIr(node: RerankNode, numLabels: number, maxPassages: number | null): RerankerIr | undefined {
    const activation = node.options.activation ?? 'sigmoid';
    const topK = maxPassages === null ? null : (node.options.topK ?? 1);
    if (numLabels > 2) {
      this.report(node, `rerank: the engine's logits have ${numLabels} classes; a cross-encoder has 1 (a relevance logit) or 2 (not relevant, relevant)`);
      return undefined;
    }
    if (numLabels === 1 && activation === 'softmax') {
      this.report(node, "rerank: softmax over the engine's one logit is always 1; use activation 'sigmoid' (or 'none')");
      return undefined;
    }
    if (topK !== null && maxPassages !== null && Number.isInteger(topK) && topK > maxPassages) {
      this.report(node, `rerank: topK ${topK} is more than maxPassages ${maxPassages}, the most passages a request may send`);
      return undefined;
    }
    return { activation, topK, source: this.at(node) };
  }

  private answerDecoderIr(node: ExtractAnswersNode): AnswerDecoderIr {
    return {
      nBest: node.options.nBest ?? 1,
      maxAnswerLength: node.options.maxAnswerLength ?? defaultMaxAnswerLength,
      nullAnswer: node.options.nullAnswer ?? false,
      source: this.at(node),
    };
  }

  lower(): LoweredPipeline | undefined {
    const definition = this.evaluated.pipeline.definition;
    const pipelineAt = this.evaluated.toSource(this.evaluated.pipeline.source);
    const plans = this.checkedOutputs().map((out) => this.planOutput(out));
    const engineNode = this.theOne(this.engines, 'engine');
    const classifyNode = this.theOne(this.classifiers, 'classify');
    const answersNode = this.theOne(this.answerDecoders, 'extractAnswers');
    const rerankNode = this.theOne(this.rerankers, 'rerank');
    const tokenClassifyNode = this.theOne(this.tokenClassifiers, 'tokenClassify');
    if (engineNode === undefined || plans.some((plan) => plan === undefined)) return undefined;
    const tokenizerNode = this.tokenizerOf(engineNode);
    if (tokenizerNode === undefined) return undefined;
    for (const use of this.tokenizerUses) {
      if (use.tokenizer !== tokenizerNode) {
        const call = use.node.stage === 'output' ? 'output' : use.node.stage;
        this.report(use.node, `${call}: ${use.what} must come from the ${tokenizerNode.stage}() that feeds the engine`);
      }
    }
    if (tokenClassifyNode !== undefined && tokenizerNode.stage !== 'tokenize') {
      this.report(tokenClassifyNode, 'tokenClassify: tags the tokens of one text per row: tokenize the text with tokenize(text, ...)');
    }
    if (answersNode !== undefined && tokenizerNode.stage !== 'tokenizeQuestionContext') {
      this.report(answersNode, 'extractAnswers: needs question and context tokens: tokenize with tokenizeQuestionContext(question, context, ...)');
    }

    let input: TextInputNode | undefined;
    let encoding: EncodingIr | undefined;
    if (tokenizerNode.stage === 'tokenizePairs') {
      input = this.textInputOf(tokenizerNode, tokenizerNode.query, 'the query');
      const producer = tokenizerNode.passages.producer;
      const passages: PassagesInputNode | TextInputNode | undefined =
        producer.stage === 'passagesInput' || producer.stage === 'textInput' ? producer : undefined;
      if (passages === undefined) throw new Error(`internal: passages produced by ${producer.stage}`);
      const same = (key: 'allowEmpty' | 'maxBytes'): boolean => input?.options[key] === passages.options[key];
      if (input !== undefined && (!same('allowEmpty') || !same('maxBytes'))) {
        this.report(passages, "passagesInput: the runtime checks query and passages with the same limits: give the passages the query's allowEmpty and maxBytes");
      }
      encoding =
        passages.stage === 'passagesInput'
          ? {
              kind: 'queryPassages',
              passages: { ...this.textInputIr(passages), dims: [-1] },
              maxPassages: passages.options.maxPassages ?? defaultMaxPassages,
              source: this.at(tokenizerNode),
            }
          : { kind: 'queryPassagePerRow', passage: this.textInputIr(passages), source: this.at(tokenizerNode) };
      for (const plan of plans) {
        if (plan !== undefined && plan.kind !== 'rerankScores' && plan.kind !== 'rerankTopIndices' && plan.kind !== 'pairScore') {
          this.report(plan.node, `output: with tokenizePairs() the outputs come from rerank() (scores, topIndices); '${plan.node.name}' does not`);
        }
      }
      if (rerankNode === undefined) this.report(tokenizerNode, 'tokenizePairs: its pairs need rerank(); no output uses them');
    } else if (tokenizerNode.stage === 'tokenize') {
      input = this.textInputOf(tokenizerNode, tokenizerNode.text, 'its text');
      encoding = { kind: 'singleText' };
    } else {
      input = this.textInputOf(tokenizerNode, tokenizerNode.question, 'the question');
      const context = this.textInputOf(tokenizerNode, tokenizerNode.context, 'the context');
      if (input !== undefined && context !== undefined) {
        const same = (key: 'allowEmpty' | 'maxBytes'): boolean => input?.options[key] === context.options[key];
        if (!same('allowEmpty') || !same('maxBytes')) {
          this.report(context, "textInput: the runtime checks question and context with the same limits: give the context the question's allowEmpty and maxBytes");
        }
      }
      if (context !== undefined) {
        encoding = {
          kind: 'questionContext',
          context: this.textInputIr(context),
          docStride: tokenizerNode.options.docStride ?? defaultDocStride,
          maxWindows: tokenizerNode.options.maxWindows ?? defaultMaxWindows,
          source: this.at(tokenizerNode),
        };
      }
      if (answersNode === undefined) {
        this.report(tokenizerNode, 'tokenizeQuestionContext: its windows need extractAnswers(); no output uses them');
      }
    }
    const tokenizerOptions = tokenizerNode.stage === 'tokenize' ? tokenizerNode.options : { ...tokenizerNode.options, truncation: true };
    const tokenizer = resolveTokenizer({ options: tokenizerOptions }, this.pipelineFile, this.at(tokenizerNode), this.diagnostics);
    const engine = resolveEngine(engineNode, this.ports, this.pipelineFile, this.at(engineNode), this.diagnostics);
    if (input === undefined || encoding === undefined || tokenizer === undefined || engine === undefined) return undefined;

    const maxLength = tokenizer.tokenizer.maxLength;
    const maxPositions = engine.maxPositionEmbeddings;
    if (maxPositions !== undefined && maxLength > maxPositions) {
      this.report(tokenizerNode, `${tokenizerNode.stage}: maxLength ${maxLength} is more than the model's max_position_embeddings ${maxPositions}; lower maxLength`);
    }
    // A compiled engine's bound, from its signature file (null: not stated).
    const maxSequence = engine.engine.kind === 'openvino' ? null : engine.engine.maxSequence;
    if (maxSequence !== null && maxLength > maxSequence) {
      this.report(
        tokenizerNode,
        `${tokenizerNode.stage}: maxLength ${maxLength} is more than the ${maxSequence} tokens a row the compiled engine takes (max_sequence in its signature file); lower maxLength or compile the engine for longer rows`,
      );
    }
    // The smallest question (one token) must leave windows longer than the stride.
    if (encoding.kind === 'questionContext' && encoding.docStride >= maxLength - 4) {
      this.report(tokenizerNode, `tokenizeQuestionContext: docStride ${encoding.docStride} must be less than maxLength - 4 (${maxLength - 4}), the longest context window`);
    }

    const { hiddenSize, numLabels } = engine.engine;
    const classifier = classifyNode === undefined || numLabels === null ? null : this.classifierIr(classifyNode, numLabels);
    if (classifier === undefined) return undefined;
    const answerDecoder = answersNode === undefined ? null : this.answerDecoderIr(answersNode);
    const numTokenLabels = engine.engine.numTokenLabels;
    const tokenClassifier =
      tokenClassifyNode === undefined || numTokenLabels === undefined ? undefined : this.tokenClassifierIr(tokenClassifyNode, numTokenLabels);
    if (tokenClassifyNode !== undefined && tokenClassifier === undefined) return undefined;
    const reranker =
      rerankNode === undefined || numLabels === null || (encoding.kind !== 'queryPassages' && encoding.kind !== 'queryPassagePerRow')
        ? undefined
        : this.rerankerIr(rerankNode, numLabels, encoding.kind === 'queryPassages' ? encoding.maxPassages : null);
    if (rerankNode !== undefined && reranker === undefined) return undefined;

    const outputs: OutputIr[] = [];
    for (const plan of plans) {
      if (plan === undefined) return undefined;
      const { node } = plan;
      const base = { name: node.name, source: this.at(node) };
      switch (plan.kind) {
        case 'sentenceEmbedding': {
          const ops = this.poolingOps(plan, hiddenSize ?? 0);
          if (ops === undefined) return undefined;
          outputs.push({ kind: 'sentenceEmbedding', ...base, dataType: 'FP32', dims: [hiddenSize ?? 0], from: 'tokenEmbeddings', ops });
          break;
        }
        case 'tokenCount':
          outputs.push({ kind: plan.kind, ...base, dataType: 'INT64', dims: [1] });
          break;
        case 'logits':
        case 'classScores':
          outputs.push({ kind: plan.kind, ...base, dataType: 'FP32', dims: [numLabels ?? 0] });
          break;
        case 'topLabels':
          outputs.push({ kind: plan.kind, ...base, dataType: 'BYTES', dims: [classifier?.topK ?? 0] });
          break;
        case 'topLabelScores':
          outputs.push({ kind: plan.kind, ...base, dataType: 'FP32', dims: [classifier?.topK ?? 0] });
          break;
        case 'answerText':
          outputs.push({ kind: plan.kind, ...base, dataType: 'BYTES', dims: [answerDecoder?.nBest ?? 0] });
          break;
        case 'answerScore':
          outputs.push({ kind: plan.kind, ...base, dataType: 'FP32', dims: [answerDecoder?.nBest ?? 0] });
          break;
        case 'answerStart':
        case 'answerEnd':
          outputs.push({ kind: plan.kind, ...base, dataType: 'INT64', dims: [answerDecoder?.nBest ?? 0] });
          break;
        case 'rerankScores':
          outputs.push({ kind: plan.kind, ...base, dataType: 'FP32', dims: [-1] });
          break;
        case 'rerankTopIndices':
          outputs.push({ kind: plan.kind, ...base, dataType: 'INT64', dims: [reranker?.topK ?? 0] });
          break;
        case 'pairScore':
          outputs.push({ kind: plan.kind, ...base, dataType: 'FP32', dims: [1] });
          break;
        case 'entities':
          outputs.push({ kind: plan.kind, ...base, dataType: 'BYTES', dims: [1] });
          break;
        case 'entityLabelIds':
        case 'entityStarts':
        case 'entityEnds':
          outputs.push({ kind: plan.kind, ...base, dataType: 'INT64', dims: [tokenClassifier?.maxEntities ?? 0] });
          break;
        case 'entityScores':
          outputs.push({ kind: plan.kind, ...base, dataType: 'FP32', dims: [tokenClassifier?.maxEntities ?? 0] });
          break;
      }
    }

    const ir: PipelineIr = {
      irVersion,
      name: definition.name,
      maxBatchSize: definition.maxBatchSize,
      maxBatchTokens: definition.maxBatchTokens ?? null,
      dynamicBatching: resolveDynamicBatching(definition.dynamicBatching),
      instances: resolveInstances(definition.instances, gpuEngineKinds.has(engine.engine.kind)),
      input: this.textInputIr(input),
      tokenizer: tokenizer.tokenizer,
      encoding,
      engine: engine.engine,
      classifier,
      answerDecoder,
      ...(reranker === undefined ? {} : { reranker }),
      ...(tokenClassifier === undefined ? {} : { tokenClassifier }),
      outputs,
      source: pipelineAt,
    };
    return { ir, assets: [tokenizer.vocabAsset, engine.modelAsset] };
  }
}
