// What the options and the repository change: GPU pipelines (KIND_GPU in
// config.pbtxt) get nvidia.com/gpu, CPU ones never; autoscaling off gives a
// fixed replica count and no HPA; custom args keep the grace period longer
// than their exit timeout; bad options are refused with the field's name.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { describe, expect, it } from 'vitest';
import { deployModelRepository, manifestPaths } from '../../codegen/deploy/generate-manifests.js';
import { servingRuntimeSchema } from '../../codegen/deploy/kserve-schema.js';
import { DeployOptionsError, parseDeployOptions, type DeployOptionsInput } from '../../codegen/deploy/options.js';
import type { PipelineIr } from '../../codegen/ir/schema.js';
import { configRepository, exampleIr, kubernetesValidate, newestBundledKubernetes, readYamlObjects, temporaryDir } from './manifest-fixture.js';

function onGpu(ir: PipelineIr): PipelineIr {
  return { ...ir, name: `${ir.name}_gpu`, instances: { ...ir.instances, kind: 'gpu' } };
}

function deploy(irs: readonly PipelineIr[], options: Partial<DeployOptionsInput> = {}): { outDir: string; deployment: IDeployment } {
  const outDir = temporaryDir('deploy-out');
  deployModelRepository(parseDeployOptions({ repositoryDir: configRepository(irs), outDir, ...options }));
  const [deployment] = readYamlObjects(join(outDir, manifestPaths.deployment)) as unknown as IDeployment[];
  if (deployment === undefined) throw new Error('no Deployment written');
  return { outDir, deployment };
}

const container = (deployment: IDeployment) => deployment.spec?.template.spec?.containers[0];

describe('GPU pipelines', () => {
  it('a repository with a KIND_GPU model: nvidia.com/gpu limits, a GPU toleration, in the Deployment and the ServingRuntime', () => {
    const embeddings = exampleIr('embeddings/pipeline.ts');
    const { outDir, deployment } = deploy([embeddings, onGpu(embeddings)], { resources: { gpus: 2 } });
    expect(readFileSync(join(outDir, 'README.md'), 'utf8')).toContain('KIND_GPU');
    expect(container(deployment)?.resources?.limits).toEqual({ cpu: '4', memory: '4Gi', 'nvidia.com/gpu': '2' });
    expect(container(deployment)?.resources?.requests).toEqual({ cpu: '2', memory: '2Gi' });
    expect(deployment.spec?.template.spec?.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    const [runtime] = readYamlObjects(join(outDir, manifestPaths.servingRuntime));
    expect(servingRuntimeSchema.parse(runtime).spec.containers[0]?.resources?.limits?.['nvidia.com/gpu']).toBe('2');
    new Deployment(deployment as never).validate();
    for (const version of ['1.30.0', newestBundledKubernetes()]) {
      const run = kubernetesValidate(version, [join(outDir, manifestPaths.deployment)]);
      expect(run.status, run.output).toBe(0);
    }
  });

  it('a CPU-only repository: no GPU resource and no toleration, whatever --gpus says', () => {
    const { deployment } = deploy([exampleIr('embeddings/pipeline.ts')], { resources: { gpus: 4 } });
    expect(Object.keys(container(deployment)?.resources?.limits ?? {})).toEqual(['cpu', 'memory']);
    expect(deployment.spec?.template.spec?.tolerations).toBeUndefined();
  });
});

describe('deploy options', () => {
  const embeddings = () => exampleIr('embeddings/pipeline.ts');

  it('autoscaling off: the Deployment keeps --replicas pods and no HPA is written (nor left from an earlier run)', () => {
    const { outDir } = deploy([embeddings()]);
    expect(existsSync(join(outDir, manifestPaths.horizontalPodAutoscaler))).toBe(true);
    deployModelRepository(parseDeployOptions({ repositoryDir: configRepository([embeddings()]), outDir, replicas: 3, autoscaling: { enabled: false } }));
    expect(existsSync(join(outDir, manifestPaths.horizontalPodAutoscaler))).toBe(false);
    const [deployment] = readYamlObjects(join(outDir, manifestPaths.deployment)) as unknown as IDeployment[];
    expect(deployment?.spec?.replicas).toBe(3);
    expect(readFileSync(join(outDir, manifestPaths.kustomization), 'utf8')).not.toContain('horizontalpodautoscaler');
  });

  it('image, name, namespace, command and args, resources and HPA target reach the manifests', () => {
    const { outDir, deployment } = deploy([embeddings()], {
      name: 'search-embeddings',
      namespace: 'ml',
      image: 'registry.example/faster-bert-cpu:1.2.3',
      command: ['/opt/tritonserver/bin/tritonserver'],
      args: ['--model-repository=/models', '--exit-timeout-secs=100'],
      resources: { cpuRequest: '500m', memoryLimit: '8Gi' },
      autoscaling: { targetQueueMicroseconds: 5000, minReplicas: 1, maxReplicas: 3 },
    });
    expect(deployment.metadata?.name).toBe('search-embeddings');
    expect(deployment.metadata?.namespace).toBe('ml');
    expect(container(deployment)?.image).toBe('registry.example/faster-bert-cpu:1.2.3');
    expect(container(deployment)?.command).toEqual(['/opt/tritonserver/bin/tritonserver']);
    expect(container(deployment)?.args).toEqual(['--model-repository=/models', '--exit-timeout-secs=100']);
    expect(container(deployment)?.resources).toEqual({ requests: { cpu: '500m', memory: '2Gi' }, limits: { cpu: '4', memory: '8Gi' } });
    // The grace period follows the exit timeout the args set.
    expect(deployment.spec?.template.spec?.terminationGracePeriodSeconds).toBeGreaterThan(100 + 10);
    const hpa = readFileSync(join(outDir, manifestPaths.horizontalPodAutoscaler), 'utf8');
    expect(hpa).toContain('averageValue: "5000"');
    expect(hpa).toContain('name: search_embeddings_queue_us_per_request');
    expect(readFileSync(join(outDir, manifestPaths.adapterRules), 'utf8')).toContain('as: search_embeddings_queue_us_per_request');
  });

  it('the grace period also follows `--exit-timeout-secs N` given as two args', () => {
    const { deployment } = deploy([embeddings()], { args: ['--model-repository=/models', '--exit-timeout-secs', '200'], termination: { drainSeconds: 5 } });
    expect(deployment.spec?.template.spec?.terminationGracePeriodSeconds).toBe(5 + 200 + 5);
    expect(container(deployment)?.lifecycle?.preStop?.sleep?.seconds).toBe(5);
  });

  it('no drain: no preStop hook', () => {
    const { deployment } = deploy([embeddings()], { termination: { drainSeconds: 0 } });
    expect(container(deployment)?.lifecycle).toBeUndefined();
    expect(deployment.spec?.template.spec?.terminationGracePeriodSeconds).toBe(30 + 5);
  });

  it('KServe with a storage URI: the InferenceService names it and the runtime serves /mnt/models', () => {
    const { outDir } = deploy([embeddings()], { kserveStorageUri: 's3://models/faster-bert' });
    const [runtime] = readYamlObjects(join(outDir, manifestPaths.servingRuntime));
    const [service] = readYamlObjects(join(outDir, manifestPaths.kserveInferenceService));
    expect(servingRuntimeSchema.parse(runtime).spec.containers[0]?.args).toContain('--model-repository=/mnt/models');
    expect((service?.spec['predictor'] as { model: { storageUri?: string } }).model.storageUri).toBe('s3://models/faster-bert');
    // The Deployment keeps the image's repository.
    const [deployment] = readYamlObjects(join(outDir, manifestPaths.deployment)) as unknown as IDeployment[];
    expect(deployment === undefined ? [] : container(deployment)?.args).toContain('--model-repository=/models');
  });

  it('bad options are refused, naming the field', () => {
    const base = { repositoryDir: '/nowhere', outDir: '/nowhere' };
    const refused = (input: DeployOptionsInput) => {
      try {
        parseDeployOptions(input);
      } catch (error) {
        if (error instanceof DeployOptionsError) return error.message;
        throw error;
      }
      return 'accepted';
    };
    expect(refused({ ...base, resources: { cpuRequest: 'two' } })).toMatch(/^resources\.cpuRequest: .*quantity/);
    expect(refused({ ...base, autoscaling: { minReplicas: 5, maxReplicas: 2 } })).toMatch(/minReplicas must not exceed maxReplicas/);
    expect(refused({ ...base, name: 'Faster_BERT' })).toMatch(/^name: /);
    expect(refused({ ...base, replicas: 0 })).toMatch(/^replicas: /);
    expect(refused({ ...base, runAsUser: 0 })).toMatch(/^runAsUser: /);
    expect(refused({ ...base, imagePullPolicy: 'Sometimes' as never })).toMatch(/^imagePullPolicy: /);
    expect(refused(base)).toBe('accepted');
  });
});
