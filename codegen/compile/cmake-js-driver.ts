// Compiles a generated CMake project with cmake-js as the CMake driver: it
// composes the configure and build command lines (build type, output folder,
// generator, -D options); we run them and keep their output in a log that is
// shown only when the compile fails.
//
// cmake-js is made for Node addons and by default downloads Node's headers
// from nodejs.org before configuring. It skips that for a Node-API project,
// which it recognises by `binary.napi_versions` in the package.json of the
// project folder: it then takes headers from the node-api-headers package it
// depends on. Our backends use no Node headers at all, so writing that marker
// costs nothing and keeps the build offline.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import cmakeJs from 'cmake-js';

export const buildType = 'Release';
export const cmakeGenerator = 'Ninja';

export interface CompileRequest {
  /** Folder of the generated CMakeLists.txt. */
  readonly sourceDir: string;
  /** CMake binary folder. */
  readonly buildDir: string;
  /** -D options. */
  readonly cmakeOptions: Readonly<Record<string, string>>;
  /** The library the project builds, e.g. libtriton_x.so. */
  readonly libraryName: string;
  /** Where the compiler's output goes. */
  readonly logFile: string;
  /** Build only this target (a project of several backends); default: all. */
  readonly target?: string;
}

export class CompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompileError';
  }
}

/** Marks the project folder as Node-API for cmake-js: no header download. */
export function writeNodeApiMarker(sourceDir: string): void {
  const marker = {
    name: 'faster-bert-generated-backend',
    private: true,
    description: 'Written by faster-bert codegen so that cmake-js treats this CMake project as Node-API and downloads no Node headers.',
    binary: { napi_versions: [8] },
  };
  writeFileSync(join(sourceDir, 'package.json'), JSON.stringify(marker, null, 2) + '\n');
}

function buildSystemFor(request: CompileRequest): InstanceType<typeof cmakeJs.BuildSystem> {
  return new cmakeJs.BuildSystem({
    directory: request.sourceDir,
    out: request.buildDir,
    config: buildType,
    generator: cmakeGenerator,
    cMakeOptions: { ...request.cmakeOptions },
    noLog: true,
    silent: true,
  });
}

/** The configure and build command lines cmake-js composes, for logs and tests. */
export async function cmakeCommands(request: CompileRequest): Promise<{ configure: string[]; build: string[] }> {
  writeNodeApiMarker(request.sourceDir);
  const buildSystem = buildSystemFor(request);
  const configure = (await buildSystem.getConfigureCommand()).map(String);
  const build = (await buildSystem.getBuildCommand()).map(String);
  return { configure, build };
}

function run(command: readonly string[], cwd: string, logFile: string): Promise<void> {
  const [program, ...args] = command;
  if (program === undefined) return Promise.reject(new Error('empty command'));
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    log.write(`$ ${command.join(' ')}\n`);
    const child = spawn(program, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.on('error', (error) => {
      log.end();
      reject(error);
    });
    child.on('close', (code, signal) => {
      log.end(() => (code === 0 ? resolve() : reject(new CompileError(`${program} exited with ${code ?? signal}`))));
    });
  });
}

function logTail(logFile: string, lines: number): string {
  const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  return text.split('\n').slice(-lines).join('\n');
}

/** Configures and builds; returns the path of the built library. */
export async function compileWithCmakeJs(request: CompileRequest): Promise<string> {
  mkdirSync(request.buildDir, { recursive: true });
  writeFileSync(request.logFile, '');
  const { configure, build } = await cmakeCommands(request);
  try {
    // cmake-js runs the configure step inside the binary folder; so do we.
    await run(configure, request.buildDir, request.logFile);
    await run(request.target === undefined ? build : [...build, '--target', request.target], request.buildDir, request.logFile);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new CompileError(`compiling the backend failed (${why}); the end of ${request.logFile}:\n${logTail(request.logFile, 60)}`);
  }
  // cmake-js points CMAKE_LIBRARY_OUTPUT_DIRECTORY at <out>/<build type>;
  // a project that sets its own output folder puts it in the binary folder.
  for (const dir of [join(request.buildDir, buildType), request.buildDir]) {
    const library = join(dir, request.libraryName);
    if (existsSync(library)) return library;
  }
  throw new CompileError(`the build succeeded but made no ${request.libraryName} in ${request.buildDir}; see ${request.logFile}`);
}
