// `codegen deploy` on a repository of the examples' rendered config.pbtxt:
// each object read back from the written YAML passes kubernetes-models'
// validate() (custom resources: prometheus-operator's models, KServe's zod
// schemas), every file passes kubernetes-validate --strict for Kubernetes
// 1.30 and the newest version it bundles, and the manifests say what the
// issue asks for (probes, non-root, /dev/shm, graceful stop, resources, HPA
// on the adapter rule's metric).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler, type IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Service, type IService } from 'kubernetes-models/v1/Service';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtInApiVersions } from '../../codegen/deploy/api-versions.js';
import { deployModelRepository, manifestPaths, type GeneratedManifests } from '../../codegen/deploy/generate-manifests.js';
import { inferenceServiceSchema, servingRuntimeSchema, type ServingRuntime } from '../../codegen/deploy/kserve-schema.js';
import { parseDeployOptions } from '../../codegen/deploy/options.js';
import { adapterRulesSchema } from '../../codegen/deploy/prometheus-adapter-rule.js';
import type { PipelineIr } from '../../codegen/ir/schema.js';
import { configRepository, exampleIr, kubernetesValidate, newestBundledKubernetes, readYamlObjects, temporaryDir, yamlFiles, type K8sObject } from './manifest-fixture.js';

const EXAMPLES = ['embeddings/pipeline.ts', 'classifier/pipeline.ts', 'rerank/pipeline.ts'];

// Known-removed or deprecated API groups that upstream charts still ship.
const REMOVED_API_VERSIONS = ['autoscaling/v2beta1', 'autoscaling/v2beta2', 'policy/v1beta1', 'extensions/v1beta1', 'apps/v1beta1', 'apps/v1beta2'];

let irs: PipelineIr[];
let outDir: string;
let generated: GeneratedManifests;

function objectsOf(path: string): K8sObject[] {
  return readYamlObjects(join(outDir, path));
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

function deployment(dir = outDir): IDeployment {
  return only(readYamlObjects(join(dir, manifestPaths.deployment))) as unknown as IDeployment;
}

function tritonContainer(dir = outDir): IContainer {
  return only(deployment(dir).spec?.template.spec?.containers ?? []);
}

beforeAll(() => {
  irs = EXAMPLES.map(exampleIr);
  outDir = temporaryDir('deploy-out');
  generated = deployModelRepository(parseDeployOptions({ repositoryDir: configRepository(irs), outDir, namespace: 'inference' }));
});

describe('codegen deploy: what it writes', () => {
  it('reads every model of the repository from its config.pbtxt', () => {
    expect(generated.models.map((model) => model.name)).toEqual(irs.map((ir) => ir.name).sort());
    expect(generated.usesGpu).toBe(false);
    for (const model of generated.models) {
      const ir = irs.find((candidate) => candidate.name === model.name);
      expect(model.instanceGroups).toEqual([{ count: ir?.instances.count, kind: 'KIND_CPU' }]);
    }
  });

  it('writes one file per kind, a kustomization listing them, the adapter rule and the KServe folder', () => {
    expect(yamlFiles(outDir).sort()).toEqual(
      [
        'deployment.yaml',
        'horizontalpodautoscaler.yaml',
        'kserve/inferenceservice.yaml',
        'kserve/kustomization.yaml',
        'kserve/servingruntime.yaml',
        'kustomization.yaml',
        'poddisruptionbudget.yaml',
        'prometheus-adapter-rules.yaml',
        'service.yaml',
        'servicemonitor.yaml',
      ].sort(),
    );
    const kustomization = parseYaml(readFileSync(join(outDir, 'kustomization.yaml'), 'utf8')) as { resources: string[]; namespace: string };
    expect(kustomization.namespace).toBe('inference');
    expect(kustomization.resources.sort()).toEqual(
      ['deployment.yaml', 'horizontalpodautoscaler.yaml', 'poddisruptionbudget.yaml', 'service.yaml', 'servicemonitor.yaml'].sort(),
    );
    const kserve = parseYaml(readFileSync(join(outDir, 'kserve/kustomization.yaml'), 'utf8')) as { resources: string[] };
    expect(kserve.resources.sort()).toEqual(['inferenceservice.yaml', 'servingruntime.yaml']);
    expect(readFileSync(join(outDir, 'README.md'), 'utf8')).toContain('nv_inference_queue_duration_us');
  });

  it('every object passes kubernetes-models validate() (KServe objects: their zod schemas)', () => {
    const seen: string[] = [];
    for (const file of yamlFiles(outDir).filter((path) => !path.endsWith('kustomization.yaml') && path !== manifestPaths.adapterRules)) {
      for (const object of objectsOf(file)) {
        seen.push(`${object.apiVersion} ${object.kind}`);
        const data = object as never;
        switch (object.kind) {
          case 'Deployment':
            new Deployment(data).validate();
            break;
          case 'Service':
            new Service(data).validate();
            break;
          case 'PodDisruptionBudget':
            new PodDisruptionBudget(data).validate();
            break;
          case 'HorizontalPodAutoscaler':
            new HorizontalPodAutoscaler(data).validate();
            break;
          case 'ServiceMonitor':
            new ServiceMonitor(data).validate();
            break;
          case 'ServingRuntime':
            servingRuntimeSchema.parse(object);
            break;
          case 'InferenceService':
            inferenceServiceSchema.parse(object);
            break;
          default:
            throw new Error(`unexpected kind ${object.kind}`);
        }
      }
    }
    expect(seen.sort()).toEqual(
      [
        'apps/v1 Deployment',
        'autoscaling/v2 HorizontalPodAutoscaler',
        'monitoring.coreos.com/v1 ServiceMonitor',
        'policy/v1 PodDisruptionBudget',
        'serving.kserve.io/v1alpha1 ServingRuntime',
        'serving.kserve.io/v1beta1 InferenceService',
        'v1 Service',
        'v1 Service',
      ].sort(),
    );
  });

  it('uses only the allowed apiVersions: autoscaling/v2, no removed or beta API', () => {
    const builtIn = new Set<string>(builtInApiVersions);
    const custom = new Set(['monitoring.coreos.com/v1', 'serving.kserve.io/v1alpha1', 'serving.kserve.io/v1beta1']);
    for (const file of yamlFiles(outDir).filter((path) => !path.endsWith('kustomization.yaml') && path !== manifestPaths.adapterRules)) {
      for (const object of objectsOf(file)) expect(builtIn.has(object.apiVersion) || custom.has(object.apiVersion), `${file}: ${object.apiVersion}`).toBe(true);
      const text = readFileSync(join(outDir, file), 'utf8');
      for (const removed of REMOVED_API_VERSIONS) expect(text).not.toContain(removed);
    }
    expect(only(objectsOf(manifestPaths.horizontalPodAutoscaler)).apiVersion).toBe('autoscaling/v2');
  });

  for (const version of ['1.30.0', 'newest']) {
    it(`kubernetes-validate --strict -k ${version}: every built-in object passes; CRDs are left to us`, () => {
      const kubernetes = version === 'newest' ? newestBundledKubernetes() : version;
      if (version === 'newest') expect(Number(kubernetes.split('.')[1])).toBeGreaterThanOrEqual(37);
      const files = yamlFiles(outDir)
        .filter((path) => !path.endsWith('kustomization.yaml') && path !== manifestPaths.adapterRules)
        .map((path) => join(outDir, path));
      const run = kubernetesValidate(kubernetes, files);
      expect(run.status, run.output).toBe(0);
      const minor = kubernetes.split('.').slice(0, 2).join('.');
      for (const name of ['deployment/faster-bert', 'service/faster-bert', 'service/faster-bert-metrics', 'poddisruptionbudget/faster-bert', 'horizontalpodautoscaler/faster-bert']) {
        expect(run.output).toContain(`passed for resource ${name} against version ${minor}`);
      }
      // It has no schema for custom resources and only warns: the test above checks them with their own schemas.
      for (const kind of ['ServiceMonitor', 'ServingRuntime', 'InferenceService']) expect(run.output).toMatch(new RegExp(`WARN .*kind ${kind}`));
      expect(run.output).not.toMatch(/ERROR|did not validate/);
    });
  }
});

describe('codegen deploy: the Deployment', () => {
  it('runs the image with tritonserver serving /models on 8000/8001/8002', () => {
    const container = tritonContainer();
    expect(container.image).toBe('localhost/faster-bert-cpu:latest');
    expect(container.command).toBeUndefined();
    expect(container.args).toEqual(expect.arrayContaining(['--model-repository=/models', '--http-port=8000', '--grpc-port=8001', '--metrics-port=8002']));
    expect(container.ports).toEqual([
      { name: 'http', containerPort: 8000, protocol: 'TCP' },
      { name: 'grpc', containerPort: 8001, protocol: 'TCP' },
      { name: 'metrics', containerPort: 8002, protocol: 'TCP' },
    ]);
  });

  it('probes: startup and readiness on /v2/health/ready, liveness on /v2/health/live, all on the HTTP port; startup allows the load window', () => {
    const container = tritonContainer();
    const httpPort = (port: unknown) => container.ports?.find((candidate) => candidate.name === port || candidate.containerPort === port)?.containerPort;
    expect(container.startupProbe?.httpGet?.path).toBe('/v2/health/ready');
    expect(container.readinessProbe?.httpGet?.path).toBe('/v2/health/ready');
    expect(container.livenessProbe?.httpGet?.path).toBe('/v2/health/live');
    for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) expect(httpPort(probe?.httpGet?.port)).toBe(8000);
    const startup = container.startupProbe;
    expect((startup?.failureThreshold ?? 0) * (startup?.periodSeconds ?? 0)).toBeGreaterThanOrEqual(generated.options.startupSeconds);
  });

  it('runs as non-root without privileges', () => {
    const pod = deployment().spec?.template.spec;
    const container = tritonContainer();
    expect(pod?.securityContext?.runAsNonRoot).toBe(true);
    expect(pod?.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext?.runAsNonRoot).toBe(true);
    expect(container.securityContext?.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
    expect(container.securityContext?.capabilities?.drop).toEqual(['ALL']);
    expect(container.securityContext?.privileged).toBeUndefined();
  });

  it('mounts a memory emptyDir at /dev/shm', () => {
    const pod = deployment().spec?.template.spec;
    const mount = tritonContainer().volumeMounts?.find((candidate) => candidate.mountPath === '/dev/shm');
    const volume = pod?.volumes?.find((candidate) => candidate.name === mount?.name);
    expect(volume?.emptyDir?.medium).toBe('Memory');
    expect(volume?.emptyDir?.sizeLimit).toBe('512Mi');
  });

  it('graceful termination: preStop drain, then Triton waits for in-flight requests, within the grace period', () => {
    const pod = deployment().spec?.template.spec;
    const container = tritonContainer();
    const drain = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
    const exitTimeout = Number(/^--exit-timeout-secs=(\d+)$/.exec(container.args?.find((arg) => arg.startsWith('--exit-timeout-secs=')) ?? '')?.[1]);
    expect(drain).toBe(10);
    expect(exitTimeout).toBe(30);
    expect(pod?.terminationGracePeriodSeconds).toBeGreaterThan(drain + exitTimeout);
  });

  it('CPU pipelines: CPU and memory requests and limits, no GPU resource', () => {
    const resources = tritonContainer().resources;
    expect(resources).toEqual({ requests: { cpu: '2', memory: '2Gi' }, limits: { cpu: '4', memory: '4Gi' } });
    expect(readFileSync(join(outDir, manifestPaths.deployment), 'utf8')).not.toContain('nvidia.com/gpu');
    expect(readFileSync(join(outDir, manifestPaths.servingRuntime), 'utf8')).not.toContain('nvidia.com/gpu');
  });

  it('leaves the replica count to the HPA and never drops capacity during a rollout', () => {
    const spec = deployment().spec;
    expect(spec?.replicas).toBeUndefined();
    expect(spec?.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
    for (const [key, value] of Object.entries(spec?.selector.matchLabels ?? {})) expect(spec?.template.metadata?.labels?.[key]).toBe(value);
  });
});

describe('codegen deploy: Services, ServiceMonitor, PDB, HPA and the adapter rule', () => {
  const matches = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
    Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);

  it('the client Service carries HTTP 8000 and gRPC 8001; the metrics Service 8002; both select the pods', () => {
    const [client, metrics] = objectsOf(manifestPaths.services) as unknown as IService[];
    const podLabels = deployment().spec?.template.metadata?.labels;
    expect(client?.spec?.ports?.map((port) => [port.name, port.port, port.targetPort])).toEqual([
      ['http', 8000, 'http'],
      ['grpc', 8001, 'grpc'],
    ]);
    expect(metrics?.spec?.ports?.map((port) => [port.name, port.port, port.targetPort])).toEqual([['metrics', 8002, 'metrics']]);
    expect(matches(client?.spec?.selector, podLabels)).toBe(true);
    expect(matches(metrics?.spec?.selector, podLabels)).toBe(true);
  });

  it('the ServiceMonitor selects the metrics Service only, on its metrics port', () => {
    const monitor = new ServiceMonitor(only(objectsOf(manifestPaths.serviceMonitor)) as never);
    const [client, metrics] = objectsOf(manifestPaths.services);
    expect(matches(monitor.spec.selector.matchLabels, metrics?.metadata.labels)).toBe(true);
    expect(matches(monitor.spec.selector.matchLabels, client?.metadata.labels)).toBe(false);
    expect(monitor.spec.namespaceSelector?.matchNames).toEqual(['inference']);
    expect(monitor.spec.endpoints?.map((endpoint) => [endpoint.port, endpoint.path])).toEqual([['metrics', '/metrics']]);
  });

  it('the PodDisruptionBudget covers the pods and lets one go at a time', () => {
    const budget = new PodDisruptionBudget(only(objectsOf(manifestPaths.podDisruptionBudget)) as never);
    expect(matches(budget.spec?.selector?.matchLabels, deployment().spec?.template.metadata?.labels)).toBe(true);
    expect(budget.spec?.maxUnavailable).toBe(1);
  });

  it('the HPA scales the Deployment on the metric the adapter rule publishes', () => {
    const hpa = only(objectsOf(manifestPaths.horizontalPodAutoscaler)) as unknown as IHorizontalPodAutoscaler;
    const rules = adapterRulesSchema.parse(parseYaml(readFileSync(join(outDir, manifestPaths.adapterRules), 'utf8')));
    const rule = only(rules.rules);
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment().metadata?.name });
    expect(hpa.spec.minReplicas).toBe(2);
    expect(hpa.spec.maxReplicas).toBe(8);
    const metric = only(hpa.spec.metrics ?? []);
    expect(metric.type).toBe('Pods');
    expect(metric.pods?.metric.name).toBe(rule.name.as);
    expect(metric.pods?.target).toEqual({ type: 'AverageValue', averageValue: '20000' });
  });

  it('the adapter rule divides queue time by successful requests, per pod, over exactly the repository models', () => {
    const rule = only(adapterRulesSchema.parse(parseYaml(readFileSync(join(outDir, manifestPaths.adapterRules), 'utf8'))).rules);
    expect(rule.resources.overrides).toEqual({ namespace: { resource: 'namespace' }, pod: { resource: 'pod' } });
    expect(rule.seriesQuery).toMatch(/^nv_inference_queue_duration_us\{/);
    expect(rule.metricsQuery).toContain('rate(nv_inference_queue_duration_us{<<.LabelMatchers>>');
    expect(rule.metricsQuery).toContain('rate(nv_inference_request_success{<<.LabelMatchers>>');
    expect(rule.metricsQuery).toMatch(/rate\(nv_inference_queue_duration_us[^/]*\/ \(sum by \(<<\.GroupBy>>\) \(rate\(nv_inference_request_success/);
    // The model matcher, read as the regex Prometheus applies (fully anchored).
    const matcher = /model=~"([^"]*)"/.exec(rule.metricsQuery)?.[1] ?? '';
    const modelRegex = new RegExp(`^(?:${matcher.replace(/\\\\/g, '\\')})$`);
    for (const ir of irs) expect(modelRegex.test(ir.name)).toBe(true);
    expect(modelRegex.test('some_other_model')).toBe(false);
  });
});

describe('codegen deploy: the KServe alternative', () => {
  it('the ServingRuntime runs the same container as the Deployment; the InferenceService uses it', () => {
    const runtime = servingRuntimeSchema.parse(only(objectsOf(manifestPaths.servingRuntime))) as ServingRuntime;
    const service = inferenceServiceSchema.parse(only(objectsOf(manifestPaths.kserveInferenceService)));
    const container = only(runtime.spec.containers);
    const deployed = tritonContainer();
    expect(container.name).toBe('kserve-container');
    for (const key of ['image', 'args', 'ports', 'startupProbe', 'readinessProbe', 'livenessProbe', 'securityContext', 'resources', 'volumeMounts'] as const) {
      expect(container[key], key).toEqual(deployed[key]);
    }
    expect(runtime.spec.protocolVersions).toContain('v2');
    expect(service.spec.predictor.model.runtime).toBe(runtime.metadata.name);
    expect(runtime.spec.supportedModelFormats.map((format) => format.name)).toContain(service.spec.predictor.model.modelFormat.name);
    expect(service.metadata.namespace).toBe(runtime.metadata.namespace);
  });
});
