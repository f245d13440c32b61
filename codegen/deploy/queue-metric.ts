// The autoscaling signal: Triton's mean queue time per request, per pod.
//
//   queue time per request = rate(nv_inference_queue_duration_us) / rate(nv_inference_request_success)
//
// Both are counters Triton exports per model (labels `model`, `version`):
// the first sums the microseconds successful requests waited in the
// scheduler's queue, the second counts those requests. Summed over the
// repository's models per pod and divided, it is how long a request waited
// on average over the rate window: it grows as soon as the instances are
// saturated, before latency or CPU say so, and it does not depend on the
// request mix the way requests per second does.
import type { DeployOptions } from './options.js';
import type { ServedModel } from './model-repository.js';

export const tritonMetrics = {
  queueDuration: 'nv_inference_queue_duration_us',
  requestSuccess: 'nv_inference_request_success',
  /** The label Triton puts the model's name in. */
  modelLabel: 'model',
} as const;

export function queueMetricName(options: DeployOptions): string {
  return options.autoscaling.metricName ?? `${options.name.replace(/-/g, '_')}_queue_us_per_request`;
}

/** A PromQL regex matching exactly the repository's models. */
export function modelMatcher(models: readonly ServedModel[]): string {
  const escaped = models.map((model) => model.name.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&'));
  return `${tritonMetrics.modelLabel}=~"${escaped.join('|')}"`;
}
