import { runChecklist } from '../../lib/checklist/checklist';
import { Manifest } from '../../lib/synth/render';
import { committedEnvironment, environmentFrom, find, findAll, manifestsOf, minimalEnvironment } from '../support/env';

type Container = { name: string; image: string; env: { name: string; value?: string; valueFrom?: unknown }[]; securityContext: Record<string, unknown>; readinessProbe: unknown; livenessProbe: unknown };
const container = (m: Manifest) => (m.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0];
const ruleNames = (ms: Manifest[]) =>
  ms.filter((m) => m.kind === 'PrometheusRule').flatMap((r) => (r.spec as { groups: { name: string; rules: { alert?: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules.filter((x) => x.alert).map((x) => x.alert!)));
const dbItem = (env: ReturnType<typeof committedEnvironment>, ms: Manifest[]) => runChecklist({ env, manifests: ms, fileExists: () => true, findings: [] }).find((r) => r.text === 'Database monitoring set up')!;
const external = (monitoring: object = {}) =>
  environmentFrom({ tier: 'staging', namespace: 'odoo-finder-ext', image: { repository: 'ghcr.io/ai-odoofinder/api', tag: '1.0.0' }, datastores: { mode: 'external' }, monitoring }, 'ext');

describe('database monitoring, in-cluster datastores (staging)', () => {
  const env = committedEnvironment('staging');
  const ms = manifestsOf(env);

  it('postgres_exporter reaches the postgresql Service as the owner, the password from its Secret; redis_exporter reaches redis:6379 with the Redis password', () => {
    const pg = container(find(ms, 'Deployment', 'postgresql-exporter'));
    expect(pg.image).toBe(env.monitoring.datastores.postgresqlExporterImage);
    expect(pg.env).toEqual([
      { name: 'DATA_SOURCE_URI', value: 'postgresql:5432/odoo_finder?sslmode=disable' },
      { name: 'DATA_SOURCE_USER', value: env.datastores.postgresql.user },
      { name: 'DATA_SOURCE_PASS', valueFrom: { secretKeyRef: env.datastores.postgresql.password } },
    ]);
    expect(container(find(ms, 'Deployment', 'redis-exporter')).env).toEqual([
      { name: 'REDIS_ADDR', value: 'redis://redis:6379' },
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-credentials', key: 'password' } } },
    ]);
  });

  it.each([
    ['postgresql-exporter', 65534, 9187],
    ['redis-exporter', 59000, 9121],
  ])('%s runs as its image user (%i), restricted, read-only root, probes that never query the datastore, on port %i', (name, uid, port) => {
    const c = container(find(ms, 'Deployment', name));
    expect(c.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: uid, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(c.livenessProbe).toMatchObject({ tcpSocket: { port: 'metrics' } });
    expect(JSON.stringify(c.readinessProbe)).not.toContain('/metrics');
    expect(find(ms, 'Service', name).spec).toMatchObject({ ports: [{ name: 'metrics', port, targetPort: 'metrics' }] });
    expect(find(ms, 'ServiceMonitor', name).spec).toMatchObject({ endpoints: [{ port: 'metrics' }] });
    find(ms, 'PodDisruptionBudget', name);
  });

  it('NetworkPolicies: Prometheus reaches the exporter port; the exporter reaches DNS and its datastore only; the datastore admits it', () => {
    const policy = (name: string) => find(ms, 'NetworkPolicy', name).spec as { ingress: { from: unknown[]; ports: { port: number }[] }[]; egress: { to: unknown[]; ports: { port: number }[] }[] };
    const pg = policy('postgresql-exporter');
    expect(pg.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: env.network.prometheusNamespace } }], ports: [{ protocol: 'TCP', port: 9187 }] }]);
    expect(pg.egress.map((e) => e.ports.map((p) => p.port))).toEqual([[53, 53], [5432]]);
    expect(JSON.stringify(policy('postgresql').ingress)).toContain('"app.kubernetes.io/component":"database-metrics"');
    expect(JSON.stringify(policy('redis').ingress)).toContain('"app.kubernetes.io/component":"cache-metrics"');
  });

  it('renders the datastore alerts, the backup one with backupMaxAgeHours', () => {
    expect(ruleNames(ms)).toEqual(expect.arrayContaining(['PostgresqlDown', 'PostgresqlTooManyConnections', 'PostgresqlBackupTooOld', 'RedisDown', 'RedisMemoryNearLimit', 'RedisEvictingKeys', 'DatastoreMetricsAbsent']));
    const custom = manifestsOf(minimalEnvironment({ monitoring: { datastores: { backupMaxAgeHours: 50 } } }));
    expect(JSON.stringify(find(custom, 'PrometheusRule').spec)).toContain(`> ${50 * 3600}`);
    const noBackup = manifestsOf(minimalEnvironment({ datastores: { backup: { enabled: false } } }));
    expect(ruleNames(noBackup)).not.toContain('PostgresqlBackupTooOld');
  });

  it('the checklist item passes', () => {
    expect(dbItem(env, ms)).toMatchObject({ status: 'pass', detail: expect.stringContaining('PostgreSQL by postgresql-exporter, Redis by redis-exporter') });
  });
});

describe('database monitoring, managed datastores', () => {
  it('without monitoring.datastores.external: no exporter, no datastore alert; the checklist says what to provide', () => {
    const env = external();
    const ms = manifestsOf(env);
    expect(findAll(ms, 'Deployment').map((d) => d.metadata.name)).toEqual(['ai-odoo-finder']);
    expect(ruleNames(ms).filter((a) => /Postgresql|Redis|Datastore/.test(a))).toEqual([]);
    expect(JSON.stringify(find(ms, 'ConfigMap', 'ai-odoo-finder-dashboard').data)).not.toContain('Datastores');
    const item = dbItem(env, ms);
    expect(item.status).toBe('manual');
    expect(item.detail).toContain('monitoring.datastores.external.postgresqlDataSourceName');
    expect(item.detail).toContain('monitoring.datastores.external.redisUrl');
  });

  it('production: both exporters read their connection from the configured Secrets', () => {
    const env = committedEnvironment('production');
    const ms = manifestsOf(env);
    expect(container(find(ms, 'Deployment', 'postgresql-exporter')).env).toEqual([{ name: 'DATA_SOURCE_NAME', valueFrom: { secretKeyRef: { name: 'db-monitoring', key: 'url' } } }]);
    expect(container(find(ms, 'Deployment', 'redis-exporter')).env).toEqual([{ name: 'REDIS_ADDR', valueFrom: { secretKeyRef: { name: 'redis-credentials', key: 'url' } } }]);
    // The exporters reach the managed services where the API does (datastores.external.cidrs), on their ports.
    const egress = (find(ms, 'NetworkPolicy', 'postgresql-exporter').spec as { egress: { ports: { port: number }[] }[] }).egress;
    expect(egress.map((e) => e.ports.map((p) => p.port))).toEqual([[53, 53], [5432]]);
    expect(ruleNames(ms)).not.toContain('PostgresqlBackupTooOld');
  });

  it('only PostgreSQL configured: only its exporter, and the absent alert watches only its job', () => {
    const env = external({ datastores: { external: { postgresqlDataSourceName: { name: 'pg-mon', key: 'dsn' } } } });
    const ms = manifestsOf(env);
    expect(findAll(ms, 'Deployment').map((d) => d.metadata.name).sort()).toEqual(['ai-odoo-finder', 'postgresql-exporter']);
    const absent = JSON.stringify(find(ms, 'PrometheusRule').spec);
    expect(absent).toContain('absent(up{job=\\"postgresql-exporter\\"');
    expect(absent).not.toContain('redis-exporter');
    expect(dbItem(env, ms)).toMatchObject({ status: 'manual', detail: expect.stringContaining('Monitored: PostgreSQL by postgresql-exporter') });
  });

  it('refuses an exporter image with "latest" or without a tag, naming the key', () => {
    expect(() => minimalEnvironment({ monitoring: { datastores: { redisExporterImage: 'oliver006/redis_exporter:latest' } } })).toThrow(/monitoring\.datastores\.redisExporterImage/);
    expect(() => minimalEnvironment({ monitoring: { datastores: { postgresqlExporterImage: 'postgres-exporter' } } })).toThrow(/monitoring\.datastores\.postgresqlExporterImage/);
  });
});
