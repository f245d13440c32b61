// KServe's ServingRuntime (serving.kserve.io/v1alpha1) and InferenceService
// (serving.kserve.io/v1beta1). No npm package ships typed KServe models, so
// these zod schemas hold the fields we write, with the names and types of
// KServe's CRDs; an embedded container is checked with kubernetes-models'
// own Container schema.
import { Container, type IContainer } from 'kubernetes-models/v1/Container';
import { z } from 'zod';

const objectMeta = z.strictObject({
  name: z.string().min(1),
  namespace: z.string().min(1),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

const container = z.custom<IContainer>((value) => {
  try {
    new Container(value as IContainer).validate();
    return true;
  } catch {
    return false;
  }
}, 'not a valid Kubernetes container');

const emptyDirVolume = z.strictObject({
  name: z.string().min(1),
  emptyDir: z.strictObject({ medium: z.string().optional(), sizeLimit: z.string().optional() }),
});

export const servingRuntimeSchema = z.strictObject({
  apiVersion: z.literal('serving.kserve.io/v1alpha1'),
  kind: z.literal('ServingRuntime'),
  metadata: objectMeta,
  spec: z.strictObject({
    annotations: z.record(z.string(), z.string()).optional(),
    supportedModelFormats: z
      .array(z.strictObject({ name: z.string().min(1), version: z.string().optional(), autoSelect: z.boolean().optional(), priority: z.number().int().min(1).optional() }))
      .min(1),
    protocolVersions: z.array(z.enum(['v1', 'v2', 'grpc-v1', 'grpc-v2'])).min(1),
    multiModel: z.boolean().optional(),
    containers: z.array(container).min(1),
    volumes: z.array(emptyDirVolume).optional(),
  }),
});
export type ServingRuntime = z.infer<typeof servingRuntimeSchema>;

export const inferenceServiceSchema = z.strictObject({
  apiVersion: z.literal('serving.kserve.io/v1beta1'),
  kind: z.literal('InferenceService'),
  metadata: objectMeta,
  spec: z.strictObject({
    predictor: z.strictObject({
      minReplicas: z.number().int().min(0).optional(),
      maxReplicas: z.number().int().min(0).optional(),
      terminationGracePeriodSeconds: z.number().int().min(0).optional(),
      model: z.strictObject({
        modelFormat: z.strictObject({ name: z.string().min(1), version: z.string().optional() }),
        runtime: z.string().min(1),
        protocolVersion: z.enum(['v1', 'v2', 'grpc-v1', 'grpc-v2']).optional(),
        storageUri: z.string().min(1).optional(),
      }),
    }),
  }),
});
export type InferenceService = z.infer<typeof inferenceServiceSchema>;
