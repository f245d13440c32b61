// What `codegen deploy` takes: the model repository to describe, where to
// write the manifests, and the knobs a platform team sets per deployment.
// Checked with zod at the CLI boundary; every field has a default that
// matches the CPU image (it serves /models on 8000/8001/8002).
import { z } from 'zod';

/** A Kubernetes resource quantity (`500m`, `2`, `4Gi`, `1.5`). */
const quantity = z.string().regex(/^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/, 'a Kubernetes quantity such as 500m, 2 or 4Gi');

/** A DNS-1123 label: names of Kubernetes objects, namespaces and labels' values here. */
const dnsLabel = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'lowercase letters, digits and "-", starting and ending with a letter or digit');

export const defaultImage = 'localhost/faster-bert-cpu:latest';

/** Where the image keeps its model repository (the CPU image's entrypoint serves it). */
export const imageModelRepository = '/models';

const resourcesSchema = z.strictObject({
  cpuRequest: quantity.default('2'),
  cpuLimit: quantity.default('4'),
  memoryRequest: quantity.default('2Gi'),
  memoryLimit: quantity.default('4Gi'),
  /** GPUs per pod for a repository with KIND_GPU models (`nvidia.com/gpu`); ignored for CPU-only ones. */
  gpus: z.number().int().min(1).default(1),
  /** Size of the memory-backed /dev/shm (counts against the memory limit). */
  sharedMemory: quantity.default('512Mi'),
});

const autoscalingSchema = z
  .strictObject({
    /** Off: no HorizontalPodAutoscaler, and the Deployment keeps `replicas` pods. */
    enabled: z.boolean().default(true),
    minReplicas: z.number().int().min(1).default(2),
    maxReplicas: z.number().int().min(1).default(8),
    /** Target of Triton's mean queue time per request, in microseconds, averaged over the pods. */
    targetQueueMicroseconds: z.number().int().min(1).default(20_000),
    /** The custom metric's name in the custom metrics API (prometheus-adapter's `name.as`); default `<name>_queue_us_per_request`. */
    metricName: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/).optional(),
    /** The PromQL rate() window. */
    rateWindow: z.string().regex(/^[0-9]+[smh]$/).default('1m'),
  })
  .refine((hpa) => hpa.minReplicas <= hpa.maxReplicas, { message: 'minReplicas must not exceed maxReplicas' });

const terminationSchema = z.strictObject({
  /** Seconds the pod keeps serving after it is marked for deletion, so endpoints controllers and load balancers drop it first. */
  drainSeconds: z.number().int().min(0).default(10),
  /** tritonserver --exit-timeout-secs: how long Triton waits for in-flight requests after SIGTERM. */
  exitTimeoutSeconds: z.number().int().min(1).default(30),
});

export const deployOptionsSchema = z.strictObject({
  /** A model repository written by `codegen build` (each model's config.pbtxt is read). */
  repositoryDir: z.string().min(1),
  outDir: z.string().min(1),
  /** Base name of every object (Deployment, Services, ...). */
  name: dnsLabel.default('faster-bert'),
  namespace: dnsLabel.default('default'),
  image: z.string().min(1).default(defaultImage),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
  /** The container's command; default: the image's entrypoint. */
  command: z.array(z.string()).optional(),
  /** The container's args; default: tritonserver's options for /models on 8000/8001/8002 (see tritonserver-args.ts). */
  args: z.array(z.string()).optional(),
  /** Pods when autoscaling is off. With autoscaling the Deployment leaves replicas to the HPA (minReplicas at first). */
  replicas: z.number().int().min(1).default(2),
  /** UID/GID the container runs as (runAsNonRoot needs a numeric user to check). */
  runAsUser: z.number().int().min(1).default(1000),
  /** Seconds the startup probe allows for tritonserver to load every model. */
  startupSeconds: z.number().int().min(10).default(300),
  resources: resourcesSchema.default(resourcesSchema.parse({})),
  autoscaling: autoscalingSchema.default(autoscalingSchema.parse({})),
  termination: terminationSchema.default(terminationSchema.parse({})),
  /** KServe alternative: a storage URI for the model repository; default none (the image's /models). */
  kserveStorageUri: z.string().min(1).optional(),
});

export type DeployOptionsInput = z.input<typeof deployOptionsSchema>;
export type DeployOptions = z.output<typeof deployOptionsSchema>;

export class DeployOptionsError extends Error {}

/** Parses options; a bad one throws a DeployOptionsError naming each field and what is wrong with it. */
export function parseDeployOptions(input: DeployOptionsInput): DeployOptions {
  const parsed = deployOptionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`);
  throw new DeployOptionsError(lines.join('\n'));
}
