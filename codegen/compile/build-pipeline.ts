// `codegen build`: check → render → compile → model repository, reporting
// each step with its duration. The compile is skipped when nothing that goes
// into the library changed since the last successful one.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkPipeline, type CheckedPipeline } from '../check-pipeline.js';
import { renderPipelineFiles, type RenderedPipelineFiles } from '../emit/render-pipeline-files.js';
import { projectRoot } from '../project-root.js';
import { buildType, cmakeGenerator, compileWithCmakeJs, CompileError } from './cmake-js-driver.js';
import { hashDirectory } from './content-hash.js';
import { compileStamp, readStamp, writeStamp } from './compile-stamp.js';
import { writeModelRepository } from './model-repository.js';
import { engineCmakeOptions } from './engine-sdk.js';
import { describeGate, gatedEngine, runPrecisionStep } from './precision-step.js';
import { registerPipeline, runtimeTreeFor } from './runtime-tree.js';

export interface BuildOptions {
  readonly pipelineFile: string;
  /** Model repository root (default model_repository). */
  readonly repositoryDir: string;
  /** Root of the generated projects; the pipeline's is <buildRoot>/<name> (default build/pipelines). */
  readonly buildRoot: string;
  /** Gets one line per finished step. */
  readonly progress: (step: BuildStep) => void;
  /**
   * Stop after rendering the sources (for a machine without Node, such as a
   * GPU server: copy <buildRoot>/<name>/ there and run CMake on it).
   */
  readonly sourcesOnly?: boolean;
}

export interface BuildStep {
  readonly step: 'check' | 'render' | 'precision' | 'compile' | 'repository';
  readonly seconds: number;
  /** e.g. 'up to date', or the folder written. */
  readonly note?: string;
  /** A line for people, printed as it is (the precision step's figures). */
  readonly detail?: string;
}

export interface BuildResult {
  readonly checked: CheckedPipeline;
  /** The model folder written; with sourcesOnly, the generated sources' folder. */
  readonly modelDir: string;
  readonly compiled: boolean;
}

export function backendDirectory(): string {
  return join(projectRoot(), 'backend-cpp');
}

async function timed<T>(work: () => T | Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const value = await work();
  return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** Writes a file only when its text changed, so the compiler sees unchanged sources as unchanged. */
function writeIfChanged(path: string, text: string): void {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return;
  writeFileSync(path, text);
}

function renderInto(pipelineDir: string, checked: CheckedPipeline, backendDir: string): RenderedPipelineFiles {
  const files = renderPipelineFiles(checked.ir, backendDir);
  mkdirSync(pipelineDir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeIfChanged(join(pipelineDir, name), text);
  writeIfChanged(join(pipelineDir, 'pipeline.json'), JSON.stringify(checked.ir, null, 2) + '\n');
  return files;
}

function requireBackendProject(backendDir: string): void {
  const lists = join(backendDir, 'CMakeLists.txt');
  if (!existsSync(lists) || !readFileSync(lists, 'utf8').includes('fasterbert_add_backend')) {
    throw new CompileError(`${lists} does not define fasterbert_add_backend() yet: the C++ runtime is needed to compile a pipeline`);
  }
}

export async function buildPipeline(options: BuildOptions): Promise<BuildResult> {
  const check = await timed(() => checkPipeline(options.pipelineFile));
  const checked = check.value;
  options.progress({ step: 'check', seconds: check.seconds });

  const name = checked.ir.name;
  const pipelineDir = resolve(options.buildRoot, name);
  const backendDir = backendDirectory();
  const render = await timed(() => renderInto(pipelineDir, checked, backendDir));
  options.progress({ step: 'render', seconds: render.seconds, note: pipelineDir });
  if (options.sourcesOnly === true) return { checked, modelDir: pipelineDir, compiled: false };

  // bf16/int8 on OpenVINO: quantize and gate before compiling, so a failing gate costs no compile.
  let assets = checked.assets;
  const gated = gatedEngine(checked.ir);
  if (gated !== undefined) {
    const precision = await timed(() => runPrecisionStep(checked.ir, gated, checked.assets, pipelineDir));
    assets = precision.value.assets;
    options.progress({
      step: 'precision',
      seconds: precision.seconds,
      ...(precision.value.reused ? { note: 'up to date' } : {}),
      detail: describeGate(precision.value.report),
    });
  }

  const libraryName = `libtriton_${name}.so`;
  const stampFile = join(pipelineDir, 'compile.stamp');
  const compile = await timed(async () => {
    requireBackendProject(backendDir);
    // FASTERBERT_SANITIZE=1: an ASan+UBSan backend (scripts/test-asan.sh); part of the stamp like every option.
    const sanitize = process.env['FASTERBERT_SANITIZE'] === '1' ? { FASTERBERT_SANITIZE: 'ON' } : {};
    const cmakeOptions = { ...engineCmakeOptions(checked.ir.engine), ...sanitize };
    const flags = {
      ...cmakeOptions,
      buildType,
      generator: cmakeGenerator,
      // CMake picks the compilers from these on a first configure. (CXXFLAGS
      // is not listed: cmake-js passes its own -DCMAKE_CXX_FLAGS.)
      CC: process.env['CC'] ?? '',
      CXX: process.env['CXX'] ?? '',
    };
    // Pipelines built with the same settings share one compiled runtime.
    const tree = runtimeTreeFor(resolve(options.buildRoot), flags);
    const stamp = compileStamp({
      ir: checked.ir,
      sources: { 'pipeline_spec.cc': render.value['pipeline_spec.cc'], 'CMakeLists.txt': render.value['CMakeLists.txt'] },
      backendHash: hashDirectory(backendDir),
      flags,
    });
    const builtLibrary = [join(tree.buildDir, buildType, libraryName), join(tree.buildDir, libraryName)].find((path) =>
      existsSync(path),
    );
    if (builtLibrary !== undefined && readStamp(stampFile) === stamp) return { library: builtLibrary, compiled: false };
    registerPipeline(tree, backendDir, name, join(pipelineDir, 'pipeline_spec.cc'));
    const library = await compileWithCmakeJs({
      sourceDir: tree.sourceDir,
      buildDir: tree.buildDir,
      cmakeOptions,
      libraryName,
      target: `triton_${name}`,
      logFile: join(pipelineDir, 'compile.log'),
    });
    writeStamp(stampFile, stamp);
    return { library, compiled: true };
  });
  options.progress({
    step: 'compile',
    seconds: compile.seconds,
    ...(compile.value.compiled ? {} : { note: 'up to date' }),
  });

  const repository = await timed(() =>
    writeModelRepository({
      repositoryDir: resolve(options.repositoryDir),
      name,
      configPbtxt: render.value['config.pbtxt'],
      library: compile.value.library,
      libraryName,
      assets,
      pipelineJson: JSON.stringify(checked.ir, null, 2) + '\n',
    }),
  );
  options.progress({ step: 'repository', seconds: repository.seconds, note: repository.value });
  return { checked, modelDir: repository.value, compiled: compile.value.compiled };
}
