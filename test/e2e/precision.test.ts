// INT8 and BF16 engines (examples/embeddings-int8, -bf16), built by `codegen
// build` (NNCF quantization and the accuracy gate run there) and served by the
// real tritonserver, against the FP32 reference: HF tokenizers + ONNX Runtime
// + numpy on the FP32 model; the int8 model's FP32 fallback, served where
// the CPU has no int8 dot-product instructions. Then the gate itself: a build
// whose int8 model misses its threshold fails at the engine() line with the
// measured numbers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { codegenBuild } from './build-example.js';
import { matMulQuantization } from './openvino-ir.js';
import { checkEmbeddings } from './run-check.js';
import { repoRoot, startTriton, type RunningTriton } from './triton-server.js';

// The thresholds: int8 within cosine 0.99 of FP32, bf16 within 0.999.
const MODELS = { minilm_embeddings_int8: 0.99, minilm_embeddings_bf16: 0.999 } as const;
const modelDir = path.join(repoRoot, 'models/all-MiniLM-L6-v2');
// Overrides the backend's detection of int8 dot-product instructions (backend-cpp/engines/openvino/int8_fallback.h).
const INT8_DOT_PRODUCT_ENV = 'FASTERBERT_CPU_INT8_DOT_PRODUCT';
// Read here independently of the backend: the CPU's flags in /proc/cpuinfo.
const cpuFlags = (): string[] => readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m)?.[1]?.split(/\s+/) ?? [];
// The int8 model runs where they list AVX-512 VNNI or AVX-VNNI (AMX CPUs list them too).
const int8RunsOnThisCpu = (): boolean => {
  const flags = cpuFlags();
  return flags.includes('avx512_vnni') || flags.includes('avx_vnni');
};

// Every way the check sends texts: batched over HTTP and gRPC, one at a time, concurrent.
const COSINE_KEYS = ['http_batch_min_cosine', 'grpc_batch_min_cosine', 'http_single_min_cosine', 'concurrent_min_cosine'] as const;

interface CheckReport {
  http_batch_min_cosine: number;
  grpc_batch_min_cosine: number;
  http_single_min_cosine: number;
  concurrent_min_cosine: number;
  concurrent_failed: number;
  bad_request_errors: Record<string, string | null>;
  mixed_good_ok: number;
  mixed_good_sent: number;
  server_live: boolean;
}

describe('int8 and bf16 engines served by tritonserver', () => {
  let server: RunningTriton;
  const reports: Record<string, CheckReport> = {};
  const buildLogs: Record<string, string> = {};
  let repository = '';

  beforeAll(async () => {
    for (const [name, example] of [['minilm_embeddings_int8', 'embeddings-int8'], ['minilm_embeddings_bf16', 'embeddings-bf16']] as const) {
      const build = codegenBuild(`examples/${example}/pipeline.ts`, 'build/e2e/precision');
      buildLogs[name] = build.output;
      if (build.status !== 0) throw new Error(`codegen build ${example} failed:\n${build.output}`);
      repository = build.out;
    }
    // As a user runs it: the int8 model where the CPU has int8 dot products,
    // its FP32 fallback elsewhere (forced below).
    server = await startTriton(repository, ['--log-verbose=1']);
    for (const model of Object.keys(MODELS)) reports[model] = checkEmbeddings<CheckReport>(server, model);
  }, 900_000);

  afterAll(async () => {
    await server?.stop();
  });

  it('int8: every embedding within cosine 0.99 of FP32, alone, batched, concurrent, over HTTP and gRPC', () => {
    const report = reports['minilm_embeddings_int8'];
    for (const key of COSINE_KEYS) {
      expect(report?.[key], key).toBeGreaterThanOrEqual(MODELS.minilm_embeddings_int8);
    }
    // Where the int8 model runs it is what answered, not its FP32 fallback.
    if (int8RunsOnThisCpu()) expect(report?.http_batch_min_cosine).toBeLessThan(0.99999);
    else expect(readFileSync(server.logFile, 'utf8')).toMatch(/no int8 dot-product instructions\b.*loading the FP32 model/);
    expect(buildLogs['minilm_embeddings_int8']).toMatch(/\[codegen\] precision.* int8 \(ran as int8, float parts in (bf16|f32 as this CPU has no BF16)\): last_hidden_state cosine to FP32 min 0\.99\d+ mean 0\.99\d+ on 180 held-out texts/);
  });

  // Quantized, the attention's products of activations ran in OpenVINO's fused int8 attention on AMX CPUs
  // and lost accuracy there (bench/reports/2026-12-05-cpu-int8-amx-attention.md): the IR keeps them float.
  it('int8: the model quantizes its weight MatMuls and neither of the attention products', () => {
    const ir = matMulQuantization(readFileSync(path.join(repository, 'minilm_embeddings_int8/1/model.int8.xml'), 'utf8'));
    expect(ir.activationProducts).toHaveLength(12); // Q.K^T and softmax.V in each of 6 layers
    expect(ir.quantizedActivationProducts).toEqual([]);
    expect(ir.quantized).toHaveLength(24); // Q, K, V and the FFN input in each layer
  });

  it('bf16: every embedding within cosine 0.999 of FP32; where the CPU has no BF16 the build says so', () => {
    const report = reports['minilm_embeddings_bf16'];
    for (const key of COSINE_KEYS) {
      expect(report?.[key], key).toBeGreaterThanOrEqual(MODELS.minilm_embeddings_bf16);
    }
    const log = buildLogs['minilm_embeddings_bf16'] ?? '';
    if (log.includes('ran as bf16')) expect(log).toMatch(/bf16 \(ran as bf16\): last_hidden_state cosine to FP32 min 0\.999\d+/);
    else expect(log).toMatch(/warning: this CPU has no BF16/);
  });

  // Forced on this machine, whatever its CPU has.
  it('int8 on a CPU without int8 dot products: the backend loads the FP32 model it carries, and says so', async () => {
    const reason = /this CPU has no int8 dot-product instructions .*/;
    const fallback = await startTriton(repository, [], { [INT8_DOT_PRODUCT_ENV]: '0' });
    try {
      const report = checkEmbeddings<CheckReport>(fallback, 'minilm_embeddings_int8');
      // The FP32 model, computed as the pipeline's float parts are: bf16 where the CPU has BF16.
      const fp32 = cpuFlags().includes('avx512_bf16') ? 0.999 : 0.99999;
      for (const key of COSINE_KEYS) {
        expect(report[key], key).toBeGreaterThanOrEqual(fp32);
      }
      expect(readFileSync(fallback.logFile, 'utf8')).toMatch(
        new RegExp(`${reason.source}; loading the FP32 model \\S+/model\\.onnx instead of \\S+/model\\.int8\\.xml`),
      );
    } finally {
      await fallback.stop();
    }
  }, 300_000);

  it('keeps per-request errors and the server up with quantized engines', () => {
    for (const report of Object.values(reports)) {
      expect(report.concurrent_failed).toBe(0);
      expect(report.bad_request_errors['empty']).toMatch(/empty text/);
      expect(report.mixed_good_ok).toBe(report.mixed_good_sent);
      expect(report.server_live).toBe(true);
    }
  });
});

describe('the accuracy gate', () => {
  const dir = path.join(repoRoot, 'build/e2e/precision-gate');
  const writeGatePipeline = (calibration: string): string => {
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `pipeline-${calibration === '' ? 'default' : 'strict'}.ts`);
    writeFileSync(
      file,
      `import { pipeline, textInput, tokenize, engine, meanPool, normalize, output } from 'faster-bert';

export default pipeline({
  name: 'gate_check',
  maxBatchSize: 8,
  graph: () => {
    const tokens = tokenize(textInput('text'), { tokenizerJson: '${modelDir}/tokenizer.json', maxLength: 128 });
    const hidden = engine(tokens, { onnx: '${modelDir}/model.onnx', precision: 'int8'${calibration} });
    return [output('embedding', normalize(meanPool(hidden.tokenEmbeddings, tokens.attentionMask)))];
  },
});
`,
    );
    return file;
  };
  const engineLine = 8;

  it('fails a build whose threshold int8 cannot reach, at the engine() line, with the measured cosine', () => {
    const file = writeGatePipeline(', calibration: { minCosine: 0.99999 }');
    const run = codegenBuild(file, path.join(dir, 'repo'), { buildDir: path.join(dir, 'strict') });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`pipeline-strict\\.ts:${engineLine}:\\d+ error: engine: precision 'int8' fails its accuracy gate: output 'last_hidden_state': sentence-embedding cosine to FP32 is 0\\.9\\d+ at worst \\(mean 0\\.9\\d+\\) over 180 held-out texts, below minCosine 0\\.99999`),
    );
  }, 300_000);

  it('fails a build whose int8 model is broken on purpose, at the default threshold', () => {
    const file = writeGatePipeline('');
    const run = codegenBuild(file, path.join(dir, 'repo'), { buildDir: path.join(dir, 'corrupt'), env: { FASTERBERT_TEST_CORRUPT_INT8_SCALES: '1' } });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/pipeline-default\.ts:8:\d+ error: engine: precision 'int8' fails its accuracy gate: .*below minCosine 0\.99/);
  }, 300_000);
});
