import { Environment } from '../../config/schema';
import { API } from '../api/constants';
import { DatastoreMonitoring, datastoreMonitoring } from './datastore-monitoring';
import { bucketLabel } from './metrics';
import { ALERT_THRESHOLDS, AlertThresholds } from './thresholds';

/** What rules, dashboard and runbooks need to know about one environment. */
export interface MonitoringContext {
  readonly namespace: string;
  /** The `job` label of the API's series: the ServiceMonitor leaves it at the Service name. */
  readonly job: string;
  /** Deployment, HPA and container names, as kube-state-metrics labels them. */
  readonly deployment: string;
  readonly hpa: string;
  readonly container: string;
  /** Regex of the names of the Deployment's pods, and of no other pod (see podNamePattern). */
  readonly pods: string;
  /** Label matchers (without braces) that select the API's own series in this environment. */
  readonly api: string;
  readonly dailyBudgetUsd: number;
  readonly availability: Slo;
  readonly latency: Slo & { readonly thresholdSeconds: number; readonly le: string };
  readonly runbookBaseUrl: string;
  /** The alert catalog's fixed thresholds (ALERT_THRESHOLDS; a test may render with others). */
  readonly thresholds: AlertThresholds;
  /** The datastores monitored from this namespace (exporters), if any. */
  readonly datastores: DatastoreMonitoring;
}

/** An SLO: objective in percent, and the error budget as a fraction (99.5 → 0.005). */
export interface Slo {
  readonly objectivePercent: number;
  readonly budget: number;
}

export function monitoringContext(env: Environment): MonitoringContext {
  const { monitoring } = env;
  const job = API.name;
  return {
    namespace: env.namespace,
    job,
    deployment: API.name,
    hpa: API.name,
    container: 'api',
    pods: podNamePattern(API.name),
    api: `job="${job}",namespace="${env.namespace}"`,
    dailyBudgetUsd: monitoring.dailyRerankingBudgetUsd,
    availability: slo(monitoring.slo.availabilityPercent),
    latency: {
      ...slo(monitoring.slo.latencyPercent),
      thresholdSeconds: monitoring.slo.latencyThresholdSeconds,
      le: bucketLabel(monitoring.slo.latencyThresholdSeconds),
    },
    runbookBaseUrl: monitoring.runbookBaseUrl,
    thresholds: ALERT_THRESHOLDS,
    datastores: datastoreMonitoring(env),
  };
}

function slo(objectivePercent: number): Slo {
  return { objectivePercent, budget: round((100 - objectivePercent) / 100) };
}

/** A number as PromQL text without float noise (0.1 + 0.2 → 0.3). */
export function round(n: number): number {
  return Number(n.toPrecision(12));
}

/**
 * Names of the pods of a Deployment: `<deployment>-<pod-template-hash>-<suffix>`.
 * Both generated parts use Kubernetes' vowel-free alphabet, so a Job pod such
 * as `<deployment>-migrate-x7k2b` ("migrate" has vowels) does not match.
 */
export function podNamePattern(deployment: string): string {
  const safe = '[bcdfghjklmnpqrstvwxz2456789]';
  return `${deployment}-${safe}{1,10}-${safe}{5}`;
}
