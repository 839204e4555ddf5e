import { MonitoringContext, round } from './context';
import { METRICS } from './metrics';
import { PAGE_BURN, SliName, TICKET_BURN } from './slo';

/**
 * The canary's SLO analysis, generated from the same SLO catalog as the
 * burn-rate alerts (slo.ts). Argo Rollouts runs each query against Prometheus
 * and judges the result with the success and failure conditions below.
 */

/** Label Argo Rollouts puts on every pod of a Rollout's ReplicaSet (argo-rollouts pkg/apis/rollouts/v1alpha1 DefaultRolloutUniqueLabelKey). */
export const ROLLOUT_HASH_LABEL = 'rollouts-pod-template-hash';

/**
 * The same label on the scraped series. The ServiceMonitor copies it from the
 * pod with `podTargetLabels`; prometheus-operator names the target label
 * `sanitizeLabelName(label)`, every character outside [a-zA-Z0-9_] becoming
 * "_" (prometheus-operator pkg/prometheus/promcfg.go, "Relabel targetLabels from Pod onto target").
 */
export const ROLLOUT_HASH_SERIES_LABEL = prometheusLabelName(ROLLOUT_HASH_LABEL);

/** The AnalysisTemplate argument holding the canary's pod template hash (`valueFrom.podTemplateHashValue: Latest`). */
export const CANARY_HASH_ARG = 'canary-hash';

/**
 * Burn rates, in multiples of the error budget, that judge a canary. Named
 * once, from the alerts' burn conditions:
 * - pass: no faster than the slowest ticket condition (1x): the canary keeps its SLO;
 * - fail: faster than the lowest fast-burn condition (6x): were the whole service
 *   like the canary, a P2 fast-burn alert would fire, so the rollout aborts by itself.
 * In between (a ticket-level burn) the measurement is inconclusive: a person decides.
 */
export const CANARY_BURN = {
  pass: Math.min(...TICKET_BURN.map((b) => b.factor)),
  fail: Math.min(...PAGE_BURN.map((b) => b.factor)),
} as const;

/** How a canary's SLI is measured. */
export interface CanaryMeasurement {
  /** Rate window of the query, e.g. `5m`. */
  readonly window: string;
  /** Fewer searches than this in the window: no result, the measurement is inconclusive. */
  readonly minRequests: number;
}

/** One SLI of the canary as an Argo Rollouts metric: query and conditions. */
export interface CanarySli {
  readonly name: string;
  readonly sli: SliName;
  /** PromQL with the `{{args.canary-hash}}` placeholder. */
  readonly query: string;
  /** expr-lang conditions on the query result (`result` is a list of floats, Prometheus provider). */
  readonly successCondition: string;
  readonly failureCondition: string;
  /** Error ratios at and above which a measurement fails, and at or under which it passes. */
  readonly passAtMost: number;
  readonly failAbove: number;
}

/** The error-ratio thresholds of an SLI: budget × CANARY_BURN. */
export function canaryThresholds(ctx: MonitoringContext, sli: SliName): { passAtMost: number; failAbove: number } {
  const budget = ctx[sli].budget;
  return { passAtMost: round(CANARY_BURN.pass * budget), failAbove: round(CANARY_BURN.fail * budget) };
}

/**
 * The error ratio of an SLI over the canary's pods only, or nothing when they
 * served fewer than `minRequests` searches in the window.
 *
 * An empty result matters: Argo Rollouts gives the conditions an empty list,
 * and `len(result) > 0 && …` is then false for both, so the measurement is
 * Inconclusive (argo-rollouts utils/evaluate/evaluate.go EvaluateResult; docs
 * features/analysis.md "Empty array"). `result[0]` alone would be an error instead.
 */
function canarySliQuery(ctx: MonitoringContext, sli: SliName, m: CanaryMeasurement): string {
  const canary = `${ctx.api},${ROLLOUT_HASH_SERIES_LABEL}="{{args.${CANARY_HASH_ARG}}}"`;
  if (sli === 'availability') {
    const total = METRICS.searchRequests.name;
    // No error yet means no error series at all (prometheus_client creates a labelled child on first use): count it as 0.
    return (
      `(\n  (\n    sum(rate(${total}{${canary},status="error"}[${m.window}]))\n    or vector(0)\n  )\n  /\n  sum(rate(${total}{${canary}}[${m.window}]))\n)\n` +
      `and\nsum(increase(${total}{${canary}}[${m.window}])) >= ${m.minRequests}`
    );
  }
  const latency = METRICS.searchLatency.name;
  return (
    `(\n  1 - (\n    sum(rate(${latency}_bucket{${canary},le="${ctx.latency.le}"}[${m.window}]))\n    /\n    sum(rate(${latency}_count{${canary}}[${m.window}]))\n  )\n)\n` +
    `and\nsum(increase(${latency}_count{${canary}}[${m.window}])) >= ${m.minRequests}`
  );
}

/** Both SLIs of the canary, with conditions at the CANARY_BURN thresholds. */
export function canarySlis(ctx: MonitoringContext, m: CanaryMeasurement): CanarySli[] {
  return (['availability', 'latency'] as const).map((sli) => {
    const { passAtMost, failAbove } = canaryThresholds(ctx, sli);
    return {
      name: sli === 'availability' ? 'error-ratio' : 'slow-ratio',
      sli,
      query: canarySliQuery(ctx, sli, m),
      successCondition: `len(result) > 0 && result[0] <= ${passAtMost}`,
      failureCondition: `len(result) > 0 && result[0] > ${failAbove}`,
      passAtMost,
      failAbove,
    };
  });
}

/** A Kubernetes label name as a Prometheus label name (prometheus-operator sanitizeLabelName). */
function prometheusLabelName(label: string): string {
  return label.replace(/[^a-zA-Z0-9_]/g, '_');
}
