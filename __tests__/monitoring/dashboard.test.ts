import { ALERTS } from '../../lib/monitoring/alerts';
import { monitoringContext } from '../../lib/monitoring/context';
import { apiDashboard } from '../../lib/monitoring/dashboard';
import { PANEL_IDS } from '../../lib/monitoring/panel-ids';
import { knownSeries } from '../../lib/monitoring/metrics';
import { metricNames, promqlErrors } from '../../lib/promql';
import { committedEnvironment, find, manifestsOf, minimalEnvironment, kubernetesEnvironmentNames } from '../support/env';
import { synthesizedDashboard } from './support/monitoring';

interface Target {
  expr: string;
  refId: string;
  datasource: { type: string; uid: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource: { type: string; uid: string };
  fieldConfig: { defaults: { unit?: string; thresholds?: { steps: { value: number | null }[] } } };
  targets: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  templating: { list: { type: string; name: string; query: unknown; current?: { value: string } }[] };
  panels: Panel[];
}

/** Grafana replaces these before the query reaches Prometheus; give them values PromQL accepts. */
function substitute(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval/g, '5m').replace(/\$(\w+)/g, 'x');
}

describe.each(kubernetesEnvironmentNames())('dashboard of %s', (name) => {
  const env = committedEnvironment(name);
  const manifests = manifestsOf(env);
  const { fileName, json } = synthesizedDashboard(env);
  const dashboard = JSON.parse(json) as Dashboard;
  const rows = dashboard.panels.filter((p) => p.type === 'row');
  const panels = dashboard.panels.filter((p) => p.type !== 'row');
  const targets = panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, ...t })));

  it('is a ConfigMap the kube-prometheus-stack Grafana sidecar loads, into the configured folder', () => {
    const map = find(manifests, 'ConfigMap', 'ai-odoo-finder-dashboard');
    expect(map.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    expect(map.metadata.annotations).toMatchObject({ grafana_folder: env.monitoring.dashboardFolder });
    expect(fileName).toBe(`ai-odoo-finder-${name}.json`);
  });

  it('has a stable uid, a schemaVersion, a Prometheus datasource variable and a namespace variable defaulting to the environment', () => {
    expect(dashboard.uid).toBe(`ai-odoo-finder-${name}`);
    expect(dashboard.uid.length).toBeLessThanOrEqual(40);
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    const [datasource, namespace] = dashboard.templating.list;
    expect(datasource).toMatchObject({ type: 'datasource', name: 'datasource', query: 'prometheus' });
    expect(namespace).toMatchObject({ type: 'query', name: 'namespace', current: { value: env.namespace } });
    // `up`: it exists from a target's first scrape; the search series only from the API's first search (__tests__/e2e/dashboard-namespace.e2e.ts).
    expect((namespace.query as { query: string }).query).toBe(`label_values(up{job="${monitoringContext(env).job}"}, namespace)`);
  });

  it('has a "Datastores" row with an up panel per monitored datastore, below the API panels', () => {
    expect(rows.map((r) => r.title)).toEqual(['Datastores']);
    const below = panels.filter((p) => p.gridPos.y > rows[0].gridPos.y).map((p) => p.title);
    expect(below).toEqual(expect.arrayContaining(['PostgreSQL up', 'PostgreSQL connections', 'Redis up', 'Redis memory', 'Redis evictions']));
    expect(below.includes('Age of the last backup')).toBe(env.datastores.backup.enabled && env.tier !== 'production');
    expect(new Set([...panels, ...rows].map((p) => p.id)).size).toBe(panels.length + rows.length);
  });

  it('has unique panel ids and refIds, and panels that do not overlap on the 24-column grid', () => {
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const p of panels) expect(new Set(p.targets.map((t) => t.refId)).size).toBe(p.targets.length);
    for (const p of panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    const overlaps = panels.flatMap((a, i) =>
      panels
        .slice(i + 1)
        .filter((b) => a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h)
        .map((b) => `${a.title} / ${b.title}`),
    );
    expect(overlaps).toEqual([]);
  });

  it('every query parses, uses the datasource variable and reads only catalog, kube-state-metrics or cAdvisor metrics', () => {
    const known = knownSeries();
    expect(targets.length).toBeGreaterThan(15);
    for (const t of targets) {
      expect({ panel: t.panel, errors: promqlErrors(substitute(t.expr)) }).toEqual({ panel: t.panel, errors: [] });
      expect(t.datasource.uid).toBe('${datasource}');
      const names = metricNames(substitute(t.expr));
      expect(names.length).toBeGreaterThan(0);
      expect({ panel: t.panel, unknown: names.filter((n) => !known.has(n) || n === 'up') }).toEqual({ panel: t.panel, unknown: [] });
    }
  });

  it('every query is limited to the selected namespace', () => {
    expect.hasAssertions();
    for (const t of targets) expect({ panel: t.panel, expr: t.expr }).toEqual({ panel: t.panel, expr: expect.stringContaining('namespace="$namespace"') });
  });

  it.each([
    ['Requests per second', 'reqps'],
    ['P95 latency', 's'],
    ['Cache hit rate', 'percentunit'],
    ['Daily reranking cost', 'currencyUSD'],
    ['Error ratio', 'percentunit'],
    ['Latency percentiles by search mode', 's'],
    ['Active searches', 'short'],
    ['SLO error budget left', 'percentunit'],
    ['Replicas and HPA target', 'short'],
    ['CPU per pod', 'short'],
    ['Memory per pod', 'bytes'],
    ['Firing alerts by level and problem', 'short'],
  ])('has the panel "%s" in unit %s', (title, unit) => {
    const panel = panels.find((p) => p.title === title);
    expect(panel?.fieldConfig.defaults.unit).toBe(unit);
  });

  it("fixes the seed's queries: rates summed over pods, P95 from bucket rates, cost summed over 24h", () => {
    const expr = (title: string) => panels.find((p) => p.title === title)!.targets.map((t) => t.expr);
    expect(expr('Requests per second')[0]).toMatch(/^sum by \(search_mode, status\) \(rate\(search_requests_total\{[^}]+\}\[\$__rate_interval\]\)\)$/);
    // Over the HighLatency rule's window (5m), the threshold it draws being the rule's (thresholds.test.ts).
    expect(expr('P95 latency')[0]).toMatch(/^histogram_quantile\(0\.95, sum by \(le\) \(rate\(search_latency_seconds_bucket\{[^}]+\}\[5m\]\)\)\)$/);
    expect(expr('Daily reranking cost')[0]).toMatch(/^sum\(increase\(reranking_cost_dollars_total\{[^}]+\}\[24h\]\)\)$/);
    expect(expr('Replicas and HPA target').join('\n')).toContain('kube_horizontalpodautoscaler_status_desired_replicas');
    expect(expr('CPU per pod')[0]).toContain('container_cpu_usage_seconds_total');
    expect(expr('Memory per pod')[0]).toContain('container_memory_working_set_bytes');
  });

  it('names every alert with its level from the catalog (the levels of docs/runbooks/)', () => {
    let named = 0;
    for (const p of panels) {
      const description = (p as unknown as { description: string }).description;
      for (const a of ALERTS.filter((x) => new RegExp(`\\b${x.name}\\b`).test(description))) {
        expect({ panel: p.title, text: description }).toEqual({ panel: p.title, text: expect.stringContaining(`${a.name} (${a.level}) fires`) });
        named++;
      }
    }
    expect(named).toBe(4);
  });

  it('counts the firing alerts of this service by level and problem (the labels Alertmanager routes and inhibits on)', () => {
    const [t] = panels.find((p) => p.title === 'Firing alerts by level and problem')!.targets;
    expect(t.expr).toBe('count by (level, problem) (ALERTS{namespace="$namespace",alertstate="firing",level=~"P1|P2|P3|P4"})');
  });

  it('marks the daily budget of the environment on the cost panel', () => {
    const steps = panels.find((p) => p.title === 'Daily reranking cost')!.fieldConfig.defaults.thresholds!.steps;
    expect(steps.map((s) => s.value)).toEqual([null, env.monitoring.dailyRerankingBudgetUsd]);
  });
});

it('the dashboard JSON is deterministic', () => {
  const ctx = monitoringContext(committedEnvironment('production'));
  const build = () => JSON.stringify(apiDashboard(ctx, { uid: 'u', title: 't' }));
  expect(build()).toBe(build());
});

it('the SLO budget panel follows the configured objectives', () => {
  const env = minimalEnvironment({ monitoring: { slo: { availabilityPercent: 99.9, latencyThresholdSeconds: 0.5 } } });
  const panel = (JSON.parse(synthesizedDashboard(env).json) as Dashboard).panels.find((p) => p.title === 'SLO error budget left')!;
  expect(panel.targets[0].expr).toMatch(/ \/ 0\.001$/);
  expect(panel.targets[1].expr).toContain('le="0.5"');
});

describe('panel ids', () => {
  /** Today's ids, pinned by title: a link to a panel (…?viewPanel=ID) must keep working when panels are added or left out. */
  const PINNED: Record<string, number> = {
    'Requests per second': 1,
    'Error ratio': 2,
    'P95 latency': 3,
    'Latency percentiles by search mode': 4,
    'Cache hit rate': 5,
    'Daily reranking cost': 6,
    'Active searches': 7,
    'SLO error budget left': 8,
    'Replicas and HPA target': 9,
    'CPU per pod': 10,
    'Memory per pod': 11,
    'Firing alerts by level and problem': 12,
    Datastores: 13,
    'PostgreSQL up': 14,
    'PostgreSQL connections': 15,
    'Age of the last backup': 16,
    'Redis up': 17,
    'Redis memory': 18,
    'Redis evictions': 19,
  };

  it.each(kubernetesEnvironmentNames())('%s: every panel has its pinned id, whichever panels the environment leaves out', (name) => {
    const all = (JSON.parse(synthesizedDashboard(committedEnvironment(name)).json) as Dashboard).panels;
    expect(all.length).toBeGreaterThanOrEqual(18);
    expect(Object.fromEntries(all.map((p) => [p.title, p.id]))).toEqual(Object.fromEntries(all.map((p) => [p.title, PINNED[p.title]])));
  });

  it('an environment with every datastore panel shows each pinned panel once', () => {
    const all = (JSON.parse(synthesizedDashboard(committedEnvironment('staging')).json) as Dashboard).panels;
    expect(all.map((p) => p.title).sort()).toEqual(Object.keys(PINNED).sort());
  });

  it('are unique and stated once, in lib/monitoring/panel-ids.ts', () => {
    const ids = Object.values(PANEL_IDS);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort((a, b) => a - b)).toEqual(Object.values(PINNED).sort((a, b) => a - b));
  });
});
