// `codegen deploy`'s command-line flags and how they map onto DeployOptions
// (numbers and JSON lists are converted here; their ranges are checked by
// the options' zod schema).
import type { DeployOptionsInput } from './options.js';

export const deployUsage = `  codegen deploy REPOSITORY [--out DIR] [--name NAME] [--namespace NS] [--image IMAGE]
        [--replicas N] [--cpu-request Q] [--cpu-limit Q] [--memory-request Q] [--memory-limit Q]
        [--gpus N] [--shm-size Q] [--min-replicas N] [--max-replicas N] [--target-queue-us N]
        [--no-autoscaling] [--run-as-user UID] [--startup-seconds N] [--drain-seconds N]
        [--exit-timeout-secs N] [--container-command JSON] [--container-args JSON] [--kserve-storage-uri URI]
      write Kubernetes manifests for a model repository built by \`codegen build\`
      (reads each <model>/config.pbtxt) to DIR (default deploy/kubernetes):
      Deployment, Services, ServiceMonitor, PodDisruptionBudget, HPA on Triton's
      queue time per request, the prometheus-adapter rule, a kustomization, and
      the KServe alternative under kserve/`;

const text = { type: 'string' } as const;

/** parseArgs option declarations (besides --out, which build shares). */
export const deployOptionNames = {
  name: text,
  namespace: text,
  image: text,
  'image-pull-policy': text,
  replicas: text,
  'cpu-request': text,
  'cpu-limit': text,
  'memory-request': text,
  'memory-limit': text,
  gpus: text,
  'shm-size': text,
  'min-replicas': text,
  'max-replicas': text,
  'target-queue-us': text,
  'queue-metric-name': text,
  'no-autoscaling': { type: 'boolean' },
  'run-as-user': text,
  'startup-seconds': text,
  'drain-seconds': text,
  'exit-timeout-secs': text,
  'container-command': text,
  'container-args': text,
  'kserve-storage-uri': text,
} as const;

export class CliValueError extends Error {}

type FlagValues = Readonly<Record<string, string | boolean | undefined>>;

function integer(values: FlagValues, flag: string): number | undefined {
  const value = values[flag];
  if (typeof value !== 'string') return undefined;
  if (!/^-?\d+$/.test(value)) throw new CliValueError(`--${flag}: expected an integer, got '${value}'`);
  return Number(value);
}

function string(values: FlagValues, flag: string): string | undefined {
  const value = values[flag];
  return typeof value === 'string' ? value : undefined;
}

function stringList(values: FlagValues, flag: string): string[] | undefined {
  const value = string(values, flag);
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new CliValueError(`--${flag}: expected a JSON list of strings, e.g. '["--model-repository=/models"]'`);
  }
  if (!Array.isArray(parsed) || !parsed.every((item): item is string => typeof item === 'string')) {
    throw new CliValueError(`--${flag}: expected a JSON list of strings`);
  }
  return parsed;
}

/** Drops the keys whose value is undefined (the schema's defaults apply; exactOptionalPropertyTypes forbids explicit undefined). */
function defined<T extends object>(object: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

export function deployOptionsFromArgs(repositoryDir: string, values: FlagValues): DeployOptionsInput {
  return {
    repositoryDir,
    outDir: string(values, 'out') ?? 'deploy/kubernetes',
    ...defined({
      name: string(values, 'name'),
      namespace: string(values, 'namespace'),
      image: string(values, 'image'),
      imagePullPolicy: string(values, 'image-pull-policy') as DeployOptionsInput['imagePullPolicy'],
      replicas: integer(values, 'replicas'),
      runAsUser: integer(values, 'run-as-user'),
      startupSeconds: integer(values, 'startup-seconds'),
      command: stringList(values, 'container-command'),
      args: stringList(values, 'container-args'),
      kserveStorageUri: string(values, 'kserve-storage-uri'),
    }),
    resources: defined({
      cpuRequest: string(values, 'cpu-request'),
      cpuLimit: string(values, 'cpu-limit'),
      memoryRequest: string(values, 'memory-request'),
      memoryLimit: string(values, 'memory-limit'),
      gpus: integer(values, 'gpus'),
      sharedMemory: string(values, 'shm-size'),
    }),
    autoscaling: defined({
      enabled: values['no-autoscaling'] === true ? false : undefined,
      minReplicas: integer(values, 'min-replicas'),
      maxReplicas: integer(values, 'max-replicas'),
      targetQueueMicroseconds: integer(values, 'target-queue-us'),
      metricName: string(values, 'queue-metric-name'),
    }),
    termination: defined({
      drainSeconds: integer(values, 'drain-seconds'),
      exitTimeoutSeconds: integer(values, 'exit-timeout-secs'),
    }),
  };
}
