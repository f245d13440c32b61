// What every step of lowering shares: the pipeline file, its evaluated graph,
// the diagnostics, and what the outputs reach of the engine and tokenizer.
import type { SourceLocation } from '../dsl/source-location.js';
import type { EngineNode, StageNode, Value } from '../dsl/graph.js';
import type { DiagnosticList } from '../frontend/diagnostics.js';
import type { EvaluatedPipeline } from '../frontend/evaluate.js';
import type { EnginePort } from './resolve-engine.js';

/** A node that reads a tokenizer result, to check later that it is the engine's tokenizer. */
export interface TokenizerUse {
  readonly node: StageNode;
  readonly tokenizer: StageNode;
  readonly what: string;
}

export class LoweringContext {
  readonly pipelineFile: string;
  readonly evaluated: EvaluatedPipeline;
  readonly diagnostics: DiagnosticList;
  // What the outputs reach, found while walking them.
  readonly engines = new Set<EngineNode>();
  readonly ports = new Set<EnginePort>();
  readonly tokenizerUses: TokenizerUse[] = [];

  constructor(pipelineFile: string, evaluated: EvaluatedPipeline, diagnostics: DiagnosticList) {
    this.pipelineFile = pipelineFile;
    this.evaluated = evaluated;
    this.diagnostics = diagnostics;
  }

  /** Where in the pipeline file a node's DSL call is. */
  at(node: { readonly source: SourceLocation | undefined }): SourceLocation | undefined {
    return this.evaluated.toSource(node.source);
  }

  report(node: { readonly source: SourceLocation | undefined }, message: string): void {
    this.diagnostics.add(this.at(node), message);
  }

  /** Notes that an output reads `port` of `engine`. */
  useEngine(engine: StageNode, port: EnginePort): void {
    if (engine.stage !== 'engine') throw new Error(`internal: ${port} produced by ${engine.stage}`);
    this.engines.add(engine);
    this.ports.add(port);
  }

  /** Notes that `node` reads `value` of a tokenizer, to check later that it is the engine's. */
  useTokenizer(node: StageNode, value: Value<string>, what: string): void {
    this.tokenizerUses.push({ node, tokenizer: value.producer, what });
  }

  /** The one node among `nodes`, reporting the second one a pipeline has. */
  theOne<N extends StageNode>(nodes: ReadonlySet<N>, what: string): N | undefined {
    const [first, ...others] = nodes;
    for (const other of others) this.report(other, `${what}: a pipeline runs one ${what}() for now; this is a second one`);
    return first;
  }
}
