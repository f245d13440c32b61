// A full `codegen build` of examples/embeddings: check, render, compile with
// the real backend-cpp, model repository; then a second build that must not
// recompile. Needs the C++ runtime and the example model; skipped without them.
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../codegen/cli/main.js';
import { captureConsole } from './console-capture.js';
import { repoRoot } from './pipeline-fixture.js';

const backendLists = join(repoRoot, 'backend-cpp', 'CMakeLists.txt');
const backendReady = existsSync(backendLists) && readFileSync(backendLists, 'utf8').includes('fasterbert_add_backend');
const modelReady = existsSync(join(repoRoot, 'models', 'all-MiniLM-L6-v2', 'model.onnx'));
const skipReason = !backendReady
  ? 'backend-cpp/CMakeLists.txt does not define fasterbert_add_backend yet'
  : !modelReady
    ? 'models/all-MiniLM-L6-v2/model.onnx is missing (scripts/prepare-models.sh)'
    : '';

const example = join(repoRoot, 'examples', 'embeddings', 'pipeline.ts');
const workDir = join(repoRoot, 'build', 'test-codegen');
const repositoryDir = join(workDir, 'model_repository');
const buildRoot = join(workDir, 'pipelines');
/** The built library: in the binary folder of the build folder's shared runtime tree (codegen/compile/runtime-tree.ts), or in cmake-js's <binary>/Release. */
function builtLibrary(): string {
  const trees = existsSync(buildRoot) ? readdirSync(buildRoot).filter((entry) => entry.startsWith('runtime-')) : [];
  const candidates = trees.flatMap((tree) => [
    join(buildRoot, tree, 'cmake', 'libtriton_minilm_embeddings.so'),
    join(buildRoot, tree, 'cmake', 'Release', 'libtriton_minilm_embeddings.so'),
  ]);
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) throw new Error(`no library in ${buildRoot}/runtime-*/cmake`);
  return found;
}

const captured = captureConsole();

async function build(): Promise<number> {
  return main(['build', example, '--out', repositoryDir, '--build-dir', buildRoot]);
}

describe.skipIf(skipReason !== '')(`codegen build examples/embeddings${skipReason === '' ? '' : ` (skipped: ${skipReason})`}`, () => {
  it('compiles the backend and writes the model repository', { timeout: 900_000 }, async () => {
    // Without its stamp the build must go through cmake-js again (ninja keeps what is still valid).
    rmSync(join(buildRoot, 'minilm_embeddings', 'compile.stamp'), { force: true });
    const status = await build();
    expect(captured.all).toMatch(/^\[codegen\] check \d+\.\d+s$/m);
    expect(captured.all).toMatch(/^\[codegen\] render \d+\.\d+s /m);
    expect(captured.all).toMatch(/^\[codegen\] compile \d+\.\d+s$/m);
    expect(captured.all).toMatch(/^\[codegen\] repository \d+\.\d+s /m);
    expect(status, captured.all).toBe(0);

    const modelDir = join(repositoryDir, 'minilm_embeddings');
    expect(readdirSync(join(modelDir, '1')).sort()).toEqual(
      ['libtriton_minilm_embeddings.so', 'model.onnx', 'pipeline.json', 'tokenizer.json'].sort(),
    );
    const config = readFileSync(join(modelDir, 'config.pbtxt'), 'utf8');
    expect(config).toContain('backend: "minilm_embeddings"');
    expect(config).toMatch(/dims: \[ 384 \]/);
    expect(statSync(builtLibrary()).size).toBeGreaterThan(0);
  });

  it('does not recompile an unchanged pipeline', { timeout: 300_000 }, async () => {
    const library = builtLibrary();
    const before = statSync(library).mtimeMs;
    expect(await build(), captured.all).toBe(0);
    expect(captured.all).toMatch(/^\[codegen\] compile: up to date \d+\.\d+s$/m);
    expect(statSync(library).mtimeMs).toBe(before);
  });
});
