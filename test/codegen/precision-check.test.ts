// engine({ precision, calibration }): what lowers into the IR (defaults, the
// int8 model's file, the gate's texts) and the C++ spec, and the mistakes a
// user can make, each at the engine() call with what to do. The quantization
// and the gate themselves run in test/e2e/precision.test.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPipeline } from '../../codegen/check-pipeline.js';
import { describeGate, type GateReport } from '../../codegen/compile/precision-step.js';
import { renderPipelineFiles } from '../../codegen/emit/render-pipeline-files.js';
import { basePipelineSource, checkErrors, locationPrefix, repoRoot, writePipeline } from './pipeline-fixture.js';

const withEngine = (options: string): string =>
  basePipelineSource.replace("engine(tokens, { onnx: './assets/model.onnx' })", `engine(tokens, { onnx: './assets/model.onnx'${options} })`);

describe('engine precision', () => {
  it('f32 by default: no gate, the ONNX model copied, f32 in the C++ spec', () => {
    const { ir, assets } = checkPipeline(writePipeline(basePipelineSource).pipelineFile);
    expect(ir.engine).toMatchObject({ kind: 'openvino', precision: 'f32', accuracyGate: null, model: { file: 'model.onnx' } });
    expect(assets.map((asset) => asset.file)).toEqual(['vocab.txt', 'model.onnx']);
    const spec = renderPipelineFiles(ir, join(repoRoot, 'backend-cpp'))['pipeline_spec.cc'];
    expect(spec).toContain('spec.engine.inference_precision = "f32";');
    expect(spec).toContain('spec.engine.int8_fallback_model_file = "";');
  });

  it('int8: the quantized model is what the engine loads, its FP32 original the fallback, with the default texts and thresholds', () => {
    const { ir, assets } = checkPipeline(writePipeline(withEngine(", precision: 'int8'")).pipelineFile);
    expect(ir.engine).toMatchObject({
      precision: 'int8',
      model: { file: 'model.int8.xml' },
      accuracyGate: {
        calibrationTexts: join(repoRoot, 'tools/quantize/texts/calibration.txt'),
        heldOutTexts: join(repoRoot, 'tools/quantize/texts/held-out.txt'),
        samples: 300,
        minCosine: 0.99,
        minAgreement: 0.99,
      },
    });
    expect(assets.slice(1)).toEqual([
      { file: 'model.int8.xml', builtBy: 'precision' },
      { file: 'model.int8.bin', builtBy: 'precision' },
      { file: 'model.onnx', copyFrom: expect.stringMatching(/assets\/model\.onnx$/) },
    ]);
    const spec = renderPipelineFiles(ir, join(repoRoot, 'backend-cpp'))['pipeline_spec.cc'];
    // The int8 model's float parts run in bf16 where the CPU has it; the FP32
    // model where the CPU has no int8 dot products.
    expect(spec).toContain('spec.engine.inference_precision = "bf16";');
    expect(spec).toContain('spec.engine.model_file = "model.int8.xml";');
    expect(spec).toContain('spec.engine.int8_fallback_model_file = "model.onnx";');
  });

  it("bf16: the ONNX model, bf16 in the C++ spec, the user's held-out texts and threshold", () => {
    const folder = writePipeline(withEngine(", precision: 'bf16', calibration: { heldOut: './mine.txt', minCosine: 0.9995 }"), {
      'mine.txt': 'one text\nanother\n',
    });
    const { ir } = checkPipeline(folder.pipelineFile);
    expect(ir.engine).toMatchObject({
      precision: 'bf16',
      model: { file: 'model.onnx' },
      accuracyGate: { calibrationTexts: null, heldOutTexts: join(folder.dir, 'mine.txt'), minCosine: 0.9995, minAgreement: 0.99 },
    });
    expect(renderPipelineFiles(ir, join(repoRoot, 'backend-cpp'))['pipeline_spec.cc']).toContain('spec.engine.inference_precision = "bf16";');
  });

  it('reports each mistake at the engine() call', () => {
    const cases: [string, RegExp][] = [
      [", calibration: { minCosine: 0.9 }", /calibration is for precision 'bf16' or 'int8'/],
      [", precision: 'bf16', calibration: { texts: './x.txt' }", /calibration\.texts and calibration\.samples are for precision 'int8'/],
      [", precision: 'int8', calibration: { minCosine: 1.5 }", /calibration\.minCosine is 1\.5; it is a fraction in \(0, 1\]/],
      [", precision: 'int8', calibration: { samples: 0 }", /calibration\.samples is 0; it is a whole number above 0/],
      [", precision: 'int8', calibration: { texts: './missing.txt' }", /calibration\.texts '\.\/missing\.txt' not found/],
      [", provider: 'tensorrt', precision: 'int8'", /precision and calibration are for ONNX models on the CPU/],
    ];
    for (const [options, message] of cases) {
      const folder = writePipeline(withEngine(options));
      const errors = checkErrors(folder.pipelineFile);
      expect(errors[0], options).toContain(`${locationPrefix(folder, 'engine(tokens')} error: engine: `);
      expect(errors.join('\n'), options).toMatch(message);
    }
  });

  it("makes an unknown precision a type error in the pipeline file", () => {
    const folder = writePipeline(withEngine(", precision: 'fp8'"));
    expect(checkErrors(folder.pipelineFile).join('\n')).toMatch(/'"fp8"' is not assignable|Type '"fp8"'/);
  });

  it('says in the build log where the backend will serve the FP32 model instead of the gated int8 one', () => {
    const report = (cpu: Pick<GateReport, 'cpu_int8_dot_product'>): GateReport => ({
      precision: 'int8', ran_as: 'int8, float parts in bf16', held_out_texts: 180, passed: true, failures: [], seconds: 1,
      outputs: { last_hidden_state: { kind: 'tokenEmbeddings', measure: 'cosine', min: 0.995, mean: 0.999 } }, ...cpu,
    });
    const plain = 'int8 (ran as int8, float parts in bf16): last_hidden_state cosine to FP32 min 0.99500 mean 0.99900 on 180 held-out texts';
    expect(describeGate(report({ cpu_int8_dot_product: true }))).toBe(plain);
    expect(describeGate(report({ cpu_int8_dot_product: false }))).toMatch(/warning: this CPU has no int8 dot-product instructions/);
  });
});
