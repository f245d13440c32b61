// Turns an engine() call into the IR's engine: finds the model file, reads
// its signature, and wires our tensors to the model's by name.
import type { SourceLocation } from '../dsl/source-location.js';
import type { EngineNode } from '../dsl/graph.js';
import type { EngineIr } from '../ir/schema.js';
import type { DiagnosticList } from '../frontend/diagnostics.js';
import { resolveAssetPath } from '../model-files/asset-path.js';
import { readOnnxSignature, readSignatureSidecar, type OnnxSignature, type OnnxSignatureResult, type TensorSignature } from '../model-files/onnx-signature.js';
import { int8ModelFiles, modelFileName } from '../ir/model-files.js';
import type { RepositoryAsset } from './repository-asset.js';
import { precisionModelAssets, resolvePrecision } from './resolve-precision.js';

// Which file the engine() call names, and what runs it.
interface ModelSource {
  readonly kind: EngineIr['kind'];
  readonly option: string;  // the path as written
  readonly what: string;    // for messages
  readonly file: string;    // its name in the model version directory
  readonly format: 'onnx' | 'plan' | 'pt2';
}

function modelSource(options: EngineNode['options'], report: (message: string) => void): ModelSource | undefined {
  if (options.aotInductor !== undefined) {
    return { kind: 'aotInductor', option: options.aotInductor, what: 'AOTInductor package', file: 'model.pt2', format: 'pt2' };
  }
  if (options.tensorrt !== undefined) {
    return { kind: 'tensorrt', option: options.tensorrt, what: 'TensorRT plan', file: 'model.plan', format: 'plan' };
  }
  const provider = options.provider ?? 'cpu';
  if (provider === 'cuda') {
    report(
      "engine: provider 'cuda' is ONNX Runtime's CUDA provider, which faster-bert does not include (no ONNX Runtime C/C++ SDK to build against); use provider: 'tensorrt' for this ONNX file, or an AOTInductor package ({ aotInductor: 'model.pt2' })",
    );
    return undefined;
  }
  return {
    kind: provider === 'tensorrt' ? 'tensorrt' : 'openvino',
    option: options.onnx,
    what: 'ONNX model',
    file: modelFileName,
    format: 'onnx',
  };
}

function readSignature(source: ModelSource, modelPath: string): OnnxSignatureResult {
  switch (source.format) {
    case 'onnx':
      return readOnnxSignature(modelPath);
    case 'plan':
      return readSignatureSidecar(modelPath, 'docker/build-trt-plan.sh');
    case 'pt2':
      return readSignatureSidecar(modelPath, 'tools/torch_export/export_bert_pt2.py');
  }
}

// Hugging Face's names, which our exporter and optimum both use.
const defaultNames = {
  inputIds: 'input_ids',
  attentionMask: 'attention_mask',
  tokenTypeIds: 'token_type_ids',
  tokenEmbeddings: 'last_hidden_state',
  logits: 'logits',
  tokenLogits: 'logits',
  startLogits: 'start_logits',
  endLogits: 'end_logits',
} as const;

/** The engine results a graph can read. */
export type EnginePort = 'tokenEmbeddings' | 'logits' | 'tokenLogits' | 'startLogits' | 'endLogits';

// What each port must look like, in words for messages.
const portShapes: Readonly<Record<EnginePort, { readonly what: string; readonly rank: number; readonly shape: string }>> = {
  tokenEmbeddings: { what: 'token embeddings', rank: 3, shape: '[batch, sequence, hidden]' },
  logits: { what: 'classifier logits', rank: 2, shape: '[batch, labels]' },
  tokenLogits: { what: 'token classifier logits', rank: 3, shape: '[batch, sequence, labels]' },
  startLogits: { what: 'QA start logits', rank: 2, shape: '[batch, sequence]' },
  endLogits: { what: 'QA end logits', rank: 2, shape: '[batch, sequence]' },
};

export interface ResolvedEngine {
  readonly engine: EngineIr;
  /** The model's files in the version directory (two for an int8 OpenVINO IR). */
  readonly modelAssets: readonly RepositoryAsset[];
  /** The model's position limit when its sidecar states it. */
  readonly maxPositionEmbeddings: number | undefined;
}

function nameList(tensors: readonly TensorSignature[]): string {
  return tensors.length === 0 ? 'none' : tensors.map((tensor) => `'${tensor.name}'`).join(', ');
}

function shapeText(shape: TensorSignature['shape']): string {
  return shape === null ? 'unknown' : `[${shape.join(', ')}]`;
}

/** Checks one of the token inputs we feed: present, INT64, rank 2. */
function checkTokenInput(
  signature: OnnxSignature,
  name: string,
  option: 'inputIds' | 'attentionMask' | 'tokenTypeIds',
  report: (message: string) => void,
): void {
  const tensor = signature.inputs.find((input) => input.name === name);
  if (tensor === undefined) {
    report(
      `engine: the model has no input '${name}' (its inputs: ${nameList(signature.inputs)}); name the model's tensor with engine(tokens, { inputs: { ${option}: '...' } })`,
    );
    return;
  }
  if (tensor.dtype !== 'INT64') {
    report(`engine: input '${name}' is ${tensor.dtype}; the runtime feeds INT64 [batch, sequence]: export the model with int64 inputs`);
  }
  if (tensor.shape !== null && tensor.shape.length !== 2) {
    report(`engine: input '${name}' has shape ${shapeText(tensor.shape)}; the runtime feeds [batch, sequence]`);
  }
}

/** The input name of a token-packed AOTInductor package (aot_inductor_engine.cc's kTokenIndexInput). */
const tokenIndexInput = 'token_index';
// A token-packed package's calls of more real tokens than this run without a
// CUDA graph: on an H100, 64 long texts (15,541 tokens) took 6.39 ms at their
// exact shape against 6.80 ms replayed at their token bucket, 16 of them
// (3,864) 1.72 against 1.77, while 8 (1,942) took 1.13 ms eagerly against 0.98
// from a graph. A padded package pads less at that size and launches more
// kernels (16 long texts: 2.21 ms eagerly, 2.01 from a graph): every call of
// it is replayed (bench/reports/2026-12-06-h100-graph-limit.md).
const DEFAULT_PACKED_GRAPH_MAX_TOKENS = 2048;

/** Whether the package takes token_index, reporting when it does in a shape the runtime cannot feed. */
function checkTokenIndex(signature: OnnxSignature, report: (message: string) => void): boolean {
  const tensor = signature.inputs.find((input) => input.name === tokenIndexInput);
  if (tensor === undefined) return false;
  if (tensor.dtype !== 'INT64' || (tensor.shape !== null && tensor.shape.length !== 1)) {
    report(
      `engine: input '${tokenIndexInput}' is ${tensor.dtype} ${shapeText(tensor.shape)}; the GPU runtime feeds a token-packed package INT64 [tokens] (the real tokens' positions): export it with tools/torch_export/export_bert_pt2.py --pack-tokens`,
    );
  }
  return true;
}

/**
 * Checks one output the graph reads: present, FP32, the port's rank. Returns
 * its last dim for ports with a width (hidden size, labels), 0 for the
 * per-token QA logits, or undefined after reporting why not.
 */
function checkOutput(signature: OnnxSignature, port: EnginePort, name: string, report: (message: string) => void): number | undefined {
  const { what, rank, shape: wanted } = portShapes[port];
  const tensor = signature.outputs.find((output) => output.name === name);
  if (tensor === undefined) {
    report(
      `engine: the model has no output '${name}' (its outputs: ${nameList(signature.outputs)}); name the ${what} output with engine(tokens, { outputs: { ${port}: '...' } })`,
    );
    return undefined;
  }
  if (tensor.dtype !== 'FP32') {
    report(`engine: output '${name}' is ${tensor.dtype}; ${what} must be FP32`);
    return undefined;
  }
  const shape = tensor.shape;
  if (shape === null || shape.length !== rank) {
    report(`engine: output '${name}' has shape ${shapeText(shape)}; ${what} must be rank ${rank} ${wanted}`);
    return undefined;
  }
  if (port === 'startLogits' || port === 'endLogits') return 0;
  const width = shape[rank - 1];
  if (typeof width !== 'number' || width <= 0) {
    const dimName = port === 'tokenEmbeddings' ? 'the hidden size' : 'the number of labels';
    report(`engine: output '${name}' has shape ${shapeText(shape)}; its last dim (${dimName}) must be a fixed number`);
    return undefined;
  }
  return width;
}

export function resolveEngine(
  node: EngineNode,
  ports: ReadonlySet<EnginePort>,
  pipelineFile: string,
  location: SourceLocation | undefined,
  diagnostics: DiagnosticList,
): ResolvedEngine | undefined {
  const options = node.options;
  const report = (message: string): void => diagnostics.add(location, message);
  const source = modelSource(options, report);
  if (source === undefined) return undefined;
  const modelPath = resolveAssetPath(pipelineFile, source.option, `engine: ${source.what}`, location, diagnostics);
  if (modelPath === undefined) return undefined;
  const read = readSignature(source, modelPath);
  if ('problem' in read) {
    report(`engine: cannot read the inputs and outputs of '${source.option}': ${read.problem}`);
    return undefined;
  }
  const signature = read.signature;
  const before = diagnostics.items.length;

  const inputIds = options.inputs?.inputIds ?? defaultNames.inputIds;
  const attentionMask = options.inputs?.attentionMask ?? defaultNames.attentionMask;
  const modelHasDefaultTokenTypes = signature.inputs.some((input) => input.name === defaultNames.tokenTypeIds);
  const tokenTypeIds =
    options.inputs?.tokenTypeIds === undefined
      ? modelHasDefaultTokenTypes
        ? defaultNames.tokenTypeIds
        : null
      : options.inputs.tokenTypeIds;
  checkTokenInput(signature, inputIds, 'inputIds', report);
  checkTokenInput(signature, attentionMask, 'attentionMask', report);
  if (tokenTypeIds !== null) checkTokenInput(signature, tokenTypeIds, 'tokenTypeIds', report);
  const fed = new Set([inputIds, attentionMask, tokenTypeIds]);
  // A token-packed AOTInductor package (tools/torch_export --pack-tokens)
  // takes the real tokens' positions too; the GPU runtime fills them from the mask.
  const packsTokens = source.kind === 'aotInductor' && checkTokenIndex(signature, report);
  if (packsTokens) fed.add(tokenIndexInput);
  for (const input of signature.inputs) {
    if (!fed.has(input.name)) {
      report(
        `engine: the model input '${input.name}' would get no data: the runtime feeds input ids, attention mask and token type ids only; map it with engine(tokens, { inputs: { ... } })`,
      );
    }
  }
  const outputs: Record<EnginePort, string | null> = { tokenEmbeddings: null, logits: null, tokenLogits: null, startLogits: null, endLogits: null };
  const widths: Partial<Record<EnginePort, number>> = {};
  for (const port of ['tokenEmbeddings', 'logits', 'tokenLogits', 'startLogits', 'endLogits'] as const) {
    if (!ports.has(port)) continue;
    const name = options.outputs?.[port] ?? defaultNames[port];
    outputs[port] = name;
    const width = checkOutput(signature, port, name, report);
    if (width !== undefined) widths[port] = width;
  }
  if (diagnostics.items.length > before) return undefined;

  const wiring = {
    model: { path: modelPath, file: source.file },
    inputs: { inputIds, attentionMask, tokenTypeIds },
    outputs,
    hiddenSize: widths.tokenEmbeddings ?? null,
    numLabels: widths.logits ?? null,
    numTokenLabels: widths.tokenLogits ?? null,
    source: location,
  };
  const limits = { maxBatch: signature.max_batch ?? null, maxSequence: signature.max_sequence ?? null };
  const precisionOption = 'precision' in options ? options.precision : undefined;
  const calibrationOption = 'calibration' in options ? options.calibration : undefined;
  if (source.kind !== 'openvino' && (precisionOption !== undefined || calibrationOption !== undefined)) {
    report(`engine: precision and calibration are for ONNX models on the CPU (provider 'cpu', OpenVINO); a ${source.what} on ${source.kind === 'tensorrt' ? 'TensorRT' : 'the GPU'} computes in the precision it was built with`);
    return undefined;
  }
  let engine: EngineIr;
  let modelAssets: readonly RepositoryAsset[] = [{ file: source.file, copyFrom: modelPath }];
  switch (source.kind) {
    case 'openvino': {
      const precision = resolvePrecision(precisionOption, calibrationOption, pipelineFile, location, diagnostics);
      if (precision === undefined) return undefined;
      // Field order as before the other engines joined: golden IR files stay put.
      const { model, ...rest } = wiring;
      engine = {
        kind: 'openvino',
        model: precision.precision === 'int8' ? { ...model, file: int8ModelFiles.xml } : model,
        device: ('device' in options ? options.device : undefined) ?? 'CPU',
        numThreads: ('numThreads' in options ? options.numThreads : undefined) ?? 0,
        precision: precision.precision,
        accuracyGate: precision.accuracyGate,
        ...rest,
      };
      modelAssets = precisionModelAssets(precision.precision, source.file, modelPath);
      break;
    }
    case 'tensorrt':
      engine = { kind: 'tensorrt', ...wiring, format: source.format === 'plan' ? 'plan' : 'onnx', ...limits };
      break;
    case 'aotInductor':
      engine = {
        kind: 'aotInductor',
        ...wiring,
        inputOrder: signature.inputs.map((tensor) => tensor.name),
        outputOrder: signature.outputs.map((tensor) => tensor.name),
        cudaGraphs: ('cudaGraphs' in options ? options.cudaGraphs : undefined) ?? true,
        cudaGraphMaxTokens:
          ('cudaGraphMaxTokens' in options ? options.cudaGraphMaxTokens : undefined) ??
          (packsTokens ? DEFAULT_PACKED_GRAPH_MAX_TOKENS : 0),
        ...limits,
      };
      break;
  }
  return { engine, modelAssets, maxPositionEmbeddings: signature.max_position_embeddings };
}
