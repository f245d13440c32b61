// The CMake options that find the SDK of a pipeline's engine: OpenVINO from
// the project's venv, LibTorch from the python3 that has PyTorch, TensorRT from
// TENSORRT_ROOT. GPU engines leave OpenVINO out, so the GPU machine needs none.
import { spawnSync } from 'node:child_process';
import type { PipelineIr } from '../ir/schema.js';
import { findOpenVinoCmakeDir } from './openvino-dir.js';

/** LibTorch's CMake prefix: $CMAKE_PREFIX_PATH when set, else asked of python3's torch. */
export function findTorchCmakePrefix(): string {
  const fromEnvironment = process.env['CMAKE_PREFIX_PATH'];
  if (fromEnvironment !== undefined && fromEnvironment !== '') return fromEnvironment;
  const python = process.env['FASTERBERT_TORCH_PYTHON'] ?? 'python3';
  const run = spawnSync(python, ['-c', 'import torch; print(torch.utils.cmake_prefix_path)'], { encoding: 'utf8', timeout: 120_000 });
  const prefix = run.status === 0 ? run.stdout.trim() : '';
  if (prefix === '') {
    const why = (run.stderr || run.error?.message || 'no output').trim().split('\n').pop() ?? '';
    throw new Error(
      `the aotInductor engine links LibTorch, but ${python} has no torch (${why}); install PyTorch with CUDA, or set CMAKE_PREFIX_PATH to torch.utils.cmake_prefix_path (FASTERBERT_TORCH_PYTHON picks another python)`,
    );
  }
  return prefix;
}

export function engineCmakeOptions(engine: PipelineIr['engine']): Record<string, string> {
  switch (engine.kind) {
    case 'openvino':
      return { OpenVINO_DIR: findOpenVinoCmakeDir() };
    case 'aotInductor':
      return { FASTERBERT_WITH_OPENVINO: 'OFF', FASTERBERT_WITH_TORCH: 'ON', CMAKE_PREFIX_PATH: findTorchCmakePrefix() };
    case 'tensorrt':
      return {
        FASTERBERT_WITH_OPENVINO: 'OFF',
        FASTERBERT_WITH_TORCH: 'OFF',
        FASTERBERT_WITH_TENSORRT: 'ON',
        TENSORRT_ROOT: process.env['TENSORRT_ROOT'] ?? '/usr',
      };
  }
}
