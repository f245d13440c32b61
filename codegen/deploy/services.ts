// Two Services: one for clients (HTTP and gRPC), one for Prometheus (the
// metrics port), so a ServiceMonitor can select the metrics endpoint without
// client traffic ever reaching it.
import { Service } from 'kubernetes-models/v1/Service';
import type { ObjectNames } from './labels.js';
import { ports } from './ports.js';

export function buildInferenceService(names: ObjectNames): Service {
  return new Service({
    metadata: { name: names.app, namespace: names.namespace, labels: { ...names.labels } },
    spec: {
      type: 'ClusterIP',
      selector: { ...names.selector },
      ports: [
        { name: 'http', port: ports.http, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' },
        // kubernetes.io/h2c: gRPC is HTTP/2 without TLS, so proxies and meshes route it as such.
        { name: 'grpc', port: ports.grpc, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' },
      ],
    },
  });
}

export function buildMetricsService(names: ObjectNames): Service {
  return new Service({
    metadata: { name: names.metricsService, namespace: names.namespace, labels: { ...names.metricsLabels } },
    spec: {
      type: 'ClusterIP',
      selector: { ...names.selector },
      ports: [{ name: 'metrics', port: ports.metrics, targetPort: 'metrics', protocol: 'TCP', appProtocol: 'http' }],
    },
  });
}
