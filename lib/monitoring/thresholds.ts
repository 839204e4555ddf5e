/**
 * The fixed thresholds of the alert catalog (lib/monitoring/alerts.ts,
 * datastore-alerts.ts), named once. Alert expressions, summaries and
 * descriptions, runbooks, dashboard panels and `npm run verify` read them from
 * the monitoring context (`MonitoringContext.thresholds`), never as literals,
 * so a test can render everything with other values. What an environment may
 * configure (the daily reranking budget, the SLOs, the backup age) comes from
 * its file instead (config/schema.ts).
 */
export interface AlertThresholds {
  /** HighLatency: this quantile of search latency over all pods is above `seconds` (SPEC-404: P95 above 2000 ms). */
  readonly latency: { readonly quantile: number; readonly seconds: number };
  /** HighErrorRate: failed share of all searches above this (SPEC-404: 5 %). */
  readonly errorRatio: number;
  /** LowCacheHitRate: cache hit rate averaged over the pods below this (SPEC-404: 50 %). */
  readonly cacheHitRate: number;
  /** OdooFinderTargetDown: share of the API's scrape targets down above this. */
  readonly targetsDown: number;
  /** PostgresqlTooManyConnections: share of max_connections in use above this. */
  readonly postgresqlConnections: number;
  /** RedisMemoryNearLimit: share of maxmemory in use above this. */
  readonly redisMemory: number;
}

export const ALERT_THRESHOLDS: AlertThresholds = {
  latency: { quantile: 0.95, seconds: 2 },
  errorRatio: 0.05,
  cacheHitRate: 0.5,
  targetsDown: 0.1,
  postgresqlConnections: 0.8,
  redisMemory: 0.9,
};

/**
 * The windows of the alerts whose panels draw their threshold: HighErrorRate
 * and HighLatency rate over `rate`; LowCacheHitRate holds only while there was
 * traffic in `cacheTraffic`. The panels read the same windows, so a line
 * crosses the threshold exactly when the rule does (Grafana's
 * $__rate_interval is shorter: 4 scrapes).
 */
export const ALERT_WINDOWS = { rate: '5m', cacheTraffic: '10m' } as const;

/** A share as a percentage without float noise: 0.05 → 5, 0.07 → 7 (not 7.000000000000001). */
export function percentOf(share: number): number {
  return Number((share * 100).toPrecision(12));
}

/** `P95` for the quantile 0.95. */
export function percentileName(quantile: number): string {
  return `P${percentOf(quantile)}`;
}
