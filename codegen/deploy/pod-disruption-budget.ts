// The PodDisruptionBudget: voluntary disruptions (node drains, upgrades)
// evict at most one pod at a time.
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { ObjectNames } from './labels.js';

export function buildPodDisruptionBudget(names: ObjectNames): PodDisruptionBudget {
  return new PodDisruptionBudget({
    metadata: { name: names.app, namespace: names.namespace, labels: { ...names.labels } },
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: { ...names.selector } },
      // A pod that never became ready (a bad rollout) may be evicted even when the budget is spent.
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
    },
  });
}
