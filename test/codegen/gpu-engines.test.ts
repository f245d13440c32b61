// The GPU engine choices of engine(): an AOTInductor package and a TensorRT
// plan (signatures from the files beside them), and an ONNX model for
// TensorRT to build. Each lowers to its IR kind on KIND_GPU instances and
// renders the C++ spec the engine factory reads; the mistakes a user can make
// (ONNX Runtime's CUDA provider, a CPU instance for a GPU engine, a missing
// signature file) fail at the user's file:line with what to do. Compiling
// these backends needs LibTorch or TensorRT: that happens on the GPU machine
// (tools/device/gpu_e2e/run.sh), not here.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { renderPipelineFiles } from '../../codegen/emit/render-pipeline-files.js';
import { checkErrors, expectSpecCompiles, hasCompiler, locationPrefix, writePipeline, type PipelineFolder } from './pipeline-fixture.js';

const tensor = (name: string, shape: readonly (string | number)[], dtype = 'INT64') => ({ name, dtype, shape });

// A package whose positional order differs from the names' usual order.
function writeSignature(
  folder: PipelineFolder,
  file: string,
  limits: Record<string, number> = {},
  extraInputs: readonly ReturnType<typeof tensor>[] = [],
): void {
  writeFileSync(join(folder.dir, file), 'not read here: the signature file describes it');
  writeFileSync(
    join(folder.dir, `${file}.json`),
    JSON.stringify({
      inputs: [
        tensor('attention_mask', ['batch', 'sequence']),
        tensor('input_ids', ['batch', 'sequence']),
        tensor('token_type_ids', ['batch', 'sequence']),
        ...extraInputs,
      ],
      outputs: [tensor('pooler_output', ['batch', 8], 'FP32'), tensor('last_hidden_state', ['batch', 'sequence', 8], 'FP32')],
      max_position_embeddings: 64,
      ...limits,
    }),
  );
}

function source(engineOptions: string, instances = ''): string {
  return `import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'gpu_embeddings',
  maxBatchSize: 8,${instances}
  graph: () => {
    const text = textInput('text');
    const tokens = tokenize(text, { vocab: './assets/vocab.txt', maxLength: 16 });
    const hidden = engine(tokens, ${engineOptions});
    return [output('embedding', normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask)))];
  },
});
`;
}

describe('GPU engines in engine()', () => {
  it('an AOTInductor package: positional order from its signature, GPU instances, the C++ spec', () => {
    const folder = writePipeline(source("{ aotInductor: './model.pt2' }"));
    writeSignature(folder, 'model.pt2');
    const { ir, assets } = checkPipeline(folder.pipelineFile);
    expect(ir.engine.kind).toBe('aotInductor');
    expect(ir.instances).toEqual({ count: 1, kind: 'gpu', tokenizeThreads: 4 });
    expect(ir.engine.model.file).toBe('model.pt2');
    expect(assets.map((asset) => asset.file)).toContain('model.pt2');
    if (ir.engine.kind !== 'aotInductor') throw new Error('unreachable');
    expect(ir.engine.inputOrder).toEqual(['attention_mask', 'input_ids', 'token_type_ids']);
    expect(ir.engine.outputOrder).toEqual(['pooler_output', 'last_hidden_state']);
    const files = renderPipelineFiles(ir, '/backend-cpp');
    expect(files['config.pbtxt']).toContain('kind: KIND_GPU');
    const spec = files['pipeline_spec.cc'];
    expect(spec).toContain('spec.engine.kind = EngineKind::kAotInductor;');
    expect(spec).toContain('spec.engine.model_file = "model.pt2";');
    expect(spec.indexOf('input_order.push_back("attention_mask")')).toBeLessThan(spec.indexOf('input_order.push_back("input_ids")'));
    expect(spec).toContain('output_order.push_back("last_hidden_state");');
    expect(spec).toContain('spec.engine.hidden_size = 8;');
    expect(spec).toContain('spec.tokenize_threads = 4;');
    // CUDA graphs by default; the option turns them off.
    expect(ir.engine.cudaGraphs).toBe(true);
    expect(spec).toContain('spec.engine.cuda_graphs = true;');
    const eager = writePipeline(source("{ aotInductor: './model.pt2', cudaGraphs: false }"));
    writeSignature(eager, 'model.pt2');
    const eagerIr = checkPipeline(eager.pipelineFile).ir;
    expect(eagerIr.engine).toMatchObject({ kind: 'aotInductor', cudaGraphs: false });
    expect(renderPipelineFiles(eagerIr, '/b')['pipeline_spec.cc']).toContain('spec.engine.cuda_graphs = false;');
    // A padded package replays every call by default; the option sets a limit.
    expect(ir.engine.cudaGraphMaxTokens).toBe(0);
    expect(spec).toContain('spec.engine.cuda_graph_max_tokens = 0;');
    const limited = writePipeline(source("{ aotInductor: './model.pt2', cudaGraphMaxTokens: 4096 }"));
    writeSignature(limited, 'model.pt2');
    const limitedIr = checkPipeline(limited.pipelineFile).ir;
    expect(limitedIr.engine).toMatchObject({ kind: 'aotInductor', cudaGraphMaxTokens: 4096 });
    expect(renderPipelineFiles(limitedIr, '/b')['pipeline_spec.cc']).toContain('spec.engine.cuda_graph_max_tokens = 4096;');
    const negative = writePipeline(source("{ aotInductor: './model.pt2', cudaGraphMaxTokens: -1 }"));
    writeSignature(negative, 'model.pt2');
    expect(checkErrors(negative.pipelineFile).join('\n')).toMatch(/cudaGraphMaxTokens/);
    expect(spec).toContain('spec.engine_call_cost_tokens = 0;');
    const costed = writePipeline(source("{ aotInductor: './model.pt2' }", '\n  engineCallCostTokens: 1024,'));
    writeSignature(costed, 'model.pt2');
    const costedIr = checkPipeline(costed.pipelineFile).ir;
    expect(costedIr.engineCallCostTokens).toBe(1024);
    expect(renderPipelineFiles(costedIr, '/b')['pipeline_spec.cc']).toContain('spec.engine_call_cost_tokens = 1024;');
    const zeroCost = writePipeline(source("{ aotInductor: './model.pt2' }", '\n  engineCallCostTokens: 0,'));
    writeSignature(zeroCost, 'model.pt2');
    expect(checkErrors(zeroCost.pipelineFile).join('\n')).toMatch(/engineCallCostTokens/);
    // No max_batch/max_sequence in the signature file: not stated.
    expect(ir.engine).toMatchObject({ maxBatch: null, maxSequence: null });
    expect(spec).toContain('spec.engine.max_batch = 0;');
  });

  it("the engine's shape limits from its signature file reach the C++ spec; a maxLength over them fails at tokenize()", () => {
    const folder = writePipeline(source("{ aotInductor: './model.pt2' }", "\n  instances: { count: 2, tokenizeThreads: 3 },"));
    writeSignature(folder, 'model.pt2', { max_batch: 4, max_sequence: 32 });
    const { ir } = checkPipeline(folder.pipelineFile);
    expect(ir.engine).toMatchObject({ maxBatch: 4, maxSequence: 32 });
    expect(ir.instances).toEqual({ count: 2, kind: 'gpu', tokenizeThreads: 3 });
    const spec = renderPipelineFiles(ir, '/b')['pipeline_spec.cc'];
    expect(spec).toContain('spec.engine.max_batch = 4;');
    expect(spec).toContain('spec.engine.max_sequence = 32;');
    expect(spec).toContain('spec.tokenize_threads = 3;');

    const tooShort = writePipeline(source("{ aotInductor: './model.pt2' }"));
    writeSignature(tooShort, 'model.pt2', { max_batch: 64, max_sequence: 8 });
    const errors = checkErrors(tooShort.pipelineFile);
    expect(errors[0]).toContain(`${locationPrefix(tooShort, 'tokenize(text')} error: tokenize: maxLength 16 is more than the 8 tokens a row the compiled engine takes`);

    const badThreads = writePipeline(source("{ aotInductor: './model.pt2' }", "\n  instances: { tokenizeThreads: 0 },"));
    writeSignature(badThreads, 'model.pt2');
    expect(checkErrors(badThreads.pipelineFile).join('\n')).toMatch(/instances\.tokenizeThreads/);
  });

  it("a token-packed AOTInductor package's token_index is the runtime's to feed; in another shape, or on TensorRT, it fails", () => {
    const packed = writePipeline(source("{ aotInductor: './model.pt2' }"));
    writeSignature(packed, 'model.pt2', {}, [tensor('token_index', ['tokens'])]);
    const { ir } = checkPipeline(packed.pipelineFile);
    if (ir.engine.kind !== 'aotInductor') throw new Error('unreachable');
    expect(ir.engine.inputOrder).toEqual(['attention_mask', 'input_ids', 'token_type_ids', 'token_index']);
    const packedSpec = renderPipelineFiles(ir, '/b')['pipeline_spec.cc'];
    expect(packedSpec).toContain('input_order.push_back("token_index");');
    // Graphs only for its calls of at most 2048 real tokens, by default.
    expect(ir.engine.cudaGraphMaxTokens).toBe(2048);
    expect(packedSpec).toContain('spec.engine.cuda_graph_max_tokens = 2048;');
    if (hasCompiler) expectSpecCompiles(packedSpec);

    const wrongShape = writePipeline(source("{ aotInductor: './model.pt2' }"));
    writeSignature(wrongShape, 'model.pt2', {}, [tensor('token_index', ['batch', 'sequence'])]);
    expect(checkErrors(wrongShape.pipelineFile).join('\n')).toMatch(/input 'token_index' is INT64 \[batch, sequence\].*--pack-tokens/);

    const onTensorRt = writePipeline(source("{ tensorrt: './model.plan' }"));
    writeSignature(onTensorRt, 'model.plan', {}, [tensor('token_index', ['tokens'])]);
    expect(checkErrors(onTensorRt.pipelineFile).join('\n')).toMatch(/the model input 'token_index' would get no data/);
  });

  it('a TensorRT plan and an ONNX model for TensorRT', () => {
    const plan = writePipeline(source("{ tensorrt: './model.plan' }"));
    writeSignature(plan, 'model.plan');
    const fromPlan = checkPipeline(plan.pipelineFile).ir;
    expect(fromPlan.engine).toMatchObject({ kind: 'tensorrt', format: 'plan', model: { file: 'model.plan' } });
    expect(fromPlan.instances.kind).toBe('gpu');
    expect(renderPipelineFiles(fromPlan, '/b')['pipeline_spec.cc']).toContain('EngineKind::kTensorRt');

    const onnx = writePipeline(source("{ onnx: './assets/model.onnx', provider: 'tensorrt' }"));
    const fromOnnx = checkPipeline(onnx.pipelineFile).ir;
    expect(fromOnnx.engine).toMatchObject({ kind: 'tensorrt', format: 'onnx', model: { file: 'model.onnx' } });
    // provider 'cpu' stays OpenVINO on CPU instances.
    const cpu = writePipeline(source("{ onnx: './assets/model.onnx', provider: 'cpu' }"));
    expect(checkPipeline(cpu.pipelineFile).ir).toMatchObject({ engine: { kind: 'openvino' }, instances: { kind: 'cpu' } });
  });

  it("rejects ONNX Runtime's CUDA provider at the engine() call", () => {
    const folder = writePipeline(source("{ onnx: './assets/model.onnx', provider: 'cuda' }"));
    const errors = checkErrors(folder.pipelineFile);
    expect(errors[0]).toContain(`${locationPrefix(folder, 'engine(tokens')} error: engine: provider 'cuda'`);
    expect(errors[0]).toMatch(/use provider: 'tensorrt'/);
  });

  it('rejects CPU instances for a GPU engine, and a GPU engine without its signature file', () => {
    const cpuInstances = writePipeline(source("{ aotInductor: './model.pt2' }", "\n  instances: { count: 2, kind: 'cpu' },"));
    writeSignature(cpuInstances, 'model.pt2');
    expect(checkErrors(cpuInstances.pipelineFile).join('\n')).toMatch(/instances\.kind must be 'gpu'/);

    const unsigned = writePipeline(source("{ tensorrt: './model.plan' }"));
    writeFileSync(join(unsigned.dir, 'model.plan'), 'no signature beside it');
    const errors = checkErrors(unsigned.pipelineFile);
    expect(errors[0]).toContain(`${locationPrefix(unsigned, 'engine(tokens')} error: engine: cannot read the inputs and outputs of './model.plan'`);
    expect(errors[0]).toMatch(/docker\/build-trt-plan\.sh writes it/);
  });
});
