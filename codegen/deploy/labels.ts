// Names and labels shared by every object of one deployment. The selector
// labels stay fixed for the Deployment's life (a Deployment's selector is
// immutable); the rest describe the objects.
import type { DeployOptions } from './options.js';

export interface ObjectNames {
  readonly namespace: string;
  /** Deployment, HTTP/gRPC Service, PodDisruptionBudget, HorizontalPodAutoscaler. */
  readonly app: string;
  readonly metricsService: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  /** Labels of the metrics Service only: what the ServiceMonitor selects. */
  readonly metricsLabels: Readonly<Record<string, string>>;
}

export function objectNames(options: DeployOptions): ObjectNames {
  const selector = { 'app.kubernetes.io/name': 'faster-bert', 'app.kubernetes.io/instance': options.name };
  const labels = { ...selector, 'app.kubernetes.io/component': 'inference-server', 'app.kubernetes.io/managed-by': 'faster-bert-codegen' };
  return {
    namespace: options.namespace,
    app: options.name,
    metricsService: `${options.name}-metrics`,
    selector,
    labels,
    metricsLabels: { ...labels, 'faster-bert/metrics': 'triton' },
  };
}
