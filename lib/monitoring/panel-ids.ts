/**
 * Panel ids, fixed: a link to a panel (`?viewPanel=<id>`) names it by id, so
 * adding or removing a panel must not renumber the others. A new panel takes
 * the next id after the highest here (also above the datastore row's); an id
 * is never reused. Tests pin these ids by title.
 */
export const PANEL_IDS = {
  requests: 1,
  errorRatio: 2,
  latency: 3,
  latencyByMode: 4,
  cacheHitRate: 5,
  dailyCost: 6,
  activeSearches: 7,
  sloBudget: 8,
  replicas: 9,
  cpu: 10,
  memory: 11,
  firingAlerts: 12,
  datastoresRow: 13,
  postgresqlUp: 14,
  postgresqlConnections: 15,
  backupAge: 16,
  redisUp: 17,
  redisMemory: 18,
  redisEvictions: 19,
} as const;
