import { Fault } from './scenario';

/**
 * The faults `npm run e2e` injects after healthy traffic, and the alerts each
 * must make pending, then firing. Any other alert of the namespace pending or
 * firing during a fault fails the run. A test checks that every alert of the
 * catalog is expected by at least one fault.
 */
export const API_FAULTS: readonly Fault[] = [
  {
    name: 'errors',
    what: '20% of searches fail on every pod',
    apply: (sim) => sim.setTraffic('errors'),
    alerts: ['HighErrorRate', 'OdooFinderAvailabilityBudgetBurnFast', 'OdooFinderAvailabilityBudgetBurnSlow'],
  },
  {
    name: 'slow',
    what: 'every search takes 2.8 to 4.8 s on every pod',
    apply: (sim) => sim.setTraffic('slow'),
    alerts: ['HighLatency', 'OdooFinderLatencyBudgetBurnFast', 'OdooFinderLatencyBudgetBurnSlow'],
  },
  {
    name: 'cost spike',
    what: 'reranking costs $0.25 a search',
    apply: (sim) => sim.setTraffic('cost-spike'),
    alerts: ['DailyCostExceeded'],
  },
  {
    name: 'cache misses',
    what: 'the cache answers 10% of searches',
    apply: (sim) => sim.setTraffic('cache-misses'),
    alerts: ['LowCacheHitRate'],
  },
  {
    name: 'one pod down',
    what: 'one API pod stops (its scrapes fail, kube-state-metrics reports it not ready)',
    apply: (sim) => sim.stopPod(0),
    alerts: ['OdooFinderTargetDown', 'OdooFinderPodsNotReady'],
  },
  {
    name: 'all pods down',
    what: 'every API pod stops',
    apply: async (sim) => {
      await Promise.all(sim.pods.map((_, i) => sim.stopPod(i)));
    },
    alerts: ['OdooFinderMetricsAbsent', 'OdooFinderTargetDown', 'OdooFinderPodsNotReady'],
  },
  {
    name: 'crash loop',
    what: 'one API pod is in CrashLoopBackOff',
    apply: (sim) => sim.stopPod(0, 'CrashLoopBackOff'),
    alerts: ['OdooFinderPodCrashLooping', 'OdooFinderTargetDown', 'OdooFinderPodsNotReady'],
  },
  {
    name: 'autoscaler at its maximum',
    what: 'kube-state-metrics reports the HPA at maxReplicas, all of them ready',
    apply: async (sim) => sim.scaleTo(sim.cluster.state.hpaMax),
    alerts: ['OdooFinderHpaMaxedOut'],
  },
];

/** Faults of the datastores, for the environments that monitor them (a fault runs where all its alerts are rendered). */
export const DATASTORE_FAULTS: readonly Fault[] = [
  {
    name: 'postgresql down',
    what: 'postgres_exporter cannot reach the database (pg_up 0)',
    apply: async (sim) => void (sim.exporters.state.pgUp = 0),
    alerts: ['PostgresqlDown'],
  },
  {
    name: 'postgresql connections near the limit',
    what: '90 of 100 connections in use',
    apply: async (sim) => void (sim.exporters.state.connections = 90),
    alerts: ['PostgresqlTooManyConnections'],
  },
  {
    name: 'backup too old',
    what: 'the last successful pg_dump was 30 hours ago',
    apply: async (sim) => void (sim.exporters.state.lastBackup = Date.now() / 1000 - 30 * 3600),
    alerts: ['PostgresqlBackupTooOld'],
  },
  {
    name: 'redis down',
    what: 'redis_exporter cannot reach Redis (redis_up 0)',
    apply: async (sim) => void (sim.exporters.state.redisUp = 0),
    alerts: ['RedisDown'],
  },
  {
    name: 'redis memory near maxmemory',
    what: 'Redis uses 95% of maxmemory',
    apply: async (sim) => void (sim.exporters.state.memoryUsed = sim.exporters.state.memoryMax * 0.95),
    alerts: ['RedisMemoryNearLimit'],
  },
  {
    name: 'redis evicting',
    what: 'Redis evicts 50 keys a second',
    apply: async (sim) => void (sim.exporters.state.evictionsPerSecond = 50),
    alerts: ['RedisEvictingKeys'],
  },
  {
    name: 'exporters down',
    what: 'both exporter pods stop (their scrapes fail)',
    apply: async (sim) => {
      await Promise.all([sim.exporters.postgresql.stop(), sim.exporters.redis.stop()]);
    },
    alerts: ['DatastoreMetricsAbsent'],
  },
];
