import { AlertSpec } from './alert-spec';
import { MonitoringContext } from './context';
import { DATASTORE_METRICS } from './metrics';
import { percentOf } from './thresholds';

const pg = (c: MonitoringContext) => `job="${c.datastores.postgresql!.job}",namespace="${c.namespace}"`;
const redis = (c: MonitoringContext) => `job="${c.datastores.redis!.job}",namespace="${c.namespace}"`;
const M = DATASTORE_METRICS;

/** A datastore alert and the environments it is rendered for (those that monitor that datastore). */
export interface DatastoreAlert {
  readonly spec: AlertSpec;
  readonly rendered: (c: MonitoringContext) => boolean;
}

const hasPostgresql = (c: MonitoringContext) => c.datastores.postgresql !== undefined;
const hasRedis = (c: MonitoringContext) => c.datastores.redis !== undefined;

/** The alerts of the datastores (group `ai-odoo-finder.datastores.alerts`); runbooks are generated from them too. */
export const DATASTORE_ALERTS: readonly DatastoreAlert[] = [
  {
    rendered: hasPostgresql,
    spec: {
      name: 'PostgresqlDown',
      problem: 'database',
      level: 'P1',
      for: '2m',
      expr: (c) => `max by (namespace, job) (${M.postgresql.up}{${pg(c)}}) == 0`,
      summary: () => 'postgres_exporter cannot connect to PostgreSQL: searches fail.',
      description: (c) => `{{ $labels.job }} in ${c.namespace} has not reached PostgreSQL for 2 minutes (pg_up = 0).`,
      meaning: () => 'The exporter runs but cannot open a connection to the database. The API cannot search either: expect HighErrorRate and the availability SLO alerts next.',
      diagnosis: [
        'In-cluster: `kubectl -n <namespace> get pods -l app.kubernetes.io/name=postgresql` (running, ready?) and `kubectl -n <namespace> logs statefulset/postgresql`.',
        'Full volume? `kubectl -n <namespace> exec statefulset/postgresql -- df -h /var/lib/postgresql/data`.',
        'External: the provider\'s status page and console; did the credentials in the exporter\'s Secret rotate?',
        'The exporter\'s own log says why it cannot connect: `kubectl -n <namespace> logs deploy/postgresql-exporter`.',
      ],
      solutions: [
        { text: 'Restart a stuck in-cluster database: `kubectl -n <namespace> delete pod postgresql-0` (the StatefulSet recreates it on the same volume).' },
        { text: 'Grow the volume if it is full.', config: { key: 'datastores.postgresql.storage', value: '20Gi' } },
        { text: 'Restore from the newest dump if the data is lost (see docs/rollback.md).' },
      ],
    },
  },
  {
    rendered: hasPostgresql,
    spec: {
      name: 'PostgresqlTooManyConnections',
      problem: 'database',
      level: 'P3',
      for: '10m',
      expr: (c) =>
        `sum by (namespace, job) (${M.postgresql.connections}{${pg(c)}})\n/\nmax by (namespace, job) (${M.postgresql.maxConnections}{${pg(c)}})\n> ${c.thresholds.postgresqlConnections}`,
      summary: (c) => `PostgreSQL connections are above ${percentOf(c.thresholds.postgresqlConnections)}% of max_connections.`,
      description: (c) => `{{ $value | humanizePercentage }} of max_connections are in use on the PostgreSQL of ${c.namespace} (threshold ${percentOf(c.thresholds.postgresqlConnections)}%).`,
      meaning: () => 'Close to the limit, new connections (a new API pod, the migration hook, a backup) are refused and searches fail.',
      diagnosis: [
        'Who holds them? `SELECT usename, application_name, state, count(*) FROM pg_stat_activity GROUP BY 1,2,3 ORDER BY 4 DESC;`',
        'Did the HPA add pods? Each API pod opens its own pool: "Replicas and HPA target" panel.',
        'Idle-in-transaction sessions point to a connection leak in the API.',
      ],
      solutions: [
        { text: 'Lower the API\'s connection pool size per pod (API setting, new image), or put PgBouncer in front.' },
        { text: 'Cap the number of API pods while it is investigated.', config: { key: 'autoscaling.maxReplicas', value: '6' } },
      ],
    },
  },
  {
    rendered: (c) => c.datastores.backup !== undefined,
    spec: {
      name: 'PostgresqlBackupTooOld',
      problem: 'database',
      level: 'P3',
      expr: (c) => {
        const cj = `namespace="${c.namespace}",cronjob="${c.datastores.backup!.cronJob}"`;
        const max = c.datastores.backup!.maxAgeHours * 3600;
        return (
          `time() - max by (namespace, cronjob) (${M.backup.lastSuccess}{${cj}}) > ${max}\n` +
          `or\n(time() - max by (namespace, cronjob) (${M.backup.created}{${cj}}) > ${max}\nunless on (namespace, cronjob) ${M.backup.lastSuccess}{${cj}})`
        );
      },
      summary: () => 'The newest successful database backup is too old.',
      description: (c) =>
        `The last successful run of CronJob {{ $labels.cronjob }} in ${c.namespace} was {{ $value | humanizeDuration }} ago, or it never succeeded in that time (threshold ${c.datastores.backup!.maxAgeHours}h).`,
      meaning: (c) =>
        `No pg_dump has succeeded for more than ${c.datastores.backup!.maxAgeHours} hours (\`monitoring.datastores.backupMaxAgeHours\`), from kube-state-metrics' view of the backup CronJob. A restore would lose everything since.`,
      diagnosis: [
        '`kubectl -n <namespace> get cronjob postgresql-backup` (suspended? last schedule?) and `kubectl -n <namespace> get jobs -l app.kubernetes.io/component=backup`.',
        'Why did the last Job fail? `kubectl -n <namespace> logs job/<job>`: credentials, a full backup volume, a timeout.',
      ],
      solutions: [
        { text: 'Run a backup now: `kubectl -n <namespace> create job --from=cronjob/postgresql-backup postgresql-backup-manual`.' },
        { text: 'Grow the backup volume if it is full, or keep fewer dumps.', config: { key: 'datastores.backup.keep', value: '5' } },
      ],
    },
  },
  {
    rendered: hasRedis,
    spec: {
      name: 'RedisDown',
      problem: 'cache',
      level: 'P3',
      for: '2m',
      expr: (c) => `max by (namespace, job) (${M.redis.up}{${redis(c)}}) == 0`,
      summary: () => 'redis_exporter cannot connect to Redis: the cache is not working.',
      description: (c) => `{{ $labels.job }} in ${c.namespace} has not reached Redis for 2 minutes (redis_up = 0).`,
      meaning: () => 'The cache is unreachable. Searches still work but every one goes to the database and the LLM: latency and cost rise (SPEC-404 P3, "Cache not working").',
      diagnosis: [
        'Do the API pods still serve? `kubectl -n <namespace> get pods -l app.kubernetes.io/name=ai-odoo-finder`: if the API\'s `/ready` checks Redis, they all turn not ready after 15 s and the API answers 503; then OdooFinderPodsNotReady and the availability alerts follow, and this is an outage, not a P3.',
        'In-cluster: `kubectl -n <namespace> get pods -l app.kubernetes.io/name=redis` and `kubectl -n <namespace> logs statefulset/redis`.',
        'External: the provider\'s console; did the password in the URL Secret rotate?',
        'The exporter says why: `kubectl -n <namespace> logs deploy/redis-exporter`. NOAUTH or WRONGPASS: the exporter and Redis read different passwords (in-cluster both read Secret `redis-credentials` key `password`; a pod started before the Secret changed keeps the old one: restart it).',
      ],
      solutions: [{ text: 'Restart an in-cluster Redis: `kubectl -n <namespace> delete pod redis-0` (a cache: nothing is lost but hits).' }],
    },
  },
  {
    rendered: hasRedis,
    spec: {
      name: 'RedisMemoryNearLimit',
      problem: 'cache',
      level: 'P3',
      for: '10m',
      expr: (c) => `max by (namespace, job) (${M.redis.memoryUsed}{${redis(c)}})\n/\nmax by (namespace, job) (${M.redis.memoryMax}{${redis(c)}} > 0)\n> ${c.thresholds.redisMemory}`,
      summary: (c) => `Redis uses more than ${percentOf(c.thresholds.redisMemory)}% of its maxmemory.`,
      description: (c) => `Redis in ${c.namespace} uses {{ $value | humanizePercentage }} of maxmemory.`,
      meaning: () => 'At maxmemory Redis evicts keys (allkeys-lru): the cache keeps working but forgets entries, and the hit rate drops.',
      diagnosis: ['"Redis memory" panel: steady growth or a jump?', 'Largest keys: `redis-cli --bigkeys` in the Redis pod (or the provider\'s console).'],
      solutions: [{ text: 'Give the cache more memory (and the container a matching limit).', config: { key: 'datastores.redis.maxMemory', value: '400mb' } }],
    },
  },
  {
    rendered: hasRedis,
    spec: {
      name: 'RedisEvictingKeys',
      problem: 'cache',
      level: 'P4',
      for: '15m',
      expr: (c) => `sum by (namespace, job) (rate(${M.redis.evictions}{${redis(c)}}[5m])) > 0`,
      summary: () => 'Redis is evicting cached entries to stay under maxmemory.',
      description: (c) => `Redis in ${c.namespace} evicts {{ $value | printf "%.2f" }} keys/s.`,
      meaning: () => 'The cache is full and drops entries to make room: searches that would have hit the cache go to the database and the LLM again.',
      diagnosis: ['"Cache hit rate" and "Redis evictions" panels together: do evictions line up with a lower hit rate?'],
      solutions: [{ text: 'Give the cache more memory.', config: { key: 'datastores.redis.maxMemory', value: '400mb' } }, { text: 'Shorten the TTL of rarely reused entries (API setting).' }],
    },
  },
  {
    rendered: (c) => hasPostgresql(c) || hasRedis(c),
    spec: {
      name: 'DatastoreMetricsAbsent',
      problem: 'exporters',
      level: 'P3',
      for: '10m',
      expr: (c) => {
        const jobs = [c.datastores.postgresql?.job, c.datastores.redis?.job].filter((j): j is string => j !== undefined);
        const sel = (job: string) => `up{job="${job}",namespace="${c.namespace}"}`;
        return [`max by (namespace, job) (up{job=~"${jobs.join('|')}",namespace="${c.namespace}"}) == 0`, ...jobs.map((j) => `absent(${sel(j)})`)].join('\nor\n');
      },
      summary: () => 'Prometheus scrapes no datastore exporter: database monitoring is blind.',
      description: (c) => `No {{ $labels.job }} target in ${c.namespace} has been up for 10 minutes: the datastore alerts cannot fire.`,
      meaning: () => 'An exporter pod is down or Prometheus cannot reach it (ServiceMonitor not selected, NetworkPolicy). Every datastore alert of it is blind.',
      diagnosis: [
        "`kubectl -n <namespace> get pods -l 'app.kubernetes.io/component in (database-metrics,cache-metrics)'`.",
        'Prometheus UI → Status → Targets: `serviceMonitor/<namespace>/postgresql-exporter` and `…/redis-exporter`.',
      ],
      solutions: [{ text: 'Delete a stuck exporter pod: `kubectl -n <namespace> delete pod -l app.kubernetes.io/name=postgresql-exporter`.' }],
    },
  },
];

/** The datastore alerts this environment renders. */
export function datastoreAlerts(c: MonitoringContext): AlertSpec[] {
  return DATASTORE_ALERTS.filter((a) => a.rendered(c)).map((a) => a.spec);
}
