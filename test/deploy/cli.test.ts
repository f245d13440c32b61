// `codegen deploy` through the CLI: from `codegen build --sources-only`
// output (a folder per model with its config.pbtxt) to the manifest folder;
// exit codes 2 for bad flags and 1 for a repository it cannot read.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../codegen/cli/main.js';
import { captureConsole } from '../codegen/console-capture.js';
import { basePipelineSource, writePipeline } from '../codegen/pipeline-fixture.js';
import { temporaryDir } from './manifest-fixture.js';

const output = captureConsole();

describe('codegen deploy CLI', () => {
  it('turns `codegen build --sources-only` output into manifests, with flags applied', async () => {
    const folder = writePipeline(basePipelineSource);
    const generatedRoot = join(folder.dir, 'generated');
    expect(await main(['build', folder.pipelineFile, '--sources-only', '--build-dir', generatedRoot])).toBe(0);
    const outDir = temporaryDir('deploy-cli');
    const code = await main([
      'deploy', generatedRoot, '--out', outDir, '--namespace', 'ml', '--image', 'registry.example/fb:1', '--cpu-limit', '3',
      '--min-replicas', '1', '--max-replicas', '4', '--target-queue-us', '7500', '--container-args', '["--model-repository=/models","--exit-timeout-secs=60"]',
    ]);
    expect(code, output.stderr).toBe(0);
    expect(output.stdout).toContain('deployment.yaml');
    const deployment = readFileSync(join(outDir, 'deployment.yaml'), 'utf8');
    expect(deployment).toContain('namespace: ml');
    expect(deployment).toContain('image: registry.example/fb:1');
    expect(deployment).toContain('cpu: "3"');
    expect(deployment).toContain('- --exit-timeout-secs=60');
    expect(deployment).toContain('terminationGracePeriodSeconds: 75');
    expect(readFileSync(join(outDir, 'horizontalpodautoscaler.yaml'), 'utf8')).toContain('averageValue: "7500"');
    expect(readFileSync(join(outDir, 'prometheus-adapter-rules.yaml'), 'utf8')).toContain('model=~"tiny_embeddings"');
    expect(existsSync(join(outDir, 'kserve/servingruntime.yaml'))).toBe(true);
  });

  it('--no-autoscaling with --replicas', async () => {
    const folder = writePipeline(basePipelineSource);
    const generatedRoot = join(folder.dir, 'generated');
    expect(await main(['build', folder.pipelineFile, '--sources-only', '--build-dir', generatedRoot])).toBe(0);
    const outDir = temporaryDir('deploy-cli');
    expect(await main(['deploy', generatedRoot, '--out', outDir, '--no-autoscaling', '--replicas', '3'])).toBe(0);
    expect(readFileSync(join(outDir, 'deployment.yaml'), 'utf8')).toContain('replicas: 3');
    expect(existsSync(join(outDir, 'horizontalpodautoscaler.yaml'))).toBe(false);
  });

  it('bad flag values exit 2 with the reason; an unreadable repository exits 1', async () => {
    const outDir = temporaryDir('deploy-cli');
    expect(await main(['deploy', outDir, '--replicas', 'three'])).toBe(2);
    expect(output.stderr).toContain("--replicas: expected an integer, got 'three'");
    expect(await main(['deploy', outDir, '--memory-limit', '4GB'])).toBe(2);
    expect(output.stderr).toMatch(/resources\.memoryLimit: a Kubernetes quantity/);
    expect(await main(['deploy', outDir, '--container-args=--model-repository=/models'])).toBe(2);
    expect(output.stderr).toContain('--container-args: expected a JSON list of strings');
    expect(await main(['deploy'])).toBe(2);
    expect(await main(['deploy', join(outDir, 'missing'), '--out', join(outDir, 'k8s')])).toBe(1);
    expect(output.stderr).toMatch(/missing: not a directory/);
  });
});
