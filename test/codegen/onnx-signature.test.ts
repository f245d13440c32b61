// The engine's tensors come from the sidecar JSON when there is one, else from
// tools/bert_onnx/onnx_signature.py run on the model itself.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOnnxSignature } from '../../codegen/model-files/onnx-signature.js';
import { assetsDir, repoRoot, temporaryFolder } from './pipeline-fixture.js';

const python = join(repoRoot, '.venv', 'bin', 'python');
const script = join(repoRoot, 'tools', 'bert_onnx', 'onnx_signature.py');
const canRunScript = existsSync(python) && existsSync(script) && spawnSync(python, ['-c', 'import onnx']).status === 0;

// A graph with BERT's tensor names whose output is a constant: only its declared signature matters here.
const makeModel = `
import sys, numpy as np, onnx
from onnx import helper, numpy_helper, TensorProto as T
ins = [helper.make_tensor_value_info(n, T.INT64, ['batch', 'sequence']) for n in ('input_ids', 'attention_mask')]
out = helper.make_tensor_value_info('last_hidden_state', T.FLOAT, ['batch', 'sequence', 4])
const = numpy_helper.from_array(np.zeros((1, 1, 4), np.float32), 'c')
graph = helper.make_graph([helper.make_node('Identity', ['c'], ['last_hidden_state'])], 'g', ins, [out], [const])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid('', 17)]), sys.argv[1])
`;

describe('ONNX signature', () => {
  it('prefers the sidecar model.onnx.json', () => {
    const result = readOnnxSignature(join(assetsDir, 'model.onnx'));
    expect(result).toMatchObject({
      from: join(assetsDir, 'model.onnx.json'),
      signature: { outputs: [{ name: 'last_hidden_state', dtype: 'FP32', shape: ['batch', 'sequence', 8] }] },
    });
  });

  it.skipIf(!canRunScript)('falls back to onnx_signature.py (needs .venv with onnx and the script)', () => {
    const dir = temporaryFolder('faster-bert-onnx-');
    const model = join(dir, 'model.onnx');
    const made = spawnSync(python, ['-c', makeModel, model], { encoding: 'utf8' });
    expect(made.stderr).toBe('');
    const result = readOnnxSignature(model);
    expect(result).toMatchObject({
      signature: {
        inputs: [
          { name: 'input_ids', dtype: 'INT64', shape: ['batch', 'sequence'] },
          { name: 'attention_mask', dtype: 'INT64', shape: ['batch', 'sequence'] },
        ],
        outputs: [{ name: 'last_hidden_state', dtype: 'FP32', shape: ['batch', 'sequence', 4] }],
      },
    });
  });

  it.skipIf(!canRunScript)('reports a file the script cannot read', () => {
    const result = readOnnxSignature(join(assetsDir, 'vocab.txt'));
    expect('problem' in result && result.problem).toMatch(/onnx_signature\.py failed: onnx_signature: cannot read/);
  });
});
