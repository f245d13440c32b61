// The ServiceMonitor (prometheus-operator) that scrapes Triton's metrics
// port through the metrics Service. Prometheus attaches `namespace` and `pod`
// labels to every series: the adapter rule keys the per-pod metric on them.
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { ObjectNames } from './labels.js';

export const scrapeInterval = '15s';

export function buildServiceMonitor(names: ObjectNames): ServiceMonitor {
  return new ServiceMonitor({
    metadata: { name: names.app, namespace: names.namespace, labels: { ...names.labels } },
    spec: {
      selector: { matchLabels: { ...names.metricsLabels } },
      namespaceSelector: { matchNames: [names.namespace] },
      endpoints: [{ port: 'metrics', path: '/metrics', interval: scrapeInterval, scheme: 'http' }],
    },
  });
}
