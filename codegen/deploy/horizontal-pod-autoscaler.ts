// The HorizontalPodAutoscaler (autoscaling/v2; v2beta2 was removed in
// Kubernetes 1.26): scales the Deployment on the per-pod queue time that the
// prometheus-adapter rule publishes.
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { ObjectNames } from './labels.js';
import type { DeployOptions } from './options.js';
import { queueMetricName } from './queue-metric.js';

export function buildHorizontalPodAutoscaler(options: DeployOptions, names: ObjectNames): HorizontalPodAutoscaler {
  const { autoscaling } = options;
  return new HorizontalPodAutoscaler({
    metadata: { name: names.app, namespace: names.namespace, labels: { ...names.labels } },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: names.app },
      minReplicas: autoscaling.minReplicas,
      maxReplicas: autoscaling.maxReplicas,
      metrics: [
        {
          type: 'Pods',
          pods: {
            metric: { name: queueMetricName(options) },
            // The mean over the pods of their queue time per request, in microseconds.
            target: { type: 'AverageValue', averageValue: String(autoscaling.targetQueueMicroseconds) },
          },
        },
      ],
      behavior: {
        // Queueing means requests already wait: add pods fast, remove them slowly
        // (a new pod only helps after its models load).
        scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }, { type: 'Percent', value: 100, periodSeconds: 60 }] },
        scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }] },
      },
    },
  });
}
