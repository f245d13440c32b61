// The KServe alternative to the Deployment: a ServingRuntime that runs our
// image (same container as the Deployment's) and an InferenceService that
// uses it. Raw deployment mode keeps the pods plain Deployments (our probes
// and ports as they are; Knative's serverless mode allows one port only).
import { tritonContainer, tritonVolumes } from './container.js';
import type { ObjectNames } from './labels.js';
import { imageModelRepository, type DeployOptions } from './options.js';
import { inferenceServiceSchema, servingRuntimeSchema, type InferenceService, type ServingRuntime } from './kserve-schema.js';
import { terminationGracePeriodSeconds } from './tritonserver-args.js';
import { ports } from './ports.js';

/** The model format name our runtime declares and the InferenceService asks for. */
export const kserveModelFormat = { name: 'faster-bert-triton', version: '1' } as const;

/** Where KServe's storage initializer puts a model fetched from storageUri. */
const kserveModelMount = '/mnt/models';

export function buildServingRuntime(options: DeployOptions, names: ObjectNames, usesGpu: boolean): ServingRuntime {
  const modelRepository = options.kserveStorageUri === undefined ? imageModelRepository : kserveModelMount;
  // KServe routes to the container's first port and expects the container named kserve-container.
  const container = tritonContainer(options, { name: 'kserve-container', usesGpu, modelRepository });
  return servingRuntimeSchema.parse({
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'ServingRuntime',
    metadata: { name: names.app, namespace: names.namespace, labels: { ...names.labels } },
    spec: {
      annotations: {
        'prometheus.kserve.io/port': String(ports.metrics),
        'prometheus.kserve.io/path': '/metrics',
      },
      supportedModelFormats: [{ ...kserveModelFormat, autoSelect: true }],
      protocolVersions: ['v2', 'grpc-v2'],
      multiModel: false,
      containers: [container],
      volumes: tritonVolumes(options),
    },
  });
}

export function buildKserveInferenceService(options: DeployOptions, names: ObjectNames): InferenceService {
  return inferenceServiceSchema.parse({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: names.app,
      namespace: names.namespace,
      labels: { ...names.labels },
      annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment', 'serving.kserve.io/enable-prometheus-scraping': 'true' },
    },
    spec: {
      predictor: {
        minReplicas: options.autoscaling.minReplicas,
        maxReplicas: options.autoscaling.maxReplicas,
        terminationGracePeriodSeconds: terminationGracePeriodSeconds(options),
        model: {
          modelFormat: { ...kserveModelFormat },
          runtime: names.app,
          protocolVersion: 'v2',
          ...(options.kserveStorageUri === undefined ? {} : { storageUri: options.kserveStorageUri }),
        },
      },
    },
  });
}
