import { parser } from '@prometheus-io/lezer-promql';
import { parseEnvironment } from '../../lib/config/load';
import { LEVELS } from '../../lib/monitoring/alert-spec';
import { ALERT_CATALOG as ALERTS } from '../../lib/monitoring/catalog';
import { monitoringContext, podNamePattern } from '../../lib/monitoring/context';
import { knownSeries, METRICS, seriesNames } from '../../lib/monitoring/metrics';
import { SLO_WINDOWS } from '../../lib/monitoring/slo';
import { metricNames, promqlErrors } from '../../lib/promql';
import { toYaml } from '../../lib/yaml/writer';
import { committedEnvironment, find, findAll, kubernetesEnvironmentNames, manifestsOf, minimalEnvironment } from '../support/env';
import { crdErrors } from './support/crd';
import { synthesizedRuleGroups } from './support/monitoring';

const ENVIRONMENTS = kubernetesEnvironmentNames().map(committedEnvironment);
const API_SERIES = new Set(Object.values(METRICS).flatMap((m) => seriesNames(m)));

/** Text of every vector selector of an expression, e.g. `up{job="x"}`. */
function selectors(expr: string): string[] {
  const found: string[] = [];
  parser.parse(expr).iterate({ enter: (n) => void (n.name === 'VectorSelector' && found.push(expr.slice(n.from, n.to))) });
  return found;
}

describe.each(ENVIRONMENTS.map((e) => [e.name, e] as const))('PrometheusRule of %s', (_name, env) => {
  const groups = synthesizedRuleGroups(env);
  const rules = groups.flatMap((g) => g.rules);
  const alerts = rules.filter((r) => r.alert);
  const records = new Set(rules.filter((r) => r.record).map((r) => r.record!));

  it('is valid against the PrometheusRule CRD, unknown fields rejected', () => {
    expect(crdErrors(find(manifestsOf(env), 'PrometheusRule', 'ai-odoo-finder'))).toEqual([]);
  });

  it('every expression parses', () => {
    expect(rules.map((r) => ({ rule: r.alert ?? r.record, errors: promqlErrors(r.expr) })).filter((r) => r.errors.length > 0)).toEqual([]);
  });

  it('every expression reads only catalog metrics, cluster metrics or recording rules of this PrometheusRule', () => {
    const known = knownSeries();
    const unknown = rules.flatMap((r) => metricNames(r.expr).filter((m) => !known.has(m) && !records.has(m)).map((m) => `${r.alert ?? r.record}: ${m}`));
    expect(unknown).toEqual([]);
  });

  it('selects the API series by the job the ServiceMonitor gives them and by the environment namespace', () => {
    const service = find(manifestsOf(env), 'Service', 'ai-odoo-finder');
    const monitor = find(manifestsOf(env), 'ServiceMonitor', 'ai-odoo-finder') as unknown as { spec: { jobLabel?: string } };
    // Without jobLabel the operator sets job to the Service name.
    expect(monitor.spec.jobLabel).toBeUndefined();
    const job = `job="${service.metadata.name}"`;
    const namespace = `namespace="${env.namespace}"`;
    // The datastore alerts select their exporters' jobs (checked below).
    const apiRules = groups.filter((g) => g.name !== 'ai-odoo-finder.datastores.alerts').flatMap((g) => g.rules);
    const loose = apiRules.flatMap((r) =>
      selectors(r.expr)
        .filter((s) => API_SERIES.has(metricNames(s)[0]) || records.has(metricNames(s)[0]) || metricNames(s)[0] === 'up')
        .filter((s) => !s.includes(job) || !s.includes(namespace))
        .map((s) => `${r.alert ?? r.record}: ${s}`),
    );
    expect(loose).toEqual([]);
  });

  it('selects kube-state-metrics series by the environment namespace', () => {
    // The datastore alerts select their exporters' jobs (checked below).
    const apiRules = groups.filter((g) => g.name !== 'ai-odoo-finder.datastores.alerts').flatMap((g) => g.rules);
    const loose = apiRules.flatMap((r) => selectors(r.expr).filter((s) => s.startsWith('kube_') && !s.includes(`namespace="${env.namespace}"`)));
    expect(loose).toEqual([]);
  });

  it('every alert has a level, a problem, the severity of its level, a summary, a templated description and a runbook URL', () => {
    expect.hasAssertions();
    for (const a of alerts) {
      const spec = ALERTS.find((s) => s.name === a.alert)!;
      expect({ alert: a.alert, labels: a.labels }).toEqual({ alert: a.alert, labels: { level: spec.level, problem: spec.problem, severity: LEVELS[spec.level].severity } });
      expect(a.annotations?.summary).toEqual(expect.any(String));
      expect({ alert: a.alert, description: a.annotations?.description }).toEqual({ alert: a.alert, description: expect.stringContaining('{{') });
      expect(a.annotations?.runbook_url).toBe(`${env.monitoring.runbookBaseUrl}/${a.alert}.md`);
    }
  });

  it('the datastore alerts select their exporter job (the exporter Service name) and the environment namespace', () => {
    const exporters = manifestsOf(env).filter((m) => m.kind === 'ServiceMonitor' && m.metadata.name.endsWith('-exporter')).map((m) => m.metadata.name);
    const datastore = groups.find((g) => g.name === 'ai-odoo-finder.datastores.alerts')?.rules ?? [];
    expect(datastore.length).toBeGreaterThan(0);
    const loose = datastore.flatMap((r) =>
      selectors(r.expr)
        .filter((s) => !s.startsWith('kube_cronjob'))
        .filter((s) => !exporters.some((job) => s.includes(`job="${job}"`) || s.includes(job)) || !s.includes(`namespace="${env.namespace}"`))
        .map((s) => `${r.alert}: ${s}`),
    );
    expect(loose).toEqual([]);
  });

  it("every description shows the alert's value, except where the value means nothing", () => {
    const valueless = ['OdooFinderMetricsAbsent', 'OdooFinderPodCrashLooping', 'PostgresqlDown', 'RedisDown', 'DatastoreMetricsAbsent'];
    expect(alerts.filter((a) => !a.annotations!.description.includes('$value')).map((a) => a.alert)).toEqual(valueless.filter((a) => alerts.some((r) => r.alert === a)));
  });

  it('every alert carries the namespace label the AlertmanagerConfig route matches on (aggregations keep it)', () => {
    const dropping = alerts.filter((a) => /\b(sum|avg|max|min|count)\b(?! by \(namespace)(?!_over_time)/.test(a.expr!) && !/absent\(/.test(a.expr));
    expect(dropping.map((a) => a.alert)).toEqual([]);
  });

  it('keeps the four seed alerts with their names, severities and durations', () => {
    const seed = alerts.filter((a) => ['HighLatency', 'HighErrorRate', 'DailyCostExceeded', 'LowCacheHitRate'].includes(a.alert!));
    expect(seed.map((a) => [a.alert, a.labels?.severity, a.for])).toEqual([
      ['HighLatency', 'warning', '5m'],
      ['HighErrorRate', 'critical', '2m'],
      ['DailyCostExceeded', 'warning', undefined],
      ['LowCacheHitRate', 'warning', '10m'],
    ]);
  });

  it("gives every alert its SPEC-404 level: P1 only for a complete outage, P2 for broken searches, P3 for degradation, P4 for what can wait a day", () => {
    expect(Object.fromEntries(alerts.map((a) => [a.alert, [a.labels?.level, a.labels?.problem]]))).toEqual({
      OdooFinderMetricsAbsent: ['P1', 'scrape'],
      HighErrorRate: ['P2', 'availability'],
      OdooFinderAvailabilityBudgetBurnFast: ['P2', 'availability'],
      OdooFinderLatencyBudgetBurnFast: ['P2', 'latency'],
      HighLatency: ['P3', 'latency'],
      DailyCostExceeded: ['P3', 'cost'],
      LowCacheHitRate: ['P3', 'cache'],
      OdooFinderPodCrashLooping: ['P3', 'workload'],
      OdooFinderPodsNotReady: ['P3', 'workload'],
      OdooFinderAvailabilityBudgetBurnSlow: ['P3', 'availability'],
      OdooFinderLatencyBudgetBurnSlow: ['P3', 'latency'],
      OdooFinderTargetDown: ['P4', 'scrape'],
      OdooFinderHpaMaxedOut: ['P4', 'capacity'],
      // Database monitoring: PostgreSQL down stops every search (P1); the cache down only slows them (SPEC-404 P3, "Cache not working").
      PostgresqlDown: ['P1', 'database'],
      PostgresqlTooManyConnections: ['P3', 'database'],
      ...(env.datastores.backup.enabled && env.monitoring.datastores && rules.some((r) => r.alert === 'PostgresqlBackupTooOld') ? { PostgresqlBackupTooOld: ['P3', 'database'] } : {}),
      RedisDown: ['P3', 'cache'],
      RedisMemoryNearLimit: ['P3', 'cache'],
      RedisEvictingKeys: ['P4', 'cache'],
      DatastoreMetricsAbsent: ['P3', 'exporters'],
    });
  });

  it("no alert is severity info: kube-prometheus-stack's InfoInhibitor would mute it in the namespace", () => {
    expect(alerts.filter((a) => a.labels?.severity === 'info').map((a) => a.alert)).toEqual([]);
  });

  it('computes P95 from the rate of the buckets summed by le, not from raw cumulative buckets', () => {
    const expr = alerts.find((a) => a.alert === 'HighLatency')!.expr.replace(/\s+/g, ' ');
    expect(expr).toMatch(/^histogram_quantile\(0\.95, sum by \(namespace, job, le\) \(rate\(search_latency_seconds_bucket\{[^}]+\}\[5m\]\)\) \) > 2$/);
  });

  it('records the error ratio of both SLIs over every SRE-workbook window', () => {
    const expected = ['search_requests_errors', 'search_latency_slow'].flatMap((sli) => SLO_WINDOWS.map((w) => `namespace_job:${sli}:ratio_rate${w}`));
    expect([...records]).toEqual(expected);
    for (const w of SLO_WINDOWS) expect(rules.find((r) => r.record === `namespace_job:search_requests_errors:ratio_rate${w}`)!.expr).toContain(`[${w}]`);
  });

  it('burns fast (P2) at 14.4x (1h and 5m) or 6x (6h and 30m) and slowly (P3) at 3x (1d and 2h) or 1x (3d and 6h) of the budget', () => {
    const budget = (100 - env.monitoring.slo.availabilityPercent) / 100;
    const t = (f: number) => String(Number((f * budget).toPrecision(12)));
    const fast = alerts.find((a) => a.alert === 'OdooFinderAvailabilityBudgetBurnFast')!;
    const slow = alerts.find((a) => a.alert === 'OdooFinderAvailabilityBudgetBurnSlow')!;
    const conditions = (expr: string) => [...expr.matchAll(/ratio_rate(\w+)\{[^}]*\} > ([\d.]+)/g)].map((m) => `${m[1]}>${m[2]}`);
    expect(conditions(fast.expr)).toEqual([`1h>${t(14.4)}`, `5m>${t(14.4)}`, `6h>${t(6)}`, `30m>${t(6)}`]);
    expect(conditions(slow.expr)).toEqual([`1d>${t(3)}`, `2h>${t(3)}`, `3d>${t(1)}`, `6h>${t(1)}`]);
    expect([fast.labels?.level, slow.labels?.level]).toEqual(['P2', 'P3']);
  });
});

describe('monitoring settings', () => {
  const alertExpr = (env: ReturnType<typeof minimalEnvironment>, name: string) =>
    synthesizedRuleGroups(env)
      .flatMap((g) => g.rules)
      .find((r) => r.alert === name)!.expr;

  it('defaults: $10 daily budget, 99.5% available, 95% within 2.5s, kube-prometheus-stack release label', () => {
    const env = minimalEnvironment();
    expect(env.monitoring).toMatchObject({
      dailyRerankingBudgetUsd: 10,
      selectorLabels: { release: 'kube-prometheus-stack' },
      slo: { availabilityPercent: 99.5, latencyPercent: 95, latencyThresholdSeconds: 2.5 },
    });
    expect(alertExpr(env, 'DailyCostExceeded')).toMatch(/\[24h\]\)\) > 10$/);
  });

  it('the daily budget comes from the environment', () => {
    expect(alertExpr(minimalEnvironment({ monitoring: { dailyRerankingBudgetUsd: 25 } }), 'DailyCostExceeded')).toMatch(/> 25$/);
  });

  it('the SLOs come from the environment', () => {
    const env = minimalEnvironment({ monitoring: { slo: { availabilityPercent: 99.9, latencyPercent: 99, latencyThresholdSeconds: 0.5 } } });
    expect(alertExpr(env, 'OdooFinderAvailabilityBudgetBurnFast')).toContain('> 0.0144');
    expect(alertExpr(env, 'OdooFinderLatencyBudgetBurnSlow')).toContain('> 0.03');
    const records = synthesizedRuleGroups(env).flatMap((g) => g.rules);
    expect(records.find((r) => r.record === 'namespace_job:search_latency_slow:ratio_rate5m')!.expr).toContain('le="0.5"');
  });

  it('the selector labels go on every monitoring object', () => {
    const manifests = manifestsOf(minimalEnvironment({ monitoring: { selectorLabels: { release: 'monitoring' } } }));
    const monitoring = manifests.filter((m) => ['ServiceMonitor', 'PrometheusRule', 'AlertmanagerConfig'].includes(m.kind));
    expect(monitoring.filter((m) => m.kind === 'ServiceMonitor').map((m) => m.metadata.name)).toEqual(['ai-odoo-finder', 'postgresql-exporter', 'redis-exporter']);
    for (const m of monitoring) expect(m.metadata.labels).toMatchObject({ release: 'monitoring' });
  });

  it.each([
    [{ slo: { latencyThresholdSeconds: 2 } }, 'monitoring.slo.latencyThresholdSeconds', /must be one of: .*2\.5/],
    [{ slo: { availabilityPercent: 100 } }, 'monitoring.slo.availabilityPercent', /must be < 100/],
    [{ dailyRerankingBudgetUsd: 0 }, 'monitoring.dailyRerankingBudgetUsd', /must be > 0/],
    [{ runbookBaseUrl: 'https://example.com/runbooks/' }, 'monitoring.runbookBaseUrl', /is not valid/],
    // A secret value has no place in the config: only the Secret name and key.
    [{ alertmanager: { slackApiUrl: { name: 'x', key: 'y', value: 'https://hooks.slack.com/x' } } }, 'monitoring.alertmanager.slackApiUrl.value', /unknown key/],
    [{ scrapeInterval: '30' }, 'monitoring.scrapeInterval', /is not valid/],
  ])('rejects %j with an error naming the file and %s', (monitoring, key, message) => {
    const text = toYaml({ tier: 'staging', namespace: 'x', image: { repository: 'ghcr.io/a/b', tag: '1' }, monitoring });
    const result = parseEnvironment('config/environments/bad.yaml', text);
    expect('problems' in result && result.problems).toEqual([expect.objectContaining({ file: 'config/environments/bad.yaml', key, message: expect.stringMatching(message) })]);
  });
});

describe('ServiceMonitor', () => {
  const env = committedEnvironment('production');
  const manifests = manifestsOf(env);
  const monitor = find(manifests, 'ServiceMonitor', 'ai-odoo-finder') as unknown as {
    spec: { selector: { matchLabels: Record<string, string> }; endpoints: { port: string; path: string; interval: string }[] };
  };
  const service = find(manifests, 'Service', 'ai-odoo-finder') as unknown as { spec: { selector: Record<string, string>; ports: { name: string }[] }; metadata: { labels: Record<string, string> } };

  it('is valid against the ServiceMonitor CRD, unknown fields rejected', () => {
    expect(crdErrors(monitor as never)).toEqual([]);
    const typo = { ...monitor, spec: { ...monitor.spec, endpoints: [{ ...monitor.spec.endpoints[0], metricsPath: '/metrics' }] } };
    expect(crdErrors(typo as never)).toEqual(['/spec/endpoints/0 must NOT have additional properties (metricsPath)']);
  });

  it("selects the API Service by its stable labels and scrapes /metrics on the Service's named port", () => {
    expect.hasAssertions();
    for (const [k, v] of Object.entries(monitor.spec.selector.matchLabels)) expect(service.metadata.labels[k]).toBe(v);
    expect(monitor.spec.selector.matchLabels).toEqual(service.spec.selector);
    expect(monitor.spec.selector.matchLabels).not.toHaveProperty(['app.kubernetes.io/version']);
    expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s', scheme: 'http' }]);
    expect(service.spec.ports.map((p) => p.name)).toContain(monitor.spec.endpoints[0].port);
  });
});

it('renders the same monitoring objects twice, byte for byte', () => {
  const env = committedEnvironment('production');
  const render = () => manifestsOf(env).filter((m) => m.apiVersion.startsWith('monitoring.coreos.com') || m.metadata.name === 'ai-odoo-finder-dashboard').map(toYaml).join('---\n');
  expect(render()).toBe(render());
});

it('the names the rules select on are those of the rendered Service, Deployment, container and HPA', () => {
  const env = committedEnvironment('production');
  const ctx = monitoringContext(env);
  const manifests = manifestsOf(env);
  // No jobLabel on the ServiceMonitor: the operator names the job after the Service it selects.
  const monitor = find(manifests, 'ServiceMonitor', 'ai-odoo-finder').spec as { selector: { matchLabels: Record<string, string> } };
  expect(find(manifests, 'Service', ctx.job).metadata.labels).toMatchObject(monitor.selector.matchLabels);
  const deployment = find(manifests, 'Deployment', ctx.deployment) as unknown as { spec: { template: { spec: { containers: { name: string }[] } } } };
  expect(deployment.spec.template.spec.containers.map((c) => c.name)).toEqual([ctx.container]);
  expect(findAll(manifests, 'HorizontalPodAutoscaler').map((m) => m.metadata.name)).toEqual([ctx.hpa]);
});

it("the pod name pattern matches the Deployment's pods and not a Job's", () => {
  const pods = new RegExp(`^${podNamePattern('ai-odoo-finder')}$`);
  expect(['ai-odoo-finder-7c9f8d5b4-x2kzq', 'ai-odoo-finder-5d4b-bwxz2'].filter((p) => !pods.test(p))).toEqual([]);
  expect(['ai-odoo-finder-migrate-x7k2b', 'ai-odoo-finder-7c9f8d-bwxz', 'postgresql-0'].filter((p) => pods.test(p))).toEqual([]);
});
