import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ALERTS } from '../../lib/monitoring/alerts';
import { monitoringContext } from '../../lib/monitoring/context';
import { alertingRule } from '../../lib/monitoring/prometheus-rule-groups';
import { toYaml } from '../../lib/synth/render';
import { committedEnvironment } from '../support/env';
import { synthesizedRuleGroups } from './support/monitoring';
import { findPromtool, promtool, PROMTOOL_HELP } from './support/promtool';
import { Check, Scenario, SCENARIOS } from './support/scenarios';

// promtool unit tests of every alert, generated from the synthesized PrometheusRule of production.
const env = committedEnvironment('production');
const ctx = monitoringContext(env);
const bin = findPromtool();
if (!bin) console.warn(PROMTOOL_HELP);
const withPromtool = bin ? describe : describe.skip;

/** The promtool test file of one scenario. */
function testFile(scenario: Scenario): string {
  const byTime = new Map<string, Check[]>();
  for (const c of scenario.checks) byTime.set(c.at, [...(byTime.get(c.at) ?? []), c]);
  return toYaml({
    rule_files: ['rules.yaml'],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: scenario.series.map((s) => ({ series: s.series, values: s.values })),
        alert_rule_test: scenario.checks.map((c) => ({ eval_time: c.at, alertname: c.alert, exp_alerts: c.firing.map((f) => expected(c.alert, f)) })),
      },
    ],
  });
}

/** Labels and annotations of a firing alert, with the description rendered for the expected value. */
function expected(alertName: string, firing: Check['firing'][number]) {
  const spec = ALERTS.find((a) => a.name === alertName);
  if (!spec) throw new Error(`scenario checks unknown alert ${alertName}`);
  const rule = alertingRule(ctx, spec);
  const labels = { ...(firing.labels ?? { namespace: ctx.namespace, job: ctx.job }), ...rule.labels };
  const description = rule
    .annotations!.description.replace(/\{\{ \$value[^}]*\}\}/g, () => {
      if (firing.value === undefined) throw new Error(`${alertName}: the description shows the value; give the expected value`);
      return firing.value;
    })
    .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l: string) => labels[l as keyof typeof labels] ?? '');
  return { exp_labels: labels, exp_annotations: { ...rule.annotations, description } };
}

describe('alert scenarios', () => {
  it('every alert has a scenario where it fires and one where it stays quiet', () => {
    const missing = ALERTS.flatMap((a) => {
      const checks = SCENARIOS.flatMap((s) => s.checks).filter((c) => c.alert === a.name);
      return [
        ...(checks.some((c) => c.firing.length > 0) ? [] : [`${a.name} never fires`]),
        ...(checks.some((c) => c.firing.length === 0) ? [] : [`${a.name} is never checked quiet`]),
      ];
    });
    expect(missing).toEqual([]);
  });

  it('scenarios only name alerts that exist', () => {
    const names = new Set(ALERTS.map((a) => a.name));
    expect(SCENARIOS.flatMap((s) => s.checks.map((c) => c.alert)).filter((n) => !names.has(n))).toEqual([]);
  });
});

withPromtool('promtool', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
    fs.writeFileSync(path.join(dir, 'rules.yaml'), toYaml({ groups: synthesizedRuleGroups(env) }));
  });
  afterAll(() => (process.env.KEEP_PROMTOOL_DIR ? console.log(dir) : fs.rmSync(dir, { recursive: true, force: true })));

  it('check rules accepts the synthesized rules of every environment', () => {
    for (const name of ['production', 'staging']) {
      const file = path.join(dir, `check-${name}.yaml`);
      const groups = synthesizedRuleGroups(committedEnvironment(name));
      fs.writeFileSync(file, toYaml({ groups }));
      const run = promtool(['check', 'rules', file], dir);
      expect({ name, status: run.status, output: run.output }).toMatchObject({ status: 0 });
      // The API's alerts and 14 recording rules, plus the alerts of the datastores the environment monitors.
      const datastoreAlerts = groups.find((g) => g.name === 'ai-odoo-finder.datastores.alerts')?.rules.length ?? 0;
      expect(datastoreAlerts).toBeGreaterThan(0);
      expect(run.output).toContain(`SUCCESS: ${ALERTS.length + 14 + datastoreAlerts} rules found`);
    }
  });

  it.each(SCENARIOS.map((s, i) => [i + 1, s.name, s] as const))('scenario %i: %s', (i, _name, scenario) => {
    const file = `scenario-${i}.yaml`;
    fs.writeFileSync(path.join(dir, file), testFile(scenario));
    const run = promtool(['test', 'rules', file], dir);
    if (run.status !== 0) throw new Error(`promtool test rules failed for "${scenario.name}":\n${run.output}\n--- ${file}\n${fs.readFileSync(path.join(dir, file), 'utf8').slice(0, 4000)}`);
    expect(run.output).toContain('SUCCESS');
  });
});
