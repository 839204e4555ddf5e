/**
 * The catalog of what the API exports on /metrics (seed: app/monitoring/metrics.py),
 * and of the few cluster metrics (kube-state-metrics, cAdvisor, Prometheus) the
 * rules and the dashboard also read. Rules, dashboard and tests all read this:
 * a query on a metric that is not listed here fails a test.
 */

/** Prometheus metric types, as prometheus_client declares them. */
export type MetricType = 'counter' | 'gauge' | 'histogram';

/** One metric family of the API. */
export interface MetricSpec {
  readonly name: string;
  readonly type: MetricType;
  /** Labels the application sets (the ServiceMonitor adds job, namespace, pod, instance, …). */
  readonly labels: readonly string[];
  /** Unit of the value, for panels and descriptions. */
  readonly unit: 'requests' | 'seconds' | 'USD' | 'ratio' | 'searches';
  readonly help: string;
}

/**
 * Bucket boundaries (`le`) of search_latency_seconds. The seed declares the
 * histogram without `buckets=`, so prometheus_client uses its defaults:
 * 5ms … 10s. There is no 2s boundary.
 */
export const LATENCY_BUCKETS = ['0.005', '0.01', '0.025', '0.05', '0.075', '0.1', '0.25', '0.5', '0.75', '1.0', '2.5', '5.0', '7.5', '10.0', '+Inf'] as const;

/**
 * Boundaries an SLO threshold may use: those whose `le` text is the same whether
 * written by prometheus_client ("1.0") or normalised by Prometheus 3 ("1"), so a
 * `le="…"` matcher keeps working across a Prometheus upgrade.
 */
export const SLO_LATENCY_THRESHOLDS: readonly number[] = LATENCY_BUCKETS.filter((le) => le !== '+Inf' && String(Number(le)) === le).map(Number);

/** The `le` label value of a bucket boundary. */
export function bucketLabel(seconds: number): string {
  const label = LATENCY_BUCKETS.find((le) => le !== '+Inf' && Number(le) === seconds);
  if (label === undefined) throw new Error(`${seconds}s is not a bucket boundary of search_latency_seconds (${LATENCY_BUCKETS.join(', ')})`);
  return label;
}

export const METRICS = {
  searchRequests: {
    name: 'search_requests_total',
    type: 'counter',
    labels: ['search_mode', 'version', 'status'],
    unit: 'requests',
    help: 'Searches served, by mode, API version and outcome (status "success" or "error").',
  },
  searchLatency: {
    name: 'search_latency_seconds',
    type: 'histogram',
    labels: ['search_mode', 'reranking_enabled'],
    unit: 'seconds',
    help: 'Search duration, success or error. reranking_enabled is Python\'s str(bool): "True" or "False".',
  },
  rerankingCost: {
    name: 'reranking_cost_dollars_total',
    type: 'counter',
    labels: [],
    unit: 'USD',
    help: 'LLM reranking spend in US dollars since the process started.',
  },
  cacheHitRate: {
    name: 'cache_hit_rate',
    type: 'gauge',
    labels: [],
    unit: 'ratio',
    help: 'Share of searches answered from the cache (0..1), per pod.',
  },
  activeSearches: {
    name: 'active_searches',
    type: 'gauge',
    labels: [],
    unit: 'searches',
    help: 'Searches in progress in this pod.',
  },
} as const satisfies Record<string, MetricSpec>;

/** The series names a metric family exposes (a histogram has _bucket, _sum, _count). */
export function seriesNames(metric: MetricSpec): string[] {
  return metric.type === 'histogram' ? [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`] : [metric.name];
}

/** Metrics of other exporters that rules and panels may read, by source. */
const CLUSTER_METRICS = {
  /** `ALERTS` is Prometheus' own series of pending and firing alerts, with their labels. */
  prometheus: ['up', 'ALERTS'],
  // Exported by default, STABLE (kube-state-metrics docs/metrics/workload/pod-metrics.md, horizontalpodautoscaler-metrics.md).
  // No Deployment replica series: under a canary the Deployment sits at 0 and the Rollout owns the pods (lib/monitoring/replicas.ts).
  'kube-state-metrics': [
    'kube_pod_container_status_waiting_reason',
    'kube_pod_status_ready',
    'kube_pod_status_phase',
    'kube_horizontalpodautoscaler_status_current_replicas',
    'kube_horizontalpodautoscaler_status_desired_replicas',
    'kube_horizontalpodautoscaler_spec_min_replicas',
    'kube_horizontalpodautoscaler_spec_max_replicas',
  ],
  cAdvisor: ['container_cpu_usage_seconds_total', 'container_memory_working_set_bytes'],
} as const;

/**
 * Series of the datastore exporters and of kube-state-metrics' CronJob
 * metrics that the datastore alerts and dashboard row read (names as
 * postgres_exporter 0.15, redis_exporter 1.62 and kube-state-metrics v2 export them).
 */
export const DATASTORE_METRICS = {
  postgresql: { up: 'pg_up', connections: 'pg_stat_activity_count', maxConnections: 'pg_settings_max_connections' },
  redis: { up: 'redis_up', memoryUsed: 'redis_memory_used_bytes', memoryMax: 'redis_memory_max_bytes', evictions: 'redis_evicted_keys_total', clients: 'redis_connected_clients' },
  backup: { lastSuccess: 'kube_cronjob_status_last_successful_time', created: 'kube_cronjob_created' },
} as const;

/** Every series name a query may select, API and cluster alike. */
export function knownSeries(): Set<string> {
  return new Set([
    ...Object.values(METRICS).flatMap((m) => seriesNames(m)),
    ...Object.values(CLUSTER_METRICS).flat(),
    ...Object.values(DATASTORE_METRICS).flatMap((m) => Object.values(m)),
  ]);
}
