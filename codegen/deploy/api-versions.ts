// The apiVersions the generated manifests may use, each served by every
// Kubernetes release from 1.30 on (none deprecated or removed there). Checked
// by the writer: a builder that reached for e.g. autoscaling/v2beta2 (removed
// in 1.26) fails generation instead of failing at `kubectl apply`.
export const builtInApiVersions = ['v1', 'apps/v1', 'policy/v1', 'autoscaling/v2'] as const;

/** Custom resources: their CRDs come with prometheus-operator and KServe, not with Kubernetes. */
export const customResourceApiVersions = {
  ServiceMonitor: 'monitoring.coreos.com/v1',
  ServingRuntime: 'serving.kserve.io/v1alpha1',
  InferenceService: 'serving.kserve.io/v1beta1',
} as const;

/** kustomize's own file (read by kubectl apply -k, never sent to the API server). */
export const kustomizationApiVersion = 'kustomize.config.k8s.io/v1beta1';

const allowed = new Map<string, string>([
  ...builtInApiVersions.map((apiVersion) => [apiVersion, '*'] as const),
  ...Object.entries(customResourceApiVersions).map(([kind, apiVersion]) => [apiVersion, kind] as const),
]);

export class ApiVersionError extends Error {}

export function checkApiVersion(apiVersion: string, kind: string): void {
  const kinds = allowed.get(apiVersion);
  if (kinds === undefined || (kinds !== '*' && kinds !== kind)) {
    throw new ApiVersionError(`${kind} with apiVersion ${apiVersion}: not one the manifests may use (${[...allowed.keys()].join(', ')})`);
  }
}
