// The tritonserver container, shared by the Deployment and KServe's
// ServingRuntime: image, args, ports, probes, resources, graceful stop and a
// non-root, no-privilege security context.
import type { IIoK8sApiCoreV1Container } from 'kubernetes-models/v1/Container';
import type { IIoK8sApiCoreV1ResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';
import type { DeployOptions } from './options.js';
import { ports } from './ports.js';
import { tritonProbes } from './probes.js';
import { tritonserverArgs } from './tritonserver-args.js';

export const containerName = 'tritonserver';
export const gpuResource = 'nvidia.com/gpu';

export const volumeNames = { sharedMemory: 'dshm', scratch: 'tmp' } as const;

export function containerResources(options: DeployOptions, usesGpu: boolean): IIoK8sApiCoreV1ResourceRequirements {
  const { resources } = options;
  // Extended resources such as GPUs are set as limits (the request defaults to the limit and may not differ).
  const gpu = usesGpu ? { [gpuResource]: String(resources.gpus) } : {};
  return {
    requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest },
    limits: { cpu: resources.cpuLimit, memory: resources.memoryLimit, ...gpu },
  };
}

export interface ContainerChoices {
  readonly name: string;
  readonly usesGpu: boolean;
  readonly modelRepository?: string;
}

export function tritonContainer(options: DeployOptions, choices: ContainerChoices): IIoK8sApiCoreV1Container {
  return {
    name: choices.name,
    image: options.image,
    imagePullPolicy: options.imagePullPolicy,
    ...(options.command === undefined ? {} : { command: options.command }),
    args: options.args ?? tritonserverArgs(options, choices.modelRepository),
    ports: [
      { name: 'http', containerPort: ports.http, protocol: 'TCP' },
      { name: 'grpc', containerPort: ports.grpc, protocol: 'TCP' },
      { name: 'metrics', containerPort: ports.metrics, protocol: 'TCP' },
    ],
    ...tritonProbes(options.startupSeconds),
    // Kubelet runs preStop before SIGTERM: meanwhile the pod, already out of the
    // endpoints, still answers requests that were routed to it a moment ago.
    // The sleep action needs no shell or sleep binary in the image (Kubernetes >= 1.30).
    ...(options.termination.drainSeconds > 0 ? { lifecycle: { preStop: { sleep: { seconds: options.termination.drainSeconds } } } } : {}),
    resources: containerResources(options, choices.usesGpu),
    securityContext: {
      runAsNonRoot: true,
      runAsUser: options.runAsUser,
      runAsGroup: options.runAsUser,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [
      { name: volumeNames.sharedMemory, mountPath: '/dev/shm' },
      { name: volumeNames.scratch, mountPath: '/tmp' },
    ],
  };
}

export function tritonVolumes(options: DeployOptions): { name: string; emptyDir: { medium?: string; sizeLimit: string } }[] {
  return [
    // Triton and its backends use POSIX shared memory; a container runtime's default /dev/shm is 64 MiB.
    { name: volumeNames.sharedMemory, emptyDir: { medium: 'Memory', sizeLimit: options.resources.sharedMemory } },
    // The root filesystem is read-only; OpenVINO and Triton may write temporary files.
    { name: volumeNames.scratch, emptyDir: { sizeLimit: '1Gi' } },
  ];
}
