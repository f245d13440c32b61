// Walks the graph a pipeline's graph() recorded, from its outputs back to the
// text input, and turns it into the IR. The runtime runs one fixed shape of
// pipeline for now (text → tokenize → engine → pooling/normalize → output);
// graphs outside it are reported here, at the call that leaves it.
import type { SourceLocation } from '../dsl/source-location.js';
import type { EngineNode, OutputNode, PoolNode, TextInputNode, TokenizeNode } from '../dsl/stage-nodes.js';
import type { SentenceEmbedding } from '../dsl/values.js';
import { irVersion, type OutputIr, type PipelineIr, type PostOpIr } from '../ir/schema.js';
import type { DiagnosticList } from './diagnostics.js';
import type { EvaluatedPipeline } from './evaluate.js';
import { resolveEngine } from './resolve-engine.js';
import { resolveTokenizer } from './resolve-tokenizer.js';
import type { RepositoryAsset } from './repository-asset.js';

/** The IR before schema validation, and the files the model repository needs. */
export interface LoweredPipeline {
  readonly ir: PipelineIr;
  readonly assets: readonly RepositoryAsset[];
}

const defaultMaxTextBytes = 1 << 20;

interface OutputChain {
  readonly ops: PostOpIr[];
  readonly pool: PoolNode;
  readonly engine: EngineNode;
}

export class GraphLowering {
  private readonly pipelineFile: string;
  private readonly evaluated: EvaluatedPipeline;
  private readonly diagnostics: DiagnosticList;

  constructor(pipelineFile: string, evaluated: EvaluatedPipeline, diagnostics: DiagnosticList) {
    this.pipelineFile = pipelineFile;
    this.evaluated = evaluated;
    this.diagnostics = diagnostics;
  }

  private at(node: { readonly source: SourceLocation | undefined }): SourceLocation | undefined {
    return this.evaluated.toSource(node.source);
  }

  /** The single output the runtime serves now, after checking the names of all. */
  private chooseOutput(): OutputNode | undefined {
    const outputs = this.evaluated.outputs;
    const pipelineAt = this.evaluated.toSource(this.evaluated.pipeline.source);
    if (!Array.isArray(outputs) || outputs.length === 0) {
      this.diagnostics.add(pipelineAt, "pipeline: graph() returned no outputs; return [output('name', embedding)]");
      return undefined;
    }
    const seen = new Map<string, OutputNode>();
    for (const out of outputs) {
      if (seen.has(out.name)) {
        this.diagnostics.add(this.at(out), `output: duplicate output name '${out.name}'; each output needs its own name`);
      }
      seen.set(out.name, out);
    }
    outputs.slice(1).forEach((out) => {
      this.diagnostics.add(this.at(out), `output: '${out.name}' is one output too many: the runtime serves one output per pipeline for now`);
    });
    return outputs[0];
  }

  /** Post-ops from the pooling to the output, in the order they run. */
  private outputChain(value: SentenceEmbedding): OutputChain {
    const ops: PostOpIr[] = [];
    let current = value.producer;
    while (current.stage === 'l2Normalize') {
      ops.unshift({ op: 'l2Normalize', source: this.at(current) });
      current = current.embedding.producer;
    }
    if (current.stage !== 'meanPool' && current.stage !== 'maxPool' && current.stage !== 'clsPool') {
      throw new Error(`internal: a sentence embedding produced by ${current.stage}`);
    }
    ops.unshift({ op: current.stage, source: this.at(current) });
    const engine = current.tokenEmbeddings.producer;
    if (engine.stage !== 'engine') throw new Error(`internal: token embeddings produced by ${engine.stage}`);
    return { ops, pool: current, engine };
  }

  /** The tokenize() whose tokens the engine reads; they must all come from one call. */
  private tokenizeOf(engine: EngineNode): TokenizeNode | undefined {
    const { inputIds, attentionMask, tokenTypeIds } = engine.tokens;
    const producers = new Set([inputIds.producer, attentionMask.producer, tokenTypeIds.producer]);
    const [first] = producers;
    if (producers.size !== 1 || first === undefined || first.stage !== 'tokenize') {
      this.diagnostics.add(this.at(engine), 'engine: its input ids, attention mask and token type ids must come from one tokenize() call');
      return undefined;
    }
    return first;
  }

  private textInputOf(tokenize: TokenizeNode): TextInputNode | undefined {
    const producer = tokenize.text.producer;
    if (producer.stage !== 'textInput') {
      this.diagnostics.add(this.at(tokenize), 'tokenize: its text must come from textInput()');
      return undefined;
    }
    return producer;
  }

  lower(): LoweredPipeline | undefined {
    const definition = this.evaluated.pipeline.definition;
    const pipelineAt = this.evaluated.toSource(this.evaluated.pipeline.source);
    const chosen = this.chooseOutput();
    if (chosen === undefined) return undefined;
    const chain = this.outputChain(chosen.value);
    const tokenizeNode = this.tokenizeOf(chain.engine);
    if (tokenizeNode === undefined) return undefined;
    if (chain.pool.attentionMask !== undefined && chain.pool.attentionMask.producer !== tokenizeNode) {
      this.diagnostics.add(this.at(chain.pool), `${chain.pool.stage}: the attention mask must come from the tokenize() that feeds the engine`);
    }
    const textNode = this.textInputOf(tokenizeNode);
    const tokenizer = resolveTokenizer(tokenizeNode, this.pipelineFile, this.at(tokenizeNode), this.diagnostics);
    const engine = resolveEngine(chain.engine, this.pipelineFile, this.at(chain.engine), this.diagnostics);
    if (textNode === undefined || tokenizer === undefined || engine === undefined) return undefined;

    const maxPositions = engine.maxPositionEmbeddings;
    if (maxPositions !== undefined && tokenizer.tokenizer.maxLength > maxPositions) {
      this.diagnostics.add(
        this.at(tokenizeNode),
        `tokenize: maxLength ${tokenizer.tokenizer.maxLength} is more than the model's max_position_embeddings ${maxPositions}; lower maxLength`,
      );
    }

    const output: OutputIr = {
      name: chosen.name,
      dataType: 'FP32',
      dims: [engine.engine.hiddenSize],
      from: 'tokenEmbeddings',
      ops: chain.ops,
      source: this.at(chosen),
    };
    const batching = definition.dynamicBatching;
    const ir: PipelineIr = {
      irVersion,
      name: definition.name,
      maxBatchSize: definition.maxBatchSize,
      dynamicBatching:
        batching === undefined
          ? null
          : {
              maxQueueDelayMicroseconds: batching.maxQueueDelayMicroseconds ?? 0,
              preferredBatchSizes: [...(batching.preferredBatchSizes ?? [])],
            },
      instances: { count: definition.instances?.count ?? 1, kind: definition.instances?.kind ?? 'cpu' },
      input: {
        name: textNode.name,
        dataType: 'BYTES',
        dims: [1],
        allowEmpty: textNode.options.allowEmpty ?? false,
        maxBytes: textNode.options.maxBytes ?? defaultMaxTextBytes,
        source: this.at(textNode),
      },
      tokenizer: tokenizer.tokenizer,
      engine: engine.engine,
      outputs: [output],
      source: pipelineAt,
    };
    return { ir, assets: [tokenizer.vocabAsset, engine.modelAsset] };
  }
}
