// The codegen CLI: output streams, exit codes, the error format.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../codegen/cli/main.js';
import { captureConsole } from './console-capture.js';
import { basePipelineSource, fixturesDir, locationPrefix, writePipeline } from './pipeline-fixture.js';

const output = captureConsole();

describe('codegen CLI', () => {
  it('prints usage for --help', async () => {
    expect(await main(['--help'])).toBe(0);
    expect(output.stdout).toMatch(/codegen build FILE \[--out DIR\] \[--build-dir DIR\] \[--sources-only\]/);
  });

  it('--sources-only writes the generated sources and compiles nothing', async () => {
    const folder = writePipeline(basePipelineSource);
    const buildRoot = join(folder.dir, 'generated');
    expect(await main(['build', folder.pipelineFile, '--sources-only', '--build-dir', buildRoot, '--out', join(folder.dir, 'repo')])).toBe(0);
    const dir = join(buildRoot, 'tiny_embeddings');
    for (const file of ['pipeline_spec.cc', 'CMakeLists.txt', 'config.pbtxt', 'pipeline.json']) expect(existsSync(join(dir, file))).toBe(true);
    expect(existsSync(join(dir, 'cmake'))).toBe(false);
    expect(existsSync(join(folder.dir, 'repo'))).toBe(false);
    expect(output.stdout).toMatch(/\[codegen\] render/);
    expect(output.stdout).not.toMatch(/\[codegen\] compile/);
  });

  it('exits 2 on bad usage', async () => {
    expect(await main(['frobnicate'])).toBe(2);
    expect(output.stderr).toMatch(/^codegen: unknown command 'frobnicate'/);
    expect(await main(['ir'])).toBe(2);
    expect(await main(['ir', 'x.ts', '--bogus'])).toBe(2);
  });

  it('prints the IR of a pipeline', async () => {
    expect(await main(['ir', join(fixturesDir, 'pipelines', 'valid.ts')])).toBe(0);
    expect(JSON.parse(output.stdout)).toMatchObject({ irVersion: 7, name: 'tiny_embeddings' });
    expect(output.stderr).toBe('');
  });

  it('prints YAML on request', async () => {
    expect(await main(['ir', join(fixturesDir, 'pipelines', 'valid.ts'), '--yaml'])).toBe(0);
    expect(output.stdout).toMatch(/^irVersion: 7\nname: tiny_embeddings\n/);
  });

  it('prints each problem as file:line:col error: message and exits 1', async () => {
    const folder = writePipeline(
      basePipelineSource.replace("'./assets/vocab.txt'", "'./gone/vocab.txt'").replace("output('embedding'", "output('bad name'"),
    );
    expect(await main(['ir', folder.pipelineFile])).toBe(1);
    expect(output.stdout).toBe('');
    expect(output.stderr).toBe(
      `${locationPrefix(folder, 'tokenize(')} error: tokenize: vocab file './gone/vocab.txt' not found (resolved to ${join(folder.dir, 'gone', 'vocab.txt')}); paths are relative to the pipeline file\n`,
    );
  });

  it('reports a missing pipeline file', async () => {
    expect(await main(['ir', 'no/such/pipeline.ts'])).toBe(1);
    expect(output.stderr).toMatch(/^error: pipeline file 'no\/such\/pipeline\.ts' not found \(resolved to \/.*\)\n$/);
  });
});
