import { after, Obj } from './fixtures';
import { withoutVariables } from '../../lib/validate/monitoring/grafana';
import { promqlErrors } from '../../lib/promql';

const P = 'PrometheusRule/shop/api';
const R = 'spec.groups[0].rules[1]';
const alert = (o: Obj) => o.spec.groups[0].rules[1];
const dashboard = (change: (d: Obj) => void) =>
  after(({ byKind }) => {
    const cm = byKind('ConfigMap', 'dashboard');
    const d = JSON.parse(cm.data['api.json']);
    change(d);
    cm.data['api.json'] = JSON.stringify(d);
  });

describe('PrometheusRule', () => {
  it('every expression parses', () => {
    expect(after(({ byKind }) => (alert(byKind('PrometheusRule')).expr = 'sum(rate(search_requests_total[5m]) > 0.05'))).toEqual([
      expect.stringMatching(new RegExp(`^promql ${P} ${R.replace(/[[\]]/g, '\\$&')}\\.expr: error: PromQL syntax error at character \\d+ near "`)),
    ]);
  });

  it('every alert has labels.severity (warning when not critical, warning or info)', () => {
    expect(after(({ byKind }) => (alert(byKind('PrometheusRule')).labels = { level: 'P2', problem: 'availability' }))).toEqual([
      `alert-labels ${P} ${R}.labels: error: alert "SearchErrors" has no labels.severity`,
    ]);
    expect(after(({ byKind }) => (alert(byKind('PrometheusRule')).labels.severity = 'page'))).toEqual([
      `alert-labels ${P} ${R}.labels.severity: warning: alert "SearchErrors" has severity "page"; routes expect critical, warning, info`,
    ]);
  });

  it('every alert has a level (P1-P4) that agrees with its severity, and a problem: what Alertmanager routes and inhibits on', () => {
    expect(after(({ byKind }) => (alert(byKind('PrometheusRule')).labels = {}))).toEqual([
      `alert-labels ${P} ${R}.labels: error: alert "SearchErrors" has no labels.level; Alertmanager routes on P1, P2, P3, P4 only, so it would notify nobody`,
      `alert-labels ${P} ${R}.labels: error: alert "SearchErrors" has no labels.problem; inhibition (a critical alert mutes the warnings of its problem) needs it`,
      `alert-labels ${P} ${R}.labels: error: alert "SearchErrors" has no labels.severity`,
    ]);
    expect(after(({ byKind }) => (alert(byKind('PrometheusRule')).labels.level = 'P5'))).toEqual([
      `alert-labels ${P} ${R}.labels: error: alert "SearchErrors" has level "P5"; Alertmanager routes on P1, P2, P3, P4 only, so it would notify nobody`,
    ]);
    expect(after(({ byKind }) => (alert(byKind('PrometheusRule')).labels.level = 'P3'))).toEqual([
      `alert-labels ${P} ${R}.labels.severity: error: alert "SearchErrors" is P3 but severity "critical"; P3 means severity "warning" (inhibition reads severity)`,
    ]);
  });

  it('every alert has summary, description and an http(s) runbook_url', () => {
    expect(after(({ byKind }) => delete alert(byKind('PrometheusRule')).annotations.description)).toEqual([
      `alert-annotations ${P} ${R}.annotations: error: alert "SearchErrors" has no annotations.description`,
    ]);
    expect(after(({ byKind }) => delete alert(byKind('PrometheusRule')).annotations)).toEqual([
      `alert-annotations ${P} ${R}: error: alert "SearchErrors" has no annotations.description`,
      `alert-annotations ${P} ${R}: error: alert "SearchErrors" has no annotations.runbook_url`,
      `alert-annotations ${P} ${R}: error: alert "SearchErrors" has no annotations.summary`,
    ]);
    expect(after(({ byKind }) => (alert(byKind('PrometheusRule')).annotations.runbook_url = 'docs/runbook.md'))).toEqual([
      `alert-annotations ${P} ${R}.annotations.runbook_url: error: alert "SearchErrors" runbook_url "docs/runbook.md" is not an http(s) URL`,
    ]);
  });

  it('group names are unique and recording rules have metric names', () => {
    expect(after(({ byKind }) => byKind('PrometheusRule').spec.groups.push({ name: 'api', rules: [] }))).toEqual([
      `rule-group ${P} spec.groups[1].name: error: group name "api" is repeated (Prometheus rejects the file)`,
    ]);
    expect(after(({ byKind }) => (byKind('PrometheusRule').spec.groups[0].rules[0].record = 'job search rate'))).toEqual([
      `rule-name ${P} spec.groups[0].rules[0].record: error: "job search rate" is not a valid metric name`,
    ]);
  });
});

describe('Grafana dashboards in ConfigMaps labelled grafana_dashboard', () => {
  const CM = 'ConfigMap/shop/dashboard data["api.json"]';

  it('must be valid JSON', () => {
    expect(after(({ byKind }) => (byKind('ConfigMap', 'dashboard').data['api.json'] = '{"uid": "api",}'))).toEqual([
      expect.stringMatching(/^dashboard ConfigMap\/shop\/dashboard data\["api.json"\]: error: is not valid JSON: /),
    ]);
  });

  it('every panel query parses, nested row panels included', () => {
    expect(dashboard((d) => (d.panels[1].panels[0].targets[0].expr = 'histogram_quantile(0.95, sum by (le) (rate(search_latency_seconds_bucket[5m]))'))).toEqual([
      expect.stringMatching(/^promql ConfigMap\/shop\/dashboard data\["api.json"\]: error: panel "Latency" target 0 \(A\): PromQL syntax error at character \d+/),
    ]);
  });

  it('panel ids are unique (a missing one is a warning)', () => {
    expect(dashboard((d) => (d.panels[1].panels[0].id = 1))).toEqual([`dashboard ${CM}: error: panel id 1 is used by both "Rate" and "Latency"`]);
    expect(dashboard((d) => delete d.panels[0].id)).toEqual([`dashboard ${CM}: warning: panel "Rate" has no numeric id: links to it are not stable`]);
  });

  it('has a uid, unique among dashboards', () => {
    expect(dashboard((d) => delete d.uid)).toEqual([`dashboard ${CM}: error: dashboard has no uid: Grafana would make a new one on every restart, breaking links`]);
    expect(after(({ byKind, objects }) => {
      const copy = JSON.parse(JSON.stringify(byKind('ConfigMap', 'dashboard')));
      copy.metadata.name = 'dashboard-copy';
      objects.push(copy);
    })).toEqual(['dashboard ConfigMap/shop/dashboard-copy data["api.json"]: error: dashboard uid "api" is also used by dashboard api.json']);
  });

  it('parses queries with Grafana variables once they are replaced', () => {
    for (const expr of [
      'sum(rate(search_requests_total{namespace="$namespace", mode=~"${mode:regex}"}[$__rate_interval]))',
      'topk($topk, sum by (search_mode) (rate(search_requests_total[$window])))',
      'max_over_time(active_searches[$__range:$__interval])',
      'rate(x[[[interval]]])',
    ]) expect([expr, promqlErrors(withoutVariables(expr))]).toEqual([expr, []]);
  });
});
