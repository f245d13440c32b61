// The checks can fail: broken manifests are rejected by kubernetes-models'
// validate() and by kubernetes-validate --strict (1.30 and the newest it
// bundles), and what kubernetes-validate lets through (a removed apiVersion
// only warns) is caught by the generator's own apiVersion list.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { parse as parseYaml, stringify } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiVersionError } from '../../codegen/deploy/api-versions.js';
import { deployModelRepository, manifestPaths } from '../../codegen/deploy/generate-manifests.js';
import { inferenceServiceSchema, servingRuntimeSchema } from '../../codegen/deploy/kserve-schema.js';
import { objectsFile } from '../../codegen/deploy/manifest-files.js';
import { parseDeployOptions } from '../../codegen/deploy/options.js';
import { configRepository, exampleIr, kubernetesValidate, newestBundledKubernetes, temporaryDir } from './manifest-fixture.js';

let outDir: string;
let versions: string[];

type Json = Record<string, unknown>;

function read(path: string): Json {
  return parseYaml(readFileSync(join(outDir, path), 'utf8')) as Json;
}

/** Writes an edited copy of a generated object and runs kubernetes-validate on it for each version. */
function validateEdited(object: Json): { status: number | null; output: string }[] {
  const file = join(temporaryDir('deploy-bad'), 'edited.yaml');
  writeFileSync(file, stringify(object));
  return versions.map((version) => kubernetesValidate(version, [file]));
}

function podSpec(deployment: Json): Json {
  return ((deployment['spec'] as Json)['template'] as Json)['spec'] as Json;
}

beforeAll(() => {
  outDir = temporaryDir('deploy-out');
  deployModelRepository(parseDeployOptions({ repositoryDir: configRepository([exampleIr('embeddings/pipeline.ts')]), outDir }));
  versions = ['1.30.0', newestBundledKubernetes()];
});

describe('broken manifests are rejected', () => {
  it('the generated Deployment passes both validators (the baseline for the edits below)', () => {
    const deployment = read(manifestPaths.deployment);
    expect(() => new Deployment(deployment as never).validate()).not.toThrow();
    for (const run of validateEdited(deployment)) expect(run.status, run.output).toBe(0);
  });

  it('replicas: "3" (a string) fails kubernetes-models and kubernetes-validate', () => {
    const deployment = read(manifestPaths.deployment);
    (deployment['spec'] as Json)['replicas'] = '3';
    expect(() => new Deployment(deployment as never).validate()).toThrow(/replicas must be integer/);
    for (const run of validateEdited(deployment)) {
      expect(run.status).not.toBe(0);
      expect(run.output).toMatch(/spec\.replicas: '3' is not of type 'integer'/);
    }
  });

  it('a misspelled field fails --strict validation (kubernetes-models allows unknown fields: that is why both run)', () => {
    const deployment = read(manifestPaths.deployment);
    const container = (podSpec(deployment)['containers'] as Json[])[0] as Json;
    container['livenesProbe'] = container['livenessProbe'];
    delete container['livenessProbe'];
    expect(() => new Deployment(deployment as never).validate()).not.toThrow();
    for (const run of validateEdited(deployment)) {
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('livenesProbe');
    }
  });

  it('a grace period that is not a number is rejected by both', () => {
    const deployment = read(manifestPaths.deployment);
    podSpec(deployment)['terminationGracePeriodSeconds'] = 'forty';
    expect(() => new Deployment(deployment as never).validate()).toThrow(/terminationGracePeriodSeconds/);
    for (const run of validateEdited(deployment)) expect(run.status).not.toBe(0);
  });

  it('autoscaling/v2beta2 (removed in 1.26): kubernetes-validate only warns, the generator refuses it', () => {
    const hpa = read(manifestPaths.horizontalPodAutoscaler);
    const old = { ...hpa, apiVersion: 'autoscaling/v2beta2' };
    for (const run of validateEdited(old)) {
      expect(run.status).toBe(0);
      expect(run.output).toMatch(/WARN .*Couldn't find schema for kind HorizontalPodAutoscaler with api version autoscaling\/v2beta2/);
    }
    expect(() => objectsFile('hpa.yaml', 'old', [old as never])).toThrow(ApiVersionError);
    expect(() => objectsFile('sm.yaml', 'crd', [{ ...read(manifestPaths.serviceMonitor), apiVersion: 'monitoring.coreos.com/v1alpha1' } as never])).toThrow(ApiVersionError);
  });

  it('an HPA without maxReplicas, or with minReplicas as a string, is rejected by both', () => {
    const hpa = read(manifestPaths.horizontalPodAutoscaler);
    delete (hpa['spec'] as Json)['maxReplicas'];
    expect(() => new HorizontalPodAutoscaler(hpa as never).validate()).toThrow(/maxReplicas/);
    for (const run of validateEdited(hpa)) expect(run.status).not.toBe(0);
    const stringly = read(manifestPaths.horizontalPodAutoscaler);
    (stringly['spec'] as Json)['minReplicas'] = '2';
    expect(() => new HorizontalPodAutoscaler(stringly as never).validate()).toThrow(/minReplicas must be integer/);
    for (const run of validateEdited(stringly)) expect(run.status).not.toBe(0);
  });

  it('custom resources kubernetes-validate cannot check: a ServiceMonitor port number or bad interval, KServe objects without runtime or with a bad container', () => {
    const monitor = read(manifestPaths.serviceMonitor);
    ((monitor['spec'] as Json)['endpoints'] as Json[])[0] = { port: 8002 };
    expect(() => new ServiceMonitor(monitor as never).validate()).toThrow(/port must be string/);
    ((monitor['spec'] as Json)['endpoints'] as Json[])[0] = { port: 'metrics', interval: '15 seconds' };
    expect(() => new ServiceMonitor(monitor as never).validate()).toThrow(/interval must match pattern/);
    const service = read(manifestPaths.kserveInferenceService);
    delete (((service['spec'] as Json)['predictor'] as Json)['model'] as Json)['runtime'];
    expect(inferenceServiceSchema.safeParse(service).success).toBe(false);
    const runtime = read(manifestPaths.servingRuntime);
    ((runtime['spec'] as Json)['containers'] as Json[])[0] = { name: 'kserve-container', image: 'x', ports: [{ containerPort: '8000' }] };
    expect(servingRuntimeSchema.safeParse(runtime).success).toBe(false);
  });
});
