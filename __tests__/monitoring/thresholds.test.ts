import { alertNamed } from '../../lib/monitoring/alerts';
import { ALERT_CATALOG } from '../../lib/monitoring/catalog';
import { MonitoringContext, monitoringContext } from '../../lib/monitoring/context';
import { apiDashboard } from '../../lib/monitoring/dashboard';
import { AlertOrRecordingRule, prometheusRuleGroups } from '../../lib/monitoring/prometheus-rule-groups';
import { renderRunbook } from '../../lib/monitoring/runbooks';
import { ALERT_THRESHOLDS, AlertThresholds } from '../../lib/monitoring/thresholds';
import { PrometheusApi } from '../../lib/verify/prometheus-api';
import { ReviewContext, runReview } from '../../lib/verify/review';
import { committedEnvironment } from '../support/env';

/**
 * Each alert threshold is named once (lib/monitoring/thresholds.ts): render
 * everything with other values and every place follows — the rule's
 * expression, summary and description, the runbook, the dashboard panel and
 * `npm run verify`'s queries.
 */

const OTHER: AlertThresholds = {
  latency: { quantile: 0.99, seconds: 3 },
  errorRatio: 0.07,
  cacheHitRate: 0.4,
  targetsDown: 0.2,
  postgresqlConnections: 0.7,
  redisMemory: 0.85,
};

// staging monitors both datastores in the cluster: every alert with a threshold is rendered.
const base = monitoringContext(committedEnvironment('staging'));
const ctx: MonitoringContext = { ...base, thresholds: OTHER };

const rules = (c: MonitoringContext) => new Map(prometheusRuleGroups(c).flatMap((g) => g.rules).filter((r) => r.alert).map((r) => [r.alert!, r] as const));
const text = (r: AlertOrRecordingRule) => [r.expr, r.annotations!.summary, r.annotations!.description].join('\n');

interface Panel {
  id: number;
  title: string;
  description: string;
  targets: { expr: string }[];
  fieldConfig: { defaults: { thresholds?: { steps: { value: number | null; color: string }[] }; custom?: { thresholdsStyle?: { mode: string } } } };
}
const panels = (c: MonitoringContext) => (JSON.parse(JSON.stringify(apiDashboard(c, { uid: 'u', title: 't' }))) as { panels: Panel[] }).panels;
const panel = (c: MonitoringContext, id: number) => panels(c).find((p) => p.id === id)!;

describe('alert thresholds come from one place', () => {
  test('the defaults are the seed\'s (SPEC-404: P95 above 2 s, errors above 5 %, cache hit rate below 50 %)', () => {
    expect(base.thresholds).toBe(ALERT_THRESHOLDS);
    expect(ALERT_THRESHOLDS).toMatchObject({ latency: { quantile: 0.95, seconds: 2 }, errorRatio: 0.05, cacheHitRate: 0.5 });
  });

  test.each<[string, RegExp[], RegExp[]]>([
    ['HighLatency', [/histogram_quantile\(0\.99,/, /\) > 3$/m, /Search P99 latency is above 3s\./, /\(threshold 3s\)/], [/0\.95/, /\b2s\b/, /P95/]],
    ['HighErrorRate', [/> 0\.07$/m, /More than 7% of searches fail\./, /\(threshold 7%\)/], [/0\.05/, /\b5%/]],
    ['LowCacheHitRate', [/< 0\.4\n/, /Less than 40% of the searches/, /\(threshold 40%\)/], [/0\.5\b/, /50%/]],
    ['OdooFinderTargetDown', [/\) > 20$/m], [/> 10\b/]],
    ['PostgresqlTooManyConnections', [/> 0\.7$/m, /above 70% of max_connections/, /\(threshold 70%\)/], [/0\.8/, /80%/]],
    ['RedisMemoryNearLimit', [/> 0\.85$/m, /more than 85% of its maxmemory/], [/0\.9\b/, /90%/]],
  ])('%s: expression, summary and description follow', (alert, present, absent) => {
    const rendered = text(rules(ctx).get(alert)!);
    for (const p of present) expect(rendered).toMatch(p);
    for (const a of absent) expect(rendered).not.toMatch(a);
    // ... and the defaults render otherwise, so the assertions above can fail.
    expect(present.some((p) => !p.test(text(rules(base).get(alert)!)))).toBe(true);
  });

  test('runbooks state the rendered threshold in their meaning and rule', () => {
    expect(renderRunbook(alertNamed('HighErrorRate'), ctx)).toContain('More than 7% of all searches');
    expect(renderRunbook(alertNamed('HighErrorRate'), ctx)).toContain('> 0.07');
    expect(renderRunbook(alertNamed('HighLatency'), ctx)).toContain('More than 1% of searches take more than 3 seconds');
    expect(renderRunbook(alertNamed('LowCacheHitRate'), ctx)).toContain('below 40%');
    expect(renderRunbook(alertNamed('OdooFinderTargetDown'), ctx)).toContain('More than 20% of the API pods');
  });

  test('dashboard panels draw the threshold as a line and name it in their description', () => {
    const errors = panel(ctx, 2);
    expect(errors.fieldConfig.defaults.thresholds!.steps).toEqual([{ value: null, color: 'green' }, { value: 0.07, color: 'red' }]);
    expect(errors.fieldConfig.defaults.custom!.thresholdsStyle!.mode).toBe('line');
    expect(errors.description).toContain('HighErrorRate (P2) fires above 7%.');

    const latency = panel(ctx, 3);
    expect(latency.title).toBe('P99 latency');
    expect(latency.targets[0].expr).toMatch(/^histogram_quantile\(0\.99, /);
    expect(latency.fieldConfig.defaults.thresholds!.steps).toEqual([{ value: null, color: 'green' }, { value: 3, color: 'red' }]);
    expect(latency.description).toContain('HighLatency (P3) fires above 3s.');

    const cache = panel(ctx, 5);
    expect(cache.fieldConfig.defaults.thresholds!.steps).toEqual([{ value: null, color: 'red' }, { value: 0.4, color: 'green' }]);
    expect(cache.description).toContain('below 40%');

    expect(panel(ctx, 15).description).toContain('above 70%');
    expect(panel(ctx, 18).description).toContain('above 85%');
  });

  test('every threshold of a panel is the number its alert fires at, for the defaults too', () => {
    const step = (c: MonitoringContext, id: number) => panel(c, id).fieldConfig.defaults.thresholds!.steps[1].value;
    for (const c of [base, ctx]) {
      expect([step(c, 2), step(c, 3), step(c, 5)]).toEqual([c.thresholds.errorRatio, c.thresholds.latency.seconds, c.thresholds.cacheHitRate]);
      expect(rules(c).get('HighErrorRate')!.expr).toMatch(new RegExp(`> ${c.thresholds.errorRatio}$`));
    }
  });

  test('a panel that draws an alert\'s threshold reads the alert\'s window, so its line crosses the threshold when the rule does', () => {
    const windows = (expr: string) => [...expr.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
    for (const [id, alert] of [[2, 'HighErrorRate'], [3, 'HighLatency']] as const) {
      const rule = windows(rules(base).get(alert)!.expr);
      expect(new Set(rule).size).toBe(1);
      expect({ id, windows: panel(base, id).targets.flatMap((t) => windows(t.expr)) }).toEqual({ id, windows: expect.arrayContaining(rule) });
      expect({ id, windows: new Set(panel(base, id).targets.flatMap((t) => windows(t.expr))) }).toEqual({ id, windows: new Set(rule) });
    }
    // The cache panel's average, like LowCacheHitRate, only while there is traffic (an idle pod reports 0).
    const cacheRule = rules(base).get('LowCacheHitRate')!.expr;
    const average = panel(base, 5).targets[0].expr;
    expect(windows(average)).toEqual(windows(cacheRule));
    expect(average).toMatch(/\) > 0$/);
  });

  test('no alert of the catalog keeps a literal of the default thresholds once they change', () => {
    // The SLO alerts are left out: their numbers come from the configured SLOs (a 95 % latency SLO has a 0.05 budget).
    const rendered = [...rules(ctx).values()].filter((r) => !r.alert!.includes('BudgetBurn')).map(text).join('\n');
    expect(rules(ctx).size).toBe(ALERT_CATALOG.length);
    expect(rendered).not.toMatch(/histogram_quantile\(0\.95/);
    expect(rendered).not.toMatch(/> 0\.05$/m);
  });

  test('npm run verify measures latency at the alert\'s quantile, and the SLA at the SLO\'s', async () => {
    const queries: string[] = [];
    const prometheus = {
      value: async (expr: string) => (queries.push(expr), expr.includes('status="error"') ? 0 : 1),
      query: async () => [],
      alerts: async () => [],
    } as unknown as PrometheusApi;
    const env = committedEnvironment('staging');
    const review: ReviewContext = { env, ctx, prometheus, now: 2_000_000, since: 2_000_000 - 3600, groups: [], jobs: [] };
    const results = await runReview(review, '7d');
    expect(queries.some((q) => q.startsWith('histogram_quantile(0.99, '))).toBe(true);
    expect(queries.some((q) => q.startsWith(`histogram_quantile(${base.latency.objectivePercent / 100}, `))).toBe(true);
    expect(results.find((r) => r.text === 'No degradation in metrics')!.detail).toContain('P99 ');
    expect(results.find((r) => r.text === 'Performance within SLAs')!.detail).toContain(`P${base.latency.objectivePercent} `);
  });
});
