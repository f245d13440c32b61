// Walks the graph a pipeline's graph() recorded, from its outputs back to the
// text inputs, and turns it into the IR. The runtime runs one tokenizer and
// one engine per pipeline, with any number of outputs computed from them by
// the tasks (tasks/); graphs outside that are reported here, at the call that
// leaves it.
import type { EngineNode, OutputNode } from '../dsl/graph.js';
import { outputDim, outputKinds } from '../ir/output-kinds.js';
import { gpuEngineKinds, irVersion, type OutputIr, type PipelineIr } from '../ir/schema.js';
import type { DiagnosticList } from '../frontend/diagnostics.js';
import { readTokenizerJsonDecoder, supportedDecoders } from '../model-files/tokenizer-json-components.js';
import type { EvaluatedPipeline } from '../frontend/evaluate.js';
import type { RepositoryAsset } from './repository-asset.js';
import { resolveEngine } from './resolve-engine.js';
import { resolveTokenizer } from './resolve-tokenizer.js';
import { LoweringContext } from './context.js';
import { resolveDynamicBatching, resolveInstances } from './pipeline-settings.js';
import type { LoweredEncoding, LoweringTask, OutputPlan, TaskSections, TokenizerNode } from './task.js';
import { loweringTasks } from './tasks/index.js';
import { singleTextEncoding, textInputIr } from './text-inputs.js';

/** The IR before schema validation, and the files the model repository needs. */
export interface LoweredPipeline {
  readonly ir: PipelineIr;
  readonly assets: readonly RepositoryAsset[];
}

/** The outputs graph() returned, after checking their names. */
function checkedOutputs(context: LoweringContext): readonly OutputNode[] {
  const { outputs, pipeline, toSource } = context.evaluated;
  if (!Array.isArray(outputs) || outputs.length === 0) {
    context.diagnostics.add(toSource(pipeline.source), "pipeline: graph() returned no outputs; return [output('name', value), ...]");
    return [];
  }
  const seen = new Set<string>();
  for (const out of outputs) {
    if (seen.has(out.name)) context.report(out, `output: duplicate output name '${out.name}'; each output needs its own name`);
    seen.add(out.name);
  }
  return outputs;
}

/** The plan of the task that computes `out`. */
function planOutput(tasks: readonly LoweringTask[], out: OutputNode): OutputPlan {
  for (const task of tasks) {
    const plan = task.planOutput(out);
    if (plan !== undefined) return plan;
  }
  throw new Error(`internal: output '${out.name}' gets ${out.value.port} of ${out.value.producer.stage}`);
}

/** The tokenizer call whose tokens the engine reads; they must all come from one call. */
function tokenizerOf(context: LoweringContext, engine: EngineNode): TokenizerNode | undefined {
  const { inputIds, attentionMask, tokenTypeIds } = engine.tokens;
  const producers = new Set([inputIds.producer, attentionMask.producer, tokenTypeIds.producer]);
  const [first] = producers;
  if (
    producers.size !== 1 ||
    first === undefined ||
    (first.stage !== 'tokenize' && first.stage !== 'tokenizeQuestionContext' && first.stage !== 'tokenizePairs')
  ) {
    context.report(engine, 'engine: its input ids, attention mask and token type ids must come from one tokenize(), tokenizeQuestionContext() or tokenizePairs() call');
    return undefined;
  }
  return first;
}

/** The encoding of the tokenizer call: tokenize()'s own, or that of the task owning the call. */
function lowerEncoding(context: LoweringContext, tasks: readonly LoweringTask[], tokenizer: TokenizerNode, plans: readonly OutputPlan[]): LoweredEncoding {
  if (tokenizer.stage === 'tokenize') return singleTextEncoding(context, tokenizer);
  for (const task of tasks) {
    if (task.tokenizerStage === tokenizer.stage && task.lowerEncoding !== undefined) return task.lowerEncoding(tokenizer, plans);
  }
  throw new Error(`internal: no task lowers the encoding of ${tokenizer.stage}`);
}

export function lowerGraph(pipelineFile: string, evaluated: EvaluatedPipeline, diagnostics: DiagnosticList): LoweredPipeline | undefined {
  const context = new LoweringContext(pipelineFile, evaluated, diagnostics);
  const tasks = loweringTasks(context);
  const definition = evaluated.pipeline.definition;
  const pipelineAt = evaluated.toSource(evaluated.pipeline.source);
  const plans = checkedOutputs(context).map((out) => planOutput(tasks, out));
  const engineNode = context.theOne(context.engines, 'engine');
  for (const task of tasks) task.settle();
  if (engineNode === undefined) return undefined;
  const tokenizerNode = tokenizerOf(context, engineNode);
  if (tokenizerNode === undefined) return undefined;
  for (const use of context.tokenizerUses) {
    if (use.tokenizer !== tokenizerNode) {
      const call = use.node.stage === 'output' ? 'output' : use.node.stage;
      context.report(use.node, `${call}: ${use.what} must come from the ${tokenizerNode.stage}() that feeds the engine`);
    }
  }
  for (const task of tasks) task.checkTokenizer(tokenizerNode);

  const { input, encoding } = lowerEncoding(context, tasks, tokenizerNode, plans);
  const tokenizerOptions = tokenizerNode.stage === 'tokenize' ? tokenizerNode.options : { ...tokenizerNode.options, truncation: true };
  const tokenizer = resolveTokenizer({ options: tokenizerOptions }, pipelineFile, context.at(tokenizerNode), diagnostics);
  const engine = resolveEngine(engineNode, context.ports, pipelineFile, context.at(engineNode), diagnostics);
  if (input === undefined || encoding === undefined || tokenizer === undefined || engine === undefined) return undefined;

  const maxLength = tokenizer.tokenizer.maxLength;
  const maxPositions = engine.maxPositionEmbeddings;
  if (maxPositions !== undefined && maxLength > maxPositions) {
    context.report(tokenizerNode, `${tokenizerNode.stage}: maxLength ${maxLength} is more than the model's max_position_embeddings ${maxPositions}; lower maxLength`);
  }
  // A compiled engine's bound, from its signature file (null: not stated).
  const maxSequence = engine.engine.kind === 'openvino' ? null : engine.engine.maxSequence;
  if (maxSequence !== null && maxLength > maxSequence) {
    context.report(
      tokenizerNode,
      `${tokenizerNode.stage}: maxLength ${maxLength} is more than the ${maxSequence} tokens a row the compiled engine takes (max_sequence in its signature file); lower maxLength or compile the engine for longer rows`,
    );
  }
  for (const task of tasks) task.checkLimits?.(tokenizerNode, encoding, tokenizer.tokenizer);

  const sections: TaskSections = { classifier: null, answerDecoder: null, reranker: null, tokenClassifier: null };
  for (const task of tasks) {
    const section = task.lowerSection({ engine: engine.engine, encoding });
    if (section === undefined) return undefined;
    Object.assign(sections, section);
  }

  const outputs: OutputIr[] = [];
  for (const { kind, node, fields } of plans) {
    const extra = fields?.(engine.engine);
    if (fields !== undefined && extra === undefined) return undefined;
    // A kind the pipeline cannot size gets 0, which the IR schema reports.
    const dim = outputDim(kind, { engine: engine.engine, ...sections });
    // The table gives `kind` its data type; the schema checks the result.
    const output = { kind, name: node.name, source: context.at(node), dataType: outputKinds[kind].dataType, dims: [typeof dim === 'number' ? dim : 0], ...extra } as OutputIr;
    outputs.push(output);
  }

  const { classifier, answerDecoder, reranker, tokenClassifier } = sections;
  // NER's words are the file's decoder's, as in HF's pipeline.
  if (tokenizer.tokenizer.kind === 'tokenizerJson' && tokenClassifier !== null) {
    const decoder = readTokenizerJsonDecoder(tokenizer.tokenizer.file.path);
    if (decoder !== null && !supportedDecoders.some((d) => d === decoder)) {
      context.report(
        tokenizerNode,
        `${tokenizerNode.stage}: token classification makes its words with the tokenizer's decoder; this tokenizer.json's decoder is ${decoder === undefined ? 'unreadable' : `'${decoder}'`}, supported: ${supportedDecoders.join(', ')} or none`,
      );
      return undefined;
    }
  }
  const ir: PipelineIr = {
    irVersion,
    name: definition.name,
    maxBatchSize: definition.maxBatchSize,
    maxBatchTokens: definition.maxBatchTokens ?? null,
    engineCallCostTokens: definition.engineCallCostTokens ?? null,
    dynamicBatching: resolveDynamicBatching(definition.dynamicBatching),
    instances: resolveInstances(definition.instances, gpuEngineKinds.has(engine.engine.kind)),
    input: textInputIr(context, input),
    tokenizer: tokenizer.tokenizer,
    encoding,
    engine: engine.engine,
    classifier,
    answerDecoder,
    reranker,
    tokenClassifier,
    outputs,
    source: pipelineAt,
  };
  return { ir, assets: [tokenizer.asset, ...engine.modelAssets] };
}
