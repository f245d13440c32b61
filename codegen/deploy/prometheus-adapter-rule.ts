// The prometheus-adapter rule that publishes the queue metric in the custom
// metrics API (custom.metrics.k8s.io) for the HorizontalPodAutoscaler.
// Written as the adapter's own config format (`rules:`); the Helm chart of
// prometheus-adapter takes the same list under `rules.custom`.
import { z } from 'zod';
import type { ServedModel } from './model-repository.js';
import type { DeployOptions } from './options.js';
import { modelMatcher, queueMetricName, tritonMetrics } from './queue-metric.js';

export const adapterRuleSchema = z.strictObject({
  seriesQuery: z.string().min(1),
  resources: z.strictObject({
    overrides: z.record(z.string(), z.strictObject({ resource: z.string() })),
  }),
  name: z.strictObject({ matches: z.string(), as: z.string() }),
  metricsQuery: z.string().min(1),
});
export type AdapterRule = z.infer<typeof adapterRuleSchema>;

export const adapterRulesSchema = z.strictObject({ rules: z.array(adapterRuleSchema).min(1) });
export type AdapterRules = z.infer<typeof adapterRulesSchema>;

export function buildAdapterRules(options: DeployOptions, models: readonly ServedModel[]): AdapterRules {
  const models_ = modelMatcher(models);
  const window = options.autoscaling.rateWindow;
  // <<.LabelMatchers>> is what the adapter fills in per request (namespace, pod=~...);
  // <<.GroupBy>> is `pod` (and namespace): one value per pod.
  const sumRate = (metric: string) => `sum by (<<.GroupBy>>) (rate(${metric}{<<.LabelMatchers>>,${models_}}[${window}]))`;
  const queue = sumRate(tritonMetrics.queueDuration);
  const served = sumRate(tritonMetrics.requestSuccess);
  // `served > 0` drops idle pods from the division (0/0 would be NaN); `or queue * 0` gives them 0.
  const metricsQuery = `(${queue} / (${served} > 0)) or (${queue} * 0)`;
  return adapterRulesSchema.parse({
    rules: [
      {
        seriesQuery: `${tritonMetrics.queueDuration}{namespace!="",pod!="",${models_}}`,
        resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
        name: { matches: `^${tritonMetrics.queueDuration}$`, as: queueMetricName(options) },
        metricsQuery,
      },
    ],
  });
}
