import { MonitoringContext } from '../monitoring/context';
import { METRICS } from '../monitoring/metrics';
import { UNLEVELLED_SEVERITY_LEVEL } from '../monitoring/routing-policy';
import { replicaQueries } from '../monitoring/replicas';

/** Severities that notify someone (ours, and the cluster's rules by severity): `info` alerts such as kube-prometheus-stack's CPUThrottlingHigh and its InfoInhibitor do not. */
export const NOTIFYING_SEVERITIES = Object.keys(UNLEVELLED_SEVERITY_LEVEL);

/**
 * The PromQL of `npm run verify`, from the monitoring model (metric catalog,
 * selectors of the environment). `window` is a PromQL duration such as "3600s".
 */
export function reviewQueries(ctx: MonitoringContext) {
  const requests = `${METRICS.searchRequests.name}{${ctx.api}}`;
  const errors = `${METRICS.searchRequests.name}{${ctx.api},status="error"}`;
  const buckets = `${METRICS.searchLatency.name}_bucket{${ctx.api}}`;
  const cost = `${METRICS.rerankingCost.name}{${ctx.api}}`;
  const replicas = replicaQueries(ctx, ctx.namespace);
  return {
    /** Searches in the window (all pods). */
    searches: (window: string) => `sum(increase(${requests}[${window}]))`,
    /** Failed share of the searches; 0 when the error series does not exist yet (the API creates it at its first error). */
    errorRatio: (window: string) => `(sum(increase(${errors}[${window}])) or vector(0)) / sum(increase(${requests}[${window}]))`,
    /** A quantile of search latency over the window, all pods (0.95: P95). */
    latency: (quantile: number, window: string) => `histogram_quantile(${quantile}, sum by (le) (increase(${buckets}[${window}])))`,
    /** Searches per second, averaged over the window. */
    traffic: (window: string) => `sum(rate(${requests}[${window}]))`,
    /** Searches with reranking on in the window (the histogram's count; reranking_enabled is Python's str(bool)). */
    rerankedSearches: (window: string) => `sum(increase(${METRICS.searchLatency.name}_count{${ctx.api},reranking_enabled="True"}[${window}]))`,
    /** Reranking spend in the window, USD. */
    cost: (window: string) => `sum(increase(${cost}[${window}]))`,
    /** Series of the cost counter (does cost tracking report?). */
    costSeries: () => `count(${cost})`,
    /** Scrape targets of a job in the namespace, and how many are up. */
    targets: (job: string) => `count(up{job="${job}",namespace="${ctx.namespace}"})`,
    targetsUp: (job: string) => `count(up{job="${job}",namespace="${ctx.namespace}"} == 1)`,
    /** Replicas the HPA wants, API pods ready, and API pods not ready (kube-state-metrics; Deployment or canary Rollout alike, see lib/monitoring/replicas.ts). */
    replicasWanted: () => replicas.wanted,
    replicasReady: () => replicas.ready,
    podsNotReady: () => `sum(${replicas.notReadyPods}) or vector(0)`,
    /** Series of one name in the environment (metrics reporting). */
    seriesOf: (name: string) => `count(${name}{${ctx.api}})`,
    /** Alerts of the namespace that fired at some point in the window, by name. */
    firedAlerts: (window: string) =>
      `count by (alertname) (max_over_time(ALERTS{namespace="${ctx.namespace}",alertstate="firing",severity=~"${NOTIFYING_SEVERITIES.join('|')}"}[${window}]))`,
  };
}
