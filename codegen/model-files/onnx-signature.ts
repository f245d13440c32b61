// An ONNX model's inputs and outputs, from the JSON sidecar the exporter
// writes beside it (model.onnx.json) or else from tools/bert_onnx/onnx_signature.py.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { projectPython, projectRoot } from '../project-root.js';

const tensorSignatureSchema = z.looseObject({
  name: z.string(),
  dtype: z.string(),
  shape: z.array(z.union([z.int(), z.string()])).nullable(),
});

const onnxSignatureSchema = z.looseObject({
  inputs: z.array(tensorSignatureSchema),
  outputs: z.array(tensorSignatureSchema),
  // Written by our exporters; absent from the script's output.
  max_position_embeddings: z.int().optional(),
  // The largest batch and sequence the compiled model takes (an AOTInductor
  // export's dynamic dims, a TensorRT plan's profile).
  max_batch: z.int().positive().optional(),
  max_sequence: z.int().positive().optional(),
});

export type TensorSignature = z.infer<typeof tensorSignatureSchema>;
export type OnnxSignature = z.infer<typeof onnxSignatureSchema>;

export type OnnxSignatureResult =
  | { readonly signature: OnnxSignature; readonly from: string }
  | { readonly problem: string };

function parseSignature(text: string, from: string): OnnxSignatureResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { problem: `${from} is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  const parsed = onnxSignatureSchema.safeParse(raw);
  if (!parsed.success) return { problem: `${from} does not hold {inputs, outputs}: ${z.prettifyError(parsed.error)}` };
  return { signature: parsed.data, from };
}

/**
 * The signature file `<model>.json` that must sit beside a model whose format
 * we cannot read here (TensorRT plans, AOTInductor packages): same fields as
 * the ONNX sidecar, tensors in the model's positional order.
 */
export function readSignatureSidecar(modelPath: string, writer: string): OnnxSignatureResult {
  const sidecar = modelPath + '.json';
  if (!existsSync(sidecar)) return { problem: `there is no signature file ${sidecar}; ${writer} writes it beside the model` };
  return parseSignature(readFileSync(sidecar, 'utf8'), sidecar);
}

export function readOnnxSignature(modelPath: string): OnnxSignatureResult {
  const sidecar = modelPath + '.json';
  if (existsSync(sidecar)) return parseSignature(readFileSync(sidecar, 'utf8'), sidecar);

  const script = join(projectRoot(), 'tools', 'bert_onnx', 'onnx_signature.py');
  const python = projectPython();
  if (!existsSync(python) || !existsSync(script)) {
    return {
      problem: `there is no sidecar ${sidecar}, and reading the model needs ${python} and ${script}; write the sidecar or set up the project's .venv`,
    };
  }
  const run = spawnSync(python, [script, modelPath], { encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 });
  if (run.status !== 0) {
    const why = (run.stderr || run.error?.message || `exit status ${String(run.status)}`).trim();
    return { problem: `${script} failed: ${why}` };
  }
  return parseSignature(run.stdout, `the output of ${script}`);
}
