import { MetricLimits, metricLimitsProblem } from '../../lib/delivery/analysis-metric-limits';

/**
 * The port of Argo Rollouts' ValidateMetric judged by upstream's own cases:
 * argo-rollouts utils/analysis/factory_test.go TestValidateMetrics, each
 * limits case with its inputs and upstream's verdict (the provider, name and
 * duration-string cases are not limits). Absent fields are 0, as there.
 */
const metric = (m: Partial<MetricLimits>): MetricLimits => ({ count: 0, failureLimit: 0, inconclusiveLimit: 0, consecutiveSuccessLimit: 0, consecutiveErrorLimit: 0, hasInterval: false, ...m });

const UPSTREAM: Array<[string, Partial<MetricLimits>, string | undefined]> = [
  ['count >= failureLimit + consecutiveSuccessLimit: count 1, failureLimit 2', { count: 1, failureLimit: 2 }, 'count'],
  ['… count 0 (unset)', { count: 0, failureLimit: 2 }, undefined],
  ['count must be >= inconclusiveLimit: count 1, inconclusiveLimit 2', { count: 1, inconclusiveLimit: 2 }, 'count'],
  ['… count 0 (unset)', { count: 0, inconclusiveLimit: 2 }, undefined],
  ['Validate metric: count 2, interval 60s, failureLimit 2', { count: 2, failureLimit: 2, hasInterval: true }, undefined],
  ['interval set when count > 1: count 2', { count: 2 }, 'interval'],
  ['failureLimit >= -1: -2', { failureLimit: -2 }, 'failureLimit'],
  ['inconclusiveLimit >= 0: -1', { inconclusiveLimit: -1 }, 'inconclusiveLimit'],
  ['consecutiveErrorLimit >= 0: -1', { consecutiveErrorLimit: -1 }, 'consecutiveErrorLimit'],
  ['consecutiveSuccessLimit >= 0: -1', { consecutiveSuccessLimit: -1 }, 'consecutiveSuccessLimit'],
  ['consecutiveSuccessLimit and failureLimit not both disabled: 0 and -1', { consecutiveSuccessLimit: 0, failureLimit: -1 }, 'failureLimit'],
];

describe("metricLimitsProblem agrees with upstream's TestValidateMetrics", () => {
  it.each(UPSTREAM)('%s', (_case, limits, refusedAt) => {
    expect(metricLimitsProblem(metric(limits))?.field).toBe(refusedAt);
  });
});
