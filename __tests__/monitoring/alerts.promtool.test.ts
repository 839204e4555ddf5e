import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ALERTS } from '../../lib/monitoring/alerts';
import { monitoringContext } from '../../lib/monitoring/context';
import { alertingRule } from '../../lib/monitoring/prometheus-rule-groups';
import { toYaml } from '../../lib/yaml/writer';
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

/**
 * The sections of a promtool run over several files, by file name: promtool
 * prints `<heading> <file>` to stdout before the lines about each file.
 */
function sectionsByFile(stdout: string, heading: 'Checking' | 'Unit Testing:'): Map<string, string> {
  const sections = new Map<string, string>();
  let current: string | undefined;
  for (const line of stdout.split('\n')) {
    if (line.startsWith(`${heading} `)) {
      current = line.slice(heading.length).trim();
      sections.set(current, '');
    } else if (current !== undefined) sections.set(current, `${sections.get(current)}${line}\n`);
  }
  return sections;
}

withPromtool('promtool', () => {
  let dir: string;
  const scenarioFile = (i: number) => `scenario-${i}.yaml`;
  /** What one `promtool test rules` run over every scenario file said about each. */
  let tested: Map<string, string>;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
    fs.writeFileSync(path.join(dir, 'rules.yaml'), toYaml({ groups: synthesizedRuleGroups(env) }));
    SCENARIOS.forEach((scenario, i) => fs.writeFileSync(path.join(dir, scenarioFile(i + 1)), testFile(scenario)));
    // One process for every scenario: promtool tests each file on its own and reports each (its start-up was most of the cost).
    const run = spawnSync('promtool', ['test', 'rules', ...SCENARIOS.map((_, i) => scenarioFile(i + 1))], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    tested = sectionsByFile(run.stdout ?? '', 'Unit Testing:');
  });
  afterAll(() => (process.env.KEEP_PROMTOOL_DIR ? console.log(dir) : fs.rmSync(dir, { recursive: true, force: true })));

  it('check rules accepts the synthesized rules of every environment', () => {
    const names = ['production', 'staging'];
    const groups = new Map(names.map((name) => [name, synthesizedRuleGroups(committedEnvironment(name))]));
    for (const [name, g] of groups) fs.writeFileSync(path.join(dir, `check-${name}.yaml`), toYaml({ groups: g }));
    const run = promtool(['check', 'rules', ...names.map((name) => `check-${name}.yaml`)], dir);
    expect({ status: run.status, output: run.output }).toMatchObject({ status: 0 });
    const checked = sectionsByFile(run.output, 'Checking');
    expect([...checked.keys()]).toEqual(names.map((name) => `check-${name}.yaml`));
    for (const name of names) {
      // The API's alerts and 14 recording rules, plus the alerts of the datastores the environment monitors.
      const datastoreAlerts = groups.get(name)!.find((g) => g.name === 'ai-odoo-finder.datastores.alerts')?.rules.length ?? 0;
      expect(datastoreAlerts).toBeGreaterThan(0);
      expect({ name, output: checked.get(`check-${name}.yaml`) }).toEqual({ name, output: expect.stringContaining(`SUCCESS: ${ALERTS.length + 14 + datastoreAlerts} rules found`) });
    }
  });

  it('test rules reported on every scenario file', () => {
    expect([...tested.keys()].sort()).toEqual(SCENARIOS.map((_, i) => scenarioFile(i + 1)).sort());
  });

  it.each(SCENARIOS.map((s, i) => [i + 1, s.name, s] as const))('scenario %i: %s', (i, _name) => {
    const file = scenarioFile(i);
    if (!tested.get(file)?.includes('SUCCESS')) {
      // promtool writes why a file failed to stderr, after the others' results: run the file alone for its reasons.
      const run = promtool(['test', 'rules', file], dir);
      throw new Error(`promtool test rules failed for "${_name}":\n${run.output}\n--- ${file}\n${fs.readFileSync(path.join(dir, file), 'utf8').slice(0, 4000)}`);
    }
    expect(tested.get(file)).toContain('SUCCESS');
  });
});
