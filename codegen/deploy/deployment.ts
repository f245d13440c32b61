// The Deployment: tritonserver pods serving the image's model repository.
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { containerName, gpuResource, tritonContainer, tritonVolumes } from './container.js';
import type { ObjectNames } from './labels.js';
import type { DeployOptions } from './options.js';
import { terminationGracePeriodSeconds } from './tritonserver-args.js';

export function buildDeployment(options: DeployOptions, names: ObjectNames, usesGpu: boolean): Deployment {
  return new Deployment({
    metadata: { name: names.app, namespace: names.namespace, labels: { ...names.labels } },
    spec: {
      // With an autoscaler the replica count is the HPA's: leaving it out here
      // keeps `kubectl apply` of these files from resetting it on every deploy.
      ...(options.autoscaling.enabled ? {} : { replicas: options.replicas }),
      selector: { matchLabels: { ...names.selector } },
      // A new pod must be ready before an old one goes: capacity never drops during a rollout.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { ...names.labels } },
        spec: {
          terminationGracePeriodSeconds: terminationGracePeriodSeconds(options),
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: options.runAsUser,
            runAsGroup: options.runAsUser,
            fsGroup: options.runAsUser,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [tritonContainer(options, { name: containerName, usesGpu })],
          volumes: tritonVolumes(options),
          // Replicas on different nodes when the cluster has room: one node's loss takes fewer of them.
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...names.selector } } },
          ],
          // GPU node pools are commonly tainted so that only GPU workloads land there.
          ...(usesGpu ? { tolerations: [{ key: gpuResource, operator: 'Exists', effect: 'NoSchedule' }] } : {}),
        },
      },
    },
  });
}
