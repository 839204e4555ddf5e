/**
 * The limits of an AnalysisTemplate metric that Argo Rollouts checks before it
 * runs one (argo-rollouts utils/analysis/factory.go ValidateMetric, called by
 * analysis/analysis.go on every AnalysisRun). A refused metric makes the run an
 * Error ("Analysis spec invalid") and the rollout aborts, on every release.
 * The config (gate settings) and `npm run validate` (`analysis-metric-spec`,
 * every rendered template) both ask this function.
 */

/** The judged fields; an absent limit is 0, as in the controller. */
export interface MetricLimits {
  readonly count: number;
  readonly failureLimit: number;
  readonly inconclusiveLimit: number;
  readonly consecutiveSuccessLimit: number;
  readonly consecutiveErrorLimit: number;
  readonly hasInterval: boolean;
}

export type LimitField = Exclude<keyof MetricLimits, 'hasInterval'> | 'interval';

/** What Argo Rollouts refuses: `field` is where to look, `text` says why (e.g. "count 3 is less than …"). */
export interface LimitProblem {
  readonly field: LimitField;
  readonly text: string;
  /** The least `count` that would do, when the count is the problem. */
  readonly atLeast?: number;
}

export const METRIC_REFUSED = 'Argo Rollouts refuses the metric (utils/analysis/factory.go ValidateMetric), the AnalysisRun is an Error and the rollout aborts';

/** The first limit ValidateMetric refuses, in its order; `names` words the fields (e.g. the config's keys). */
export function metricLimitsProblem(m: MetricLimits, names: Partial<Record<LimitField, string>> = {}): LimitProblem | undefined {
  const n = (field: LimitField) => names[field] ?? field;
  const { count, failureLimit, inconclusiveLimit, consecutiveSuccessLimit: successLimit, consecutiveErrorLimit: errorLimit } = m;
  if (successLimit < 0) return { field: 'consecutiveSuccessLimit', text: `${n('consecutiveSuccessLimit')} ${successLimit} is negative` };
  if (failureLimit < -1) return { field: 'failureLimit', text: `${n('failureLimit')} ${failureLimit} is less than -1 (-1 disables it)` };
  if (successLimit === 0 && failureLimit === -1) {
    return { field: 'failureLimit', text: `${n('failureLimit')} -1 and no ${n('consecutiveSuccessLimit')}: both are disabled, nothing could end the metric` };
  }
  if (inconclusiveLimit < 0) return { field: 'inconclusiveLimit', text: `${n('inconclusiveLimit')} ${inconclusiveLimit} is negative` };
  if (errorLimit < 0) return { field: 'consecutiveErrorLimit', text: `${n('consecutiveErrorLimit')} ${errorLimit} is negative` };
  if (count > 0) {
    const less = (what: string, least: number) => ({ field: 'count' as const, text: `${n('count')} ${count} is less than ${what}`, atLeast: least });
    if (failureLimit >= 0 && count < failureLimit + successLimit) {
      return less(`${n('failureLimit')} + ${n('consecutiveSuccessLimit')} (${failureLimit} + ${successLimit})`, failureLimit + successLimit);
    }
    if (failureLimit < 0 && count < successLimit) return less(`${n('consecutiveSuccessLimit')} ${successLimit}`, successLimit);
    if (count < inconclusiveLimit) return less(`${n('inconclusiveLimit')} ${inconclusiveLimit}`, inconclusiveLimit);
  }
  if (count > 1 && !m.hasInterval) return { field: 'interval', text: `${n('count')} ${count} without an ${n('interval')}` };
  return undefined;
}
