// cmake-js as the CMake driver: Release, Ninja, our -D options, and no
// download of Node headers (checked with an empty HOME and a dead proxy, so
// any download attempt would fail or leave ~/.cmake-js behind).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { temporaryFolder } from './pipeline-fixture.js';
import { cmakeCommands, compileWithCmakeJs, CompileError, type CompileRequest } from '../../codegen/compile/cmake-js-driver.js';

const toolsPresent = ['cmake', 'ninja', 'g++'].every((tool) => spawnSync(tool, ['--version']).status === 0);
const savedEnvironment = { ...process.env };
let home: string;

function probeProject(source: string): CompileRequest {
  const root = temporaryFolder('faster-bert-cmakejs-');
  const sourceDir = join(root, 'src');
  mkdirSync(sourceDir);
  writeFileSync(
    join(sourceDir, 'CMakeLists.txt'),
    'cmake_minimum_required(VERSION 3.18)\nproject(probe LANGUAGES CXX)\nadd_library(triton_probe SHARED probe.cc)\n',
  );
  writeFileSync(join(sourceDir, 'probe.cc'), source);
  return {
    sourceDir,
    buildDir: join(root, 'cmake'),
    cmakeOptions: { PROBE_OPTION: 'a value' },
    libraryName: 'libtriton_probe.so',
    logFile: join(root, 'compile.log'),
  };
}

beforeEach(() => {
  home = temporaryFolder('faster-bert-home-');
  process.env['HOME'] = home;
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) process.env[name] = 'http://127.0.0.1:9';
});

afterEach(() => {
  process.env = { ...savedEnvironment };
});

describe('cmake-js driver', () => {
  it('composes Release + Ninja commands with our options and Node-API headers from node_modules', async () => {
    const { configure, build } = await cmakeCommands(probeProject(''));
    expect(configure).toEqual(
      expect.arrayContaining(['-G', 'Ninja', '-DCMAKE_BUILD_TYPE=Release', '-DPROBE_OPTION=a value']),
    );
    expect(configure.find((arg) => arg.startsWith('-DCMAKE_JS_INC='))).toMatch(/node_modules\/node-api-headers\/include$/);
    expect(build).toEqual(expect.arrayContaining(['--build', '--config', 'Release']));
    expect(existsSync(join(home, '.cmake-js'))).toBe(false);
  });

  it.skipIf(!toolsPresent)('builds a library offline and finds it', async () => {
    const request = probeProject('extern "C" int probe() { return 42; }\n');
    const library = await compileWithCmakeJs(request);
    expect(library).toBe(join(request.buildDir, 'Release', 'libtriton_probe.so'));
    expect(existsSync(join(home, '.cmake-js'))).toBe(false);
    expect(readFileSync(request.logFile, 'utf8')).toContain('Linking CXX shared library');
  });

  it.skipIf(!toolsPresent)('shows the compiler error from the log when the build fails', async () => {
    const request = probeProject('this is not C++\n');
    const failure = compileWithCmakeJs(request);
    await expect(failure).rejects.toBeInstanceOf(CompileError);
    await expect(failure).rejects.toThrow(/compiling the backend failed[\s\S]*probe\.cc[\s\S]*error/);
  });
});
